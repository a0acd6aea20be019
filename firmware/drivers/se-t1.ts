/**
 * The secure element's host interface: T=1 over I2C as NXP's SE05x speaks it
 * (NXP UM11225 rev 1.2, "SE05x T=1 Over I2C Specification"; the T=1 rules it
 * customises are ISO/IEC 7816-3:2006 11.6). protocols/t1/block.ts is the
 * reference codec; se-t1.test.ts proves these bytes equal its bytes.
 *
 *   block   NAD PCB LEN INF[LEN] CRC1 CRC2   (UM11225 2.1.1; NAD host→SE '5A', SE→host 'A5')
 *   PCB     I 0 N(S) M 00000 · R 100 N(R) 00 EE · S 11 R TTTTT (2.1.1.2.1-2.1.1.2.3)
 *   CRC     CRC-16/X-25 over NAD..INF, low byte first
 *
 * The SE NACKs its I2C address while it works (UM11225 2.1.3, polling): on
 * Espruino a NACKed transfer throws ("I2C Write Error" / "I2C Read Error"),
 * so the driver retries every `pollMs` on setTimeout (the event loop keeps
 * running) for up to the block waiting time, stretched by an S(WTX). It
 * reads a block's prologue (3 bytes), then LEN + 2 more.
 *
 * Recovery (ISO/IEC 7816-3 11.6.3): a bad block or a silent BWT is answered
 * with an R-block asking for the SE's block again; an R-block from the SE
 * gets our last block again; after `retries` errors in a row an S(RESYNCH)
 * resets both sequence numbers and the exchange ends with 'resynch' (the
 * caller decides whether the APDU may be sent again). S(IFS) and S(WTX)
 * requests are answered. One exchange at a time: a second call while one
 * runs is answered 'busy'.
 *
 * The nRF52832's TWI moves at most 255 bytes per transfer (its EasyDMA
 * MAXCNT registers are 8 bits wide), so a block must stay within 255 bytes:
 * INF ≤ 250. The default IFSC is 250, and S(IFS) 250 (`request(S_IFS, …)`) at session start
 * asks the SE to keep its own blocks as small (ISO/IEC 7816-3 11.4.2).
 *
 * Given its bus by boot/ in the manner of the other drivers; owns no global.
 */

import { concatBytes } from './concat-bytes';

export interface SeT1Options {
  i2c: I2CBus;
  /** 7-bit I2C address; SE050 default '48'. */
  address?: number;
  /** The SE's IFSC: the largest INF it takes (UM11225 2.1.2.1; 1-254); default 250, see I2C_MAX_BYTES. */
  ifsc?: number;
  /** Polling interval while the SE NACKs (ms). */
  pollMs?: number;
  /** Block waiting time before a silent SE counts as an error (ms). */
  bwtMs?: number;
  /** Errors in a row before S(RESYNCH). */
  retries?: number;
}

/** `error` undefined on success: 'busy', 'resynch' (the APDU was lost), 'failed' (the SE did not recover). */
export type SeT1Done = (error: string | undefined, data?: Uint8Array) => void;

/** UM11225 Table 10: S-block types the host sends. */
export const S_RESYNCH = 0x00;
export const S_IFS = 0x01;
export const S_END_OF_SESSION = 0x05;
export const S_SOFT_RESET = 0x0f;

/** One host→SE block: NAD '5A', PCB, LEN, INF, CRC (UM11225 2.1.1). */
export function t1Block(pcb: number, inf?: Uint8Array): Uint8Array {
  const n = inf ? inf.length : 0;
  const out = new Uint8Array(n + 5);
  out[0] = 0x5a;
  out[1] = pcb;
  out[2] = n;
  if (inf) out.set(inf, 3);
  const crc = crc16X25(out, n + 3);
  out[n + 3] = crc & 0xff;
  out[n + 4] = crc >> 8;
  return out;
}

