/**
 * How long frames take in the field between a reader (PCD) and the strap
 * (PICC), ISO/IEC 14443 Type A at 106 kbit/s.
 *
 *  - ISO/IEC 14443-2 (8.1.2 / 9.1.2): fc = 13.56 MHz; one bit at 106 kbit/s
 *    lasts 128/fc (about 9.44 µs).
 *  - ISO/IEC 14443-3 6.2.3: a standard frame is a start bit (S), each byte as
 *    8 data bits and an odd parity bit, and an end of communication (E, one
 *    bit period): 9n + 2 bit periods; the short frame (REQA/WUPA) is S, 7 data
 *    bits, E: 9 bit periods.
 *  - ISO/IEC 14443-3 6.2.1: the frame delay time between a command and the
 *    answer, and between an answer and the reader's next command, is at least
 *    1172/fc (n = 9 in (n·128 + 20)/fc) for everything but REQA/WUPA.
 *  - ISO/IEC 14443-4 7.2: the frame waiting time FWT = (256·16/fc)·2^FWI;
 *    5.2.5: the start-up frame guard time SFGT = (256·16/fc)·2^SFGI.
 *  - ISO/IEC 14443-3 5 (activation): a PICC answers within 5 ms of the field
 *    coming up; readers wait that long before the first REQA (EMV's 5.1 ms).
 */
export const FC_HZ = 13_560_000;

/** One bit period at 106 kbit/s, µs. */
export const BIT_US = (128 / FC_HZ) * 1e6;

/** A standard frame of `bytes` bytes (parity included), µs. */
export function frameAirUs(bytes: number): number {
  return (9 * bytes + 2) * BIT_US;
}

/** REQA/WUPA: 7 bits in a short frame, µs. */
export const SHORT_FRAME_US = 9 * BIT_US;

/** Minimum frame delay time, both directions, µs. */
export const FDT_MIN_US = (1172 / FC_HZ) * 1e6;

/** FWT for a frame waiting time integer 0-14 (15 is RFU: read as 4, the default), µs. */
export function fwtUs(fwi: number): number {
  const valid = fwi >= 0 && fwi <= 14 ? fwi : 4;
  return ((256 * 16) / FC_HZ) * 2 ** valid * 1e6;
}

/** SFGT for SFGI 0-14 (0: none), µs. */
export function sfgtUs(sfgi: number): number {
  return sfgi > 0 && sfgi <= 14 ? ((256 * 16) / FC_HZ) * 2 ** sfgi * 1e6 : 0;
}

/** The wait after field-on before the first REQA, µs. */
export const FIELD_ON_GUARD_US = 5000;

/** FSDI/FSCI to a frame size in bytes (ISO/IEC 14443-4 5.1 Table 1; 9-15 read as 256). */
export function frameSize(index: number): number {
  return [16, 24, 32, 40, 48, 64, 96, 128, 256][index] ?? 256;
}
