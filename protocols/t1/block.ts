/**
 * GlobalPlatform-style T=1 over I2C, as NXP's SE05x speaks it: one block's
 * bytes, both ways.
 *
 * Source: NXP UM11225 "NXP SE05x T=1 Over I2C Specification" rev 1.2
 * (2020-12-10), section 2.1.1 (block frame), 2.1.1.1 (NAD), 2.1.1.2.1-2.1.1.2.3
 * (PCB of I-, R- and S-blocks, Tables 9-10), 2.1.2.1 (IFS); the T=1 rules it
 * customises are ISO/IEC 7816-3:2006 11.3 and 11.4.
 *
 *   NAD  PCB  LEN  INF[LEN]  CRC1 CRC2
 *   NAD: host → SE '5A', SE → host 'A5'.
 *   LEN: one byte, 0-254 ('FF' is RFU, ISO/IEC 7816-3 11.3.1).
 *   CRC: CRC-16/X-25 (poly x^16+x^12+x^5+1 reflected '8408', init 'FFFF',
 *        final XOR 'FFFF', ISO/IEC 13239) over NAD..INF, its low byte sent
 *        first. Checked on a frame captured from a real SE050 (NXP community,
 *        "SE050 evaluation with S32K148 board"): host '5A 20 05 80 04 00 20 09
 *        66 AA', SE 'A5 90 00 FB E9'; and NXP's host middleware
 *        (plug-and-trust phNxpEseProto7816_3.c, T1oI2C_UM11225) computes the
 *        same CRC and byte order.
 *
 *   I-block PCB  0 N(S) M 00000      (2.1.1.2.1: M = more data follows)
 *   R-block PCB  1 0 0 N(R) 00 EE    (2.1.1.2.2: EE 00 ok, 01 CRC/parity error, 10 other error)
 *   S-block PCB  1 1 R TTTTT         (2.1.1.2.3 Table 10: R = response; T below)
 *
 * This module does not run the protocol (sequence numbers, retransmission,
 * waiting times): that belongs to the drivers.
 */

/** UM11225 2.1.1.1: node addresses. */
export const NAD_HOST_TO_SE = 0x5a;
export const NAD_SE_TO_HOST = 0xa5;
/** Prologue (NAD, PCB, LEN) and epilogue (CRC) sizes. */
export const PROLOGUE_BYTES = 3;
export const CRC_BYTES = 2;
/** The largest INF a one-byte LEN carries ('FF' is RFU). */
export const MAX_INF = 254;

/** UM11225 Table 10, bits b5-b1 of an S-block PCB (b6 set in the response). */
export const SBlockType = {
  resynch: 0x00,
  ifs: 0x01,
  abort: 0x02,
  wtx: 0x03,
  'end-of-apdu-session': 0x05, // NXP: the SE resets its protocol context and may power down after answering
  'chip-reset': 0x06, // NXP: SE chip reset
  'get-atr': 0x07, // NXP: the response carries the ATR
  'soft-reset': 0x0f, // NXP: interface soft reset; the response carries the ATR (UM11225 2.2)
} as const;
export type SBlockKind = keyof typeof SBlockType;

/** R-block error bits (b2-b1). 'undefined' (11) is RFU in ISO/IEC 7816-3; NXP's middleware sends it for a missed start of frame. */
export type RBlockError = 'none' | 'crc' | 'other' | 'undefined';

export type Block =
  | { type: 'I'; nad: number; ns: 0 | 1; more: boolean; inf: Uint8Array }
  | { type: 'R'; nad: number; nr: 0 | 1; error: RBlockError }
  | { type: 'S'; nad: number; kind: SBlockKind; response: boolean; inf: Uint8Array };

export type BlockErrorKind = 'truncated' | 'bad-len' | 'bad-crc' | 'unknown-pcb' | 'bad-nad';
export interface BlockError {
  kind: BlockErrorKind;
  detail: string;
}
export type BlockResult = { ok: true; value: Block } | { ok: false; error: BlockError };

/** The PCB byte of a block. */
export function encodePcb(block: Block): number {
  switch (block.type) {
    case 'I': return (block.ns << 6) | (block.more ? 0x20 : 0);
    case 'R': return 0x80 | (block.nr << 4) | ERROR_BITS[block.error];
    case 'S': return 0xc0 | (block.response ? 0x20 : 0) | SBlockType[block.kind];
  }
}

