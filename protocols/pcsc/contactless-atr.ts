/**
 * The ATR a PC/SC contactless reader reports for an ISO/IEC 14443-4 Type A
 * card (PC/SC Part 3 Supplemental Document, "ATR for ISO/IEC 14443-4 cards";
 * the same table is in the readers' manuals and Microsoft's NFC class
 * driver documentation): the card has no ATR of its own, so the reader
 * builds one from the ATS.
 *
 *   3B        TS, direct convention
 *   8n        T0: TD1 follows; n historical bytes (at most 15)
 *   80        TD1: TD2 follows; T=0
 *   01        TD2: T=1
 *   …         the historical bytes of the ATS (ISO/IEC 14443-4 5.2.7)
 *   TCK       XOR of T0 … the last historical byte (ISO/IEC 7816-3 8.2.5)
 */

/** The ATR for a Type A card whose ATS carried these historical bytes (only the first 15 fit). */
export function contactlessAtr(historical: Uint8Array): Uint8Array {
  const h = historical.subarray(0, 15);
  const body = [0x80 | h.length, 0x80, 0x01, ...h];
  return Uint8Array.from([0x3b, ...body, body.reduce((x, b) => x ^ b, 0)]);
}

/**
 * The historical bytes of an ATS as the reader received it (TL first, no CRC):
 * after T0 and the interface bytes T0 announces (b5 TA, b6 TB, b7 TC;
 * ISO/IEC 14443-4 5.2.2-5.2.6); undefined when TL does not fit the bytes.
 */
export function atsHistoricalBytes(ats: Uint8Array): Uint8Array | undefined {
  const tl = ats[0];
  if (tl === undefined || tl < 1 || tl > ats.length) return undefined;
  if (tl === 1) return new Uint8Array(0);
  const t0 = ats[1]!;
  const start = 2 + [0x10, 0x20, 0x40].filter((bit) => (t0 & bit) !== 0).length;
  return start > tl ? undefined : ats.slice(start, tl);
}