/** CRC-16/X-25 (reflected '8408', init and final XOR 'FFFF') of the first `length` bytes, a nibble at a time. */
export function crc16X25(bytes: Uint8Array, length: number): number {
  let crc = 0xffff;
  for (let i = 0; i < length; i++) {
    crc ^= bytes[i]!;
    crc = (crc >>> 4) ^ NIBBLE[crc & 15]!;
    crc = (crc >>> 4) ^ NIBBLE[crc & 15]!;
  }
  return crc ^ 0xffff;
}

export class SeT1 {
  // Its fields' names stay within the 4 characters an Espruino variable holds (longer ones take another),
  // and differ from the options' (the minifier shortens private names everywhere it meets them).
  private readonly bus: I2CBus;
  private readonly addr: number;
  /** The SE's IFSC. */
  private ifs: number;
  /** The polling interval, the block waiting time (ms), the errors in a row before S(RESYNCH). */
  private readonly tick: number;
  private readonly bwt: number;
  private readonly lim: number;
  /** N(S) of our next (or unacknowledged) I-block, and the N(S) expected from the SE. */
  private ns = 0;
  private nr = 0;
  private done: SeT1Done | undefined;
  private tx: Uint8Array | undefined;
  private txAt = 0;
  private txLen = 0;
  /** Whether the SE has acknowledged our last I-block (it is answering). */
  private acked = false;
  private rx: Uint8Array[] = [];
  /** The S-block type whose response we await, -1 in an APDU exchange. */
  private sType = -1;
  private last: Uint8Array | undefined;
  private out: Uint8Array | undefined;
  private polls = 0;
  private errs = 0;

  constructor(options: SeT1Options) {
    this.bus = options.i2c;
    this.addr = options.address || 0x48;
    this.ifs = options.ifsc || 250;
    this.tick = options.pollMs || 2;
    this.bwt = options.bwtMs || 1000;
    this.lim = options.retries || 3;
  }

  /** Sends one command APDU and calls back with the response APDU. */
  transceive(apdu: Uint8Array, done: SeT1Done): void {
    if (this.start(done, -1)) {
      this.tx = apdu;
      this.txAt = 0;
      this.rx = [];
      this.acked = false;
      this.sendI();
    }
  }

  /**
   * An S request (UM11225 Table 10): S_SOFT_RESET at session start (sequence numbers back to 0; calls back
   * with the ATR, UM11225 2.2), S_END_OF_SESSION (the SE drops its protocol context and may power down), or
   * S_IFS with the largest INF the SE may send us (IFSD, 1-254, as `inf`; the SE answers with the same value).
   */
  request(type: number, inf: Uint8Array | undefined, done: SeT1Done): void {
    if (this.start(done, type)) this.send(t1Block(0xc0 | type, inf));
  }

  private start(done: SeT1Done, sType: number): boolean {
    if (this.done) {
      done('busy');
      return false;
    }
    this.done = done;
    this.sType = sType;
    this.errs = 0;
    return true;
  }

  private sendI(): void {
    const tx = this.tx!;
    const len = Math.min(this.ifs, tx.length - this.txAt);
    this.txLen = len;
    const more = this.txAt + len < tx.length;
    this.send(t1Block((this.ns << 6) | (more ? 0x20 : 0), tx.subarray(this.txAt, this.txAt + len)));
  }

  private send(frame: Uint8Array, waitMs?: number): void {
    this.last = this.out = frame;
    this.polls = Math.ceil((waitMs || this.bwt) / this.tick);
    this.poll();
  }