/** NAD, PCB, LEN, INF and the CRC. Throws RangeError if the INF does not fit one LEN byte. */
export function encodeBlock(block: Block): Uint8Array {
  const inf = block.type === 'R' ? new Uint8Array(0) : block.inf;
  if (inf.length > MAX_INF) throw new RangeError(`INF of ${inf.length} bytes exceeds ${MAX_INF}`);
  const out = new Uint8Array(PROLOGUE_BYTES + inf.length + CRC_BYTES);
  out[0] = block.nad;
  out[1] = encodePcb(block);
  out[2] = inf.length;
  out.set(inf, PROLOGUE_BYTES);
  const crc = crc16X25(out.subarray(0, PROLOGUE_BYTES + inf.length));
  out[out.length - 2] = crc & 0xff;
  out[out.length - 1] = crc >> 8;
  return out;
}

/** Decode one whole block. `expectNad` refuses blocks from the wrong node. Never throws. */
export function decodeBlock(frame: Uint8Array, options: { expectNad?: number } = {}): BlockResult {
  if (frame.length < PROLOGUE_BYTES + CRC_BYTES) return fail('truncated', `a block has at least 5 bytes, got ${frame.length}`);
  const [nad, pcb, len] = [frame[0]!, frame[1]!, frame[2]!];
  if (len === 0xff) return fail('bad-len', "LEN 'FF' is RFU");
  if (frame.length !== PROLOGUE_BYTES + len + CRC_BYTES) return fail('bad-len', `LEN ${len} but ${frame.length - PROLOGUE_BYTES - CRC_BYTES} INF bytes`);
  const crc = crc16X25(frame.subarray(0, PROLOGUE_BYTES + len));
  const sent = frame[frame.length - 2]! | (frame[frame.length - 1]! << 8);
  if (crc !== sent) return fail('bad-crc', `CRC ${hex4(sent)} received, ${hex4(crc)} computed`);
  if (options.expectNad !== undefined && nad !== options.expectNad) return fail('bad-nad', `NAD ${hex4(nad).slice(2)}, expected ${hex4(options.expectNad).slice(2)}`);
  const inf = frame.slice(PROLOGUE_BYTES, PROLOGUE_BYTES + len);
  if ((pcb & 0x80) === 0) {
    if (pcb & 0x1f) return fail('unknown-pcb', `I-block PCB ${hex4(pcb).slice(2)} has RFU bits set`);
    return { ok: true, value: { type: 'I', nad, ns: ((pcb >> 6) & 1) as 0 | 1, more: (pcb & 0x20) !== 0, inf } };
  }
  if ((pcb & 0xc0) === 0x80) {
    if (pcb & 0x2c) return fail('unknown-pcb', `R-block PCB ${hex4(pcb).slice(2)} has RFU bits set`);
    if (len !== 0) return fail('bad-len', `an R-block has no INF, got ${len} bytes`);
    const error = (['none', 'crc', 'other', 'undefined'] as const)[pcb & 0x03]!;
    return { ok: true, value: { type: 'R', nad, nr: ((pcb >> 4) & 1) as 0 | 1, error } };
  }
  const kind = (Object.keys(SBlockType) as SBlockKind[]).find((k) => SBlockType[k] === (pcb & 0x1f));
  if (!kind) return fail('unknown-pcb', `S-block PCB ${hex4(pcb).slice(2)} names no S-block of UM11225 Table 10`);
  const response = (pcb & 0x20) !== 0;
  const want = infLength(kind, response);
  if (want !== undefined && len !== want) return fail('bad-len', `S(${kind} ${response ? 'response' : 'request'}) has ${want} INF bytes, got ${len}`);
  return { ok: true, value: { type: 'S', nad, kind, response, inf } };
}

/** The R-block a receiver answers a block it could not read with (ISO/IEC 7816-3:2006 11.6.3, rule 7.1: 'crc' for an EDC error, 'other' for the rest). */
export function rBlockErrorFor(kind: BlockErrorKind): RBlockError {
  return kind === 'bad-crc' ? 'crc' : 'other';
}

/** CRC-16/X-25 over `bytes` (catalogue check value '906E' for ASCII "123456789"). */
export function crc16X25(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc ^ 0xffff;
}

// ---------------------------------------------------------------------------

const ERROR_BITS: Record<RBlockError, number> = { none: 0, crc: 1, other: 2, undefined: 3 };

/** UM11225 Table 10: INF sizes fixed by the S-block kind (undefined: variable, e.g. an ATR; chip reset left open). */
function infLength(kind: SBlockKind, response: boolean): number | undefined {
  if (kind === 'ifs' || kind === 'wtx') return 1;
  if (response && (kind === 'soft-reset' || kind === 'get-atr' || kind === 'chip-reset')) return undefined;
  return 0;
}

function fail(kind: BlockErrorKind, detail: string): BlockResult {
  return { ok: false, error: { kind, detail } };
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
