/**
 * The wallet's transfer characteristic: an APDU script written in chunks,
 * checked with CRC-32 (E.CRC32: the IEEE 802.3 CRC of zlib), run when
 * complete, its responses read back in chunks (firmware/ble/README.md,
 * "Transfer"). Writes are [op, hi, lo, data…] with a 16-bit big-endian
 * number; each answer is notified and left as the value:
 *
 *   01 begin  [01, size hi, lo, crc32 (4, big-endian)] → [81, result, next hi, lo]
 *             the same size and CRC as the script held: resumed, answers the
 *             offset it expects; otherwise a new script from offset 0
 *   02 chunk  [02, offset hi, lo, data…] → [82, result, next hi, lo]
 *             an offset other than the next expected: OFFSET and that offset
 *             (nothing lost); the last chunk checks the CRC: CRC and the
 *             script dropped (nothing runs), or the script runs and [84,
 *             result, responses size hi, lo] follows when it is done
 *   03 read   [03, offset hi, lo] → [83, result, size hi, lo, up to 16 octets
 *             of the responses from offset]
 *
 * What was received is written to Storage as it comes (SCRIPT_FILE, flash:
 * RAM holds none of it, src/jswrap_storage.c reads it back as a string
 * pointing into flash) and kept across disconnects until a new begin, the
 * run, a CRC failure or a reset; the responses stay in RAM until the next begin.
 */
import { concatBytes } from '../drivers/concat-bytes';
import { put, Result, TRANSFER, wallet } from './wallet-protocol';

/** The longest script (octets): well within a 16-bit offset, and a file Storage makes room for. */
export const MAX_SCRIPT = 1024;
/** Where a script being received is written, chunk by chunk (jsfWriteFile with an offset: the file is made once, at its size). */
export const SCRIPT_FILE = 'strap.script';

// One transfer characteristic: its state is the module's, and its write handler a top-level function
// (the cheapest closure on Espruino: firmware/ble/README.md, "Memory"). `size` 0: no script begun.
let size = 0;
let crc = 0;
let at = 0;
let out: Uint8Array | undefined;

function tell(op: number, result: number, n: number, data?: Uint8Array) {
  put(TRANSFER, concatBytes([new Uint8Array([op | 0x80, result, n >> 8, n & 255]), data || new Uint8Array(0)]));
}

/**
 * A script's end: its file erased, its responses kept for the reads, and [84, result, size] told. A function of
 * the module, not a closure made in transferWrite, which would keep that call's locals (the last chunk's write
 * among them) for as long as the script runs, while the SE's responses grow: the busiest flow's peak.
 */
function ran(result: number, responses?: Uint8Array) {
  require('Storage').erase(SCRIPT_FILE);
  out = responses;
  tell(4, result, out ? out.length : 0);
}

/** The characteristic's onWrite; a complete script runs through `wallet.script`. */
export function transferWrite(evt: { data: ArrayBuffer }) {
  const w = new Uint8Array(evt.data);
  const op = w[0]!;
  const n = (w[1]! << 8) | w[2]!;
  if (w.length < 3 || (op === 1 && (w.length !== 7 || !n))) return tell(op, Result.MALFORMED, 0);
  if (op === 1) {
    const sum = ((w[3]! << 24) | (w[4]! << 16) | (w[5]! << 8) | w[6]!) >>> 0;
    if (n > MAX_SCRIPT) return tell(op, Result.TOO_LARGE, 0);
    // The last script's responses go: a phone beginning another has read them (RAM holds one or the other).
    out = undefined;
    if (size !== n || sum !== crc) {
      size = n;
      crc = sum;
      at = 0;
    }
    return tell(op, Result.OK, at);
  }
  if (op === 2) {
    if (!size) return tell(op, Result.REFUSED, 0);
    if (n !== at) return tell(op, Result.OFFSET, at);
    if (at + w.length - 3 > size) return tell(op, Result.TOO_LARGE, at);
    // The first chunk makes the file at the script's size (replacing the last one); the others fill it in.
    // No room in Storage (after Espruino's own compaction): too large for this strap now, nothing taken.
    try {
      if (w.length > 3) require('Storage').write(SCRIPT_FILE, w.subarray(3), at, size);
    } catch (e) {
      return tell(op, Result.TOO_LARGE, at);
    }
    at += w.length - 3;
    if (at < size) return tell(op, Result.OK, at);
    size = 0;
    const whole = require('Storage').read(SCRIPT_FILE);
    if (whole === undefined || E.CRC32(whole) >>> 0 !== crc) {
      require('Storage').erase(SCRIPT_FILE);
      return tell(op, Result.CRC, 0);
    }
    tell(op, Result.OK, at);
    return wallet.script!(whole, ran);
  }
  if (op === 3) return out ? tell(op, Result.OK, out.length, out.subarray(n, n + 16)) : tell(op, Result.REFUSED, 0);
  tell(op, Result.UNKNOWN_OP, 0);
}
