/**
 * ISO/IEC 14443-4 (ISO-DEP) blocks as they travel through the field: the
 * frames a POS terminal (PCD) and the strap (PICC) exchange around each APDU,
 * with their CRC_A. The NFC controller builds these on the real strap; the
 * simulator builds them to trace the field (pcap/iso14443.ts).
 *
 * Sources: ISO/IEC 14443-4:2018 7.1 (block format: prologue PCB [CID] [NAD],
 * INF, EDC), 7.1.1.1 (PCB coding: I-block 000C NB1N with C = chaining, N(B)
 * the block number; R-block 101C 1N1N with C = NAK; S-block 11xx x010 with
 * DESELECT '00' and WTX '11' in b6-b5) and its "Request for answer to
 * select" (RATS 'E0' and the FSDI/CID parameter byte; 5.1 in the 2001
 * edition); ISO/IEC 14443-3:2018 Annex B (CRC_A: CRC-16 polynomial '8408'
 * reflected, preset '6363', no final XOR, low byte sent first). The
 * CRC_A values are checked on frames common to every ISO 14443-A trace:
 * HLTA '50 00 57 CD' and RATS 'E0 50 BC A5'.
 */

/** RATS start byte (ISO/IEC 14443-4, Request for answer to select). */
export const RATS = 0xe0;

export type IsoDepBlock =
  | { type: 'I'; blockNumber: 0 | 1; chaining: boolean; inf: Uint8Array }
  | { type: 'R'; blockNumber: 0 | 1; nak: boolean }
  | { type: 'S'; kind: 'deselect' | 'wtx'; inf: Uint8Array };

/** The frame without CRC: PCB, then INF (no CID, no NAD: the strap's controller uses neither). */
export function encodeIsoDepBlock(block: IsoDepBlock): Uint8Array {
  switch (block.type) {
    case 'I': return Uint8Array.from([0x02 | (block.chaining ? 0x10 : 0) | block.blockNumber, ...block.inf]);
    case 'R': return Uint8Array.of(0xa2 | (block.nak ? 0x10 : 0) | block.blockNumber);
    case 'S': return Uint8Array.from([block.kind === 'deselect' ? 0xc2 : 0xf2, ...block.inf]);
  }
}

/** A block from a frame without its CRC; undefined for a PCB ISO/IEC 14443-4 7.1.1.1 does not define, or one with CID/NAD. */
export function decodeIsoDepBlock(frame: Uint8Array): IsoDepBlock | undefined {
  const pcb = frame[0];
  if (pcb === undefined) return undefined;
  const inf = frame.slice(1);
  if ((pcb & 0xee) === 0x02) return { type: 'I', blockNumber: (pcb & 1) as 0 | 1, chaining: (pcb & 0x10) !== 0, inf };
  if ((pcb & 0xee) === 0xa2 && inf.length === 0) return { type: 'R', blockNumber: (pcb & 1) as 0 | 1, nak: (pcb & 0x10) !== 0 };
  if (pcb === 0xc2) return { type: 'S', kind: 'deselect', inf };
  if (pcb === 0xf2) return { type: 'S', kind: 'wtx', inf };
  return undefined;
}

/** CRC_A of ISO/IEC 14443-3 Annex B, as a 16-bit number. */
export function crcA(bytes: Uint8Array): number {
  let crc = 0x6363;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc;
}

/** The frame followed by its CRC_A, low byte first, as it is sent. */
export function withCrcA(frame: Uint8Array): Uint8Array {
  const crc = crcA(frame);
  const out = new Uint8Array(frame.length + 2);
  out.set(frame, 0);
  out[frame.length] = crc & 0xff;
  out[frame.length + 1] = crc >> 8;
  return out;
}

/** The frame without its CRC_A, or undefined when the CRC does not match. */
export function checkCrcA(frameWithCrc: Uint8Array): Uint8Array | undefined {
  if (frameWithCrc.length < 2) return undefined;
  const frame = frameWithCrc.subarray(0, frameWithCrc.length - 2);
  const crc = crcA(frame);
  const sent = frameWithCrc[frameWithCrc.length - 2]! | (frameWithCrc[frameWithCrc.length - 1]! << 8);
  return crc === sent ? frame.slice() : undefined;
}

/** RATS with its parameter byte: FSDI (b8-b5, the reader's frame size index) and CID (b4-b1). */
export function encodeRats(fsdi: number, cid: number): Uint8Array {
  return Uint8Array.of(RATS, ((fsdi & 0x0f) << 4) | (cid & 0x0f));
}
