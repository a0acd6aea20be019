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
 * Given its bus by boot/ in the manner of the other drivers (`openSe`).
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

// The driver's state is this module's: the strap has one SE, and module-level functions and variables cost
// Espruino no prototype, `constructor` link or instance (a poll's timer runs `poll` itself). `openSe` starts
// it afresh (a test opens one per case).
// Its variables' names stay within the 4 characters an Espruino variable holds (longer ones take another).
let bus: I2CBus;
let addr: number;
/** The SE's IFSC. */
let ifs: number;
/** The polling interval, the block waiting time (ms), the errors in a row before S(RESYNCH). */
let tick: number;
let bwt: number;
let lim: number;
/** N(S) of our next (or unacknowledged) I-block, and the N(S) expected from the SE. */
let ns = 0;
let nr = 0;
let pending: SeT1Done | undefined;
let tx: Uint8Array | undefined;
let txAt = 0;
let txLen = 0;
/** Whether the SE has acknowledged our last I-block (it is answering). */
let acked = false;
let rx: Uint8Array[] = [];
/** The S-block type whose response we await, -1 in an APDU exchange. */
let sType = -1;
let last: Uint8Array | undefined;
let out: Uint8Array | undefined;
let polls = 0;
let errs = 0;

/** Starts the driver on its bus. */
export function openSe(options: SeT1Options): void {
  bus = options.i2c;
  addr = options.address || 0x48;
  ifs = options.ifsc || 250;
  tick = options.pollMs || 2;
  bwt = options.bwtMs || 1000;
  lim = options.retries || 3;
  ns = nr = txAt = txLen = polls = errs = 0;
  sType = -1;
  acked = false;
  pending = tx = last = out = undefined;
  rx = [];
}

/** Sends one command APDU and calls back with the response APDU. */
export function transceive(apdu: Uint8Array, done: SeT1Done): void {
  if (start(done, -1)) {
    tx = apdu;
    txAt = 0;
    rx = [];
    acked = false;
    sendI();
  }
}

/**
 * An S request (UM11225 Table 10): S_SOFT_RESET at session start (sequence numbers back to 0; calls back
 * with the ATR, UM11225 2.2), S_END_OF_SESSION (the SE drops its protocol context and may power down), or
 * S_IFS with the largest INF the SE may send us (IFSD, 1-254, as `inf`; the SE answers with the same value).
 */
export function request(type: number, inf: Uint8Array | undefined, done: SeT1Done): void {
  if (start(done, type)) send(t1Block(0xc0 | type, inf));
}

function start(done: SeT1Done, type: number): boolean {
  if (pending) {
    done('busy');
    return false;
  }
  pending = done;
  sType = type;
  errs = 0;
  return true;
}

function sendI(): void {
  const apdu = tx!;
  const len = Math.min(ifs, apdu.length - txAt);
  txLen = len;
  const more = txAt + len < apdu.length;
  send(t1Block((ns << 6) | (more ? 0x20 : 0), apdu.subarray(txAt, txAt + len)));
}

function send(frame: Uint8Array, waitMs?: number): void {
  last = out = frame;
  polls = Math.ceil((waitMs || bwt) / tick);
  poll();
}

/** Writes what is pending, then reads a block; a NACK (a throw) is tried again after `tick` ms. */
function poll(): void {
  let head: Uint8Array;
  try {
    if (out) {
      bus.writeTo(addr, out);
      out = undefined;
    }
    head = bus.readFrom(addr, 3);
  } catch (e) {
    if (--polls > 0) setTimeout(poll, tick);
    else bad(2);
    return;
  }
  const len = head[2]!;
  if (head[0] !== 0xa5 || len === 0xff) return bad(2);
  const frame = new Uint8Array(len + 5);
  frame.set(head);
  try {
    frame.set(bus.readFrom(addr, len + 2), 3);
  } catch (e) {
    return bad(2);
  }
  if (crc16X25(frame, len + 3) !== (frame[len + 3]! | (frame[len + 4]! << 8))) return bad(1);
  got(frame[1]!, frame.subarray(3, len + 3));
}

function got(pcb: number, inf: Uint8Array): void {
  const apdu = tx;
  if (pcb === 0xc3 || pcb === 0xc1) {
    // S(WTX) / S(IFS) request: answered with the same INF (UM11225 Table 10); WTX stretches this wait.
    if (pcb === 0xc1) ifs = inf[0] || ifs;
    return send(t1Block(pcb | 0x20, inf), pcb === 0xc3 ? bwt * (inf[0] || 1) : 0);
  }
  if ((pcb & 0xc0) === 0xc0) {
    if (pcb !== (0xe0 | sType) || sType < 0) return bad(2);
    // Every S exchange but IFS restarts both sequence numbers (RESYNCH, soft reset, end of session).
    if (sType !== S_IFS) ns = nr = 0;
    return finish(tx ? 'resynch' : undefined, inf);
  }
  if (sType >= 0 || !apdu) return bad(2);
  if (pcb & 0x80) {
    // R-block: an acknowledgement of a chained block (N(R) = our next N(S)), or a request for our last block again.
    if (!acked && (pcb & 0xef) === 0x80 && ((pcb >> 4) & 1) !== ns && txAt + txLen < apdu.length) {
      ns ^= 1;
      txAt += txLen;
      errs = 0;
      return sendI();
    }
    return bad(0);
  }
  if (((pcb >> 6) & 1) !== nr || (pcb & 0x1f) || txAt + txLen < apdu.length) return bad(2);
  if (!acked) {
    acked = true;
    ns ^= 1;
  }
  nr ^= 1;
  errs = 0;
  rx.push(inf);
  if (pcb & 0x20) return send(t1Block(0x80 | (nr << 4)));
  finish(undefined, concatBytes(rx));
}

/**
 * A block we could not use or silence (`code`: the R-block's error, 1 CRC, 2 other), or the SE's R-block
 * asking for our last block again (0): counted; our last block again (in an S exchange, always), or an
 * R-block asking for the SE's. Past `lim` errors in a row, S(RESYNCH), or, when an S exchange (RESYNCH
 * too) fails, the end with 'failed'.
 */
function bad(code: number): void {
  if (++errs > lim) {
    if (sType >= 0) return finish('failed');
    errs = 0;
    sType = S_RESYNCH;
    return send(t1Block(0xc0));
  }
  send(sType >= 0 || !code ? last! : t1Block(0x80 | (nr << 4) | code));
}

function finish(error: string | undefined, data?: Uint8Array): void {
  const done = pending;
  pending = tx = last = out = undefined;
  rx = [];
  if (done) done(error, data);
}

// ---------------------------------------------------------------------------

/** CRC-16/X-25 of each nibble value (4 shifts of the reflected polynomial '8408'). */
const NIBBLE = new Uint16Array(16);
for (let n = 0; n < 16; n++) {
  let c = n;
  for (let bit = 0; bit < 4; bit++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
  NIBBLE[n] = c;
}
