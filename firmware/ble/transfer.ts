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
 * What was received is kept in RAM across disconnects until a new begin, the
 * run, a CRC failure or a reset; the responses until the next begin.
 */
import { concatBytes } from '../drivers/concat-bytes';
import { put, Result, TRANSFER, wallet } from './wallet-protocol';

/** The longest script (octets): RAM (about 80 of the board's JsVars), and well within a 16-bit offset. */
export const MAX_SCRIPT = 1024;

// One transfer characteristic: its state is the module's, and its write handler a top-level function
// (the cheapest closure on Espruino: firmware/ble/README.md, "Memory").
let script: Uint8Array | undefined;
let crc = 0;
let at = 0;
let out: Uint8Array | undefined;

function tell(op: number, result: number, n: number, data?: Uint8Array) {
  put(TRANSFER, concatBytes([new Uint8Array([op | 0x80, result, n >> 8, n & 255]), data || new Uint8Array(0)]));
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
    if (!script || script.length !== n || sum !== crc) {
      script = new Uint8Array(n);
      crc = sum;
      at = 0;
    }
    return tell(op, Result.OK, at);
  }
  if (op === 2) {
    if (!script) return tell(op, Result.REFUSED, 0);
    if (n !== at) return tell(op, Result.OFFSET, at);
    if (at + w.length - 3 > script.length) return tell(op, Result.TOO_LARGE, at);
    script.set(w.subarray(3), at);
    at += w.length - 3;
    if (at < script.length) return tell(op, Result.OK, at);
    const whole = script;
    script = undefined;
    if (E.CRC32(whole) >>> 0 !== crc) return tell(op, Result.CRC, 0);
    tell(op, Result.OK, at);
    out = undefined;
    wallet.script!(whole, function (result, responses) {
      out = responses;
      tell(4, result, out ? out.length : 0);
    });
    return;
  }
  if (op === 3) return out ? tell(op, Result.OK, out.length, out.subarray(n, n + 16)) : tell(op, Result.REFUSED, 0);
  tell(op, Result.UNKNOWN_OP, 0);
}