  /** Writes what is pending, then reads a block; a NACK (a throw) is tried again after `tick` ms. */
  poll(): void {
    const bus = this.bus;
    let head: Uint8Array;
    try {
      if (this.out) {
        bus.writeTo(this.addr, this.out);
        this.out = undefined;
      }
      head = bus.readFrom(this.addr, 3);
    } catch (e) {
      if (--this.polls > 0) setTimeout(pollLater, this.tick, this);
      else this.bad(2);
      return;
    }
    const len = head[2]!;
    if (head[0] !== 0xa5 || len === 0xff) return this.bad(2);
    const frame = new Uint8Array(len + 5);
    frame.set(head);
    try {
      frame.set(bus.readFrom(this.addr, len + 2), 3);
    } catch (e) {
      return this.bad(2);
    }
    if (crc16X25(frame, len + 3) !== (frame[len + 3]! | (frame[len + 4]! << 8))) return this.bad(1);
    this.got(frame[1]!, frame.subarray(3, len + 3));
  }

  private got(pcb: number, inf: Uint8Array): void {
    const tx = this.tx;
    if (pcb === 0xc3 || pcb === 0xc1) {
      // S(WTX) / S(IFS) request: answered with the same INF (UM11225 Table 10); WTX stretches this wait.
      if (pcb === 0xc1) this.ifs = inf[0] || this.ifs;
      return this.send(t1Block(pcb | 0x20, inf), pcb === 0xc3 ? this.bwt * (inf[0] || 1) : 0);
    }
    if ((pcb & 0xc0) === 0xc0) {
      if (pcb !== (0xe0 | this.sType) || this.sType < 0) return this.bad(2);
      // Every S exchange but IFS restarts both sequence numbers (RESYNCH, soft reset, end of session).
      if (this.sType !== S_IFS) this.ns = this.nr = 0;
      return this.finish(this.tx ? 'resynch' : undefined, inf);
    }
    if (this.sType >= 0 || !tx) return this.bad(2);
    if (pcb & 0x80) {
      // R-block: an acknowledgement of a chained block (N(R) = our next N(S)), or a request for our last block again.
      if (!this.acked && (pcb & 0xef) === 0x80 && ((pcb >> 4) & 1) !== this.ns && this.txAt + this.txLen < tx.length) {
        this.ns ^= 1;
        this.txAt += this.txLen;
        this.errs = 0;
        return this.sendI();
      }
      return this.bad(0);
    }
    if (((pcb >> 6) & 1) !== this.nr || (pcb & 0x1f) || this.txAt + this.txLen < tx.length) return this.bad(2);
    if (!this.acked) {
      this.acked = true;
      this.ns ^= 1;
    }
    this.nr ^= 1;
    this.errs = 0;
    this.rx.push(inf);
    if (pcb & 0x20) return this.send(t1Block(0x80 | (this.nr << 4)));
    this.finish(undefined, concatBytes(this.rx));
  }

  /**
   * A block we could not use or silence (`code`: the R-block's error, 1 CRC, 2 other), or the SE's R-block
   * asking for our last block again (0): counted; our last block again (in an S exchange, always), or an
   * R-block asking for the SE's. Past `lim` errors in a row, S(RESYNCH), or, when an S exchange (RESYNCH
   * too) fails, the end with 'failed'.
   */
  private bad(code: number): void {
    if (++this.errs > this.lim) {
      if (this.sType >= 0) return this.finish('failed');
      this.errs = 0;
      this.sType = S_RESYNCH;
      return this.send(t1Block(0xc0));
    }
    this.send(this.sType >= 0 || !code ? this.last! : t1Block(0x80 | (this.nr << 4) | code));
  }

  private finish(error: string | undefined, data?: Uint8Array): void {
    const done = this.done;
    this.done = this.tx = this.last = this.out = undefined;
    this.rx = [];
    if (done) done(error, data);
  }
}

// ---------------------------------------------------------------------------

/** CRC-16/X-25 of each nibble value (4 shifts of the reflected polynomial '8408'). */
const NIBBLE = new Uint16Array(16);
for (let n = 0; n < 16; n++) {
  let c = n;
  for (let bit = 0; bit < 4; bit++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
  NIBBLE[n] = c;
}

/** setTimeout's extra argument carries the driver: no closure per poll. */
function pollLater(t: SeT1): void {
  t.poll();
}
