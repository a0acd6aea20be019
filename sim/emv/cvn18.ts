/**
 * Visa Cryptogram Version Number 18 ('12'): what goes into the ARQC and how
 * the Issuer Application Data ('9F10') that carries it is laid out.
 *
 * Sources (public descriptions; the Visa specifications themselves are not
 * public): CVN 18 is VIS 1.6's ARQC algorithm '2' with '9F10' format 0/1/3
 * (first byte '06'); it uses the EMV common session key (Book 2 A1.3.1,
 * R = ATC || '00'×6) from an ICC Master Key derived by Option A (Book 2
 * A1.4.1, which Option B equals for PANs of 16 digits or fewer), and the
 * A1.2.1 MAC with '80' padding over, in this order:
 *
 *   9F02 amount (6) · 9F03 other amount (6) · 9F1A terminal country (2) ·
 *   95 TVR (5) · 5F2A currency (2) · 9A date (3) · 9C type (1) ·
 *   9F37 unpredictable number (4) · 82 AIP (2) · 9F36 ATC (2) ·
 *   9F10 the whole Issuer Application Data
 *
 * (CVN 10 stopped at the CVR and padded with zeros; CVN 18 "protects the full
 * Issuer Application Data"). The published HSM-checked vector in
 * crypto.test.ts pins this composition.
 *
 * '9F10' format 0/1/3, as this applet writes it (7 bytes):
 *   byte 1 '06' (length of the Visa discretionary part), byte 2 Derivation
 *   Key Index, byte 3 CVN ('12'), bytes 4-7 Card Verification Results: byte 4
 *   '03' (CVR length), byte 5 b6-b5 the cryptogram type returned
 *   (00 AAC, 01 TC, 10 ARQC), bytes 6-7 further card verification flags.
 */
import { concatBytes } from './des';
import { applicationCryptogram } from './cryptograms';
import { deriveAcSessionKey } from './key-derivation';

export const CVN18 = 0x12;

/** The terminal and card data CVN 18's ARQC covers, as raw EMV values. */
export interface Cvn18Data {
  amountAuthorised: Uint8Array; // '9F02', n12 in 6 bytes
  amountOther: Uint8Array; // '9F03', 6 bytes
  terminalCountry: Uint8Array; // '9F1A', 2 bytes
  tvr: Uint8Array; // '95', 5 bytes
  currency: Uint8Array; // '5F2A', 2 bytes
  date: Uint8Array; // '9A', YYMMDD, 3 bytes
  type: Uint8Array; // '9C', 1 byte
  unpredictableNumber: Uint8Array; // '9F37', 4 bytes
  aip: Uint8Array; // '82', 2 bytes
  atc: number; // '9F36', 2 bytes
  iad: Uint8Array; // '9F10', all of it
}

const LENGTHS: [keyof Omit<Cvn18Data, 'atc' | 'iad'>, number][] = [
  ['amountAuthorised', 6], ['amountOther', 6], ['terminalCountry', 2], ['tvr', 5], ['currency', 2],
  ['date', 3], ['type', 1], ['unpredictableNumber', 4], ['aip', 2],
];

/** The bytes CVN 18's cryptogram is the MAC of. Throws RangeError on a field of the wrong length. */
export function cvn18CryptogramInput(data: Cvn18Data): Uint8Array {
  for (const [field, length] of LENGTHS) {
    if (data[field].length !== length) throw new RangeError(`${field} is ${length} bytes, got ${data[field].length}`);
  }
  if (!Number.isInteger(data.atc) || data.atc < 0 || data.atc > 0xffff) throw new RangeError(`ATC ${data.atc} is not 2 bytes`);
  return concatBytes(
    ...LENGTHS.map(([field]) => data[field]),
    Uint8Array.of(data.atc >> 8, data.atc & 0xff),
    data.iad,
  );
}

/** CVN 18's Application Cryptogram: session key from the ICC Master Key and the ATC, MAC over the data above. */
export function cvn18Cryptogram(iccMasterKey: Uint8Array, data: Cvn18Data): Uint8Array {
  return applicationCryptogram(deriveAcSessionKey(iccMasterKey, data.atc), cvn18CryptogramInput(data));
}

export type CvrCryptogramType = 'AAC' | 'TC' | 'ARQC';

const CVR_TYPE_BITS: Record<CvrCryptogramType, number> = { AAC: 0x00, TC: 0x10, ARQC: 0x20 };

/** '9F10' format 0/1/3 for CVN 18 (layout above). */
export function cvn18IssuerApplicationData(options: { dki: number; cryptogram: CvrCryptogramType; cvrFlags?: number }): Uint8Array {
  const flags = options.cvrFlags ?? 0;
  return Uint8Array.of(0x06, options.dki & 0xff, CVN18, 0x03, CVR_TYPE_BITS[options.cryptogram], (flags >> 8) & 0xff, flags & 0xff);
}

/** Reads DKI, CVN and the cryptogram type from a format 0/1/3 '9F10'; undefined for another layout. */
export function parseVisaIssuerApplicationData(iad: Uint8Array): { dki: number; cvn: number; cryptogram: CvrCryptogramType | undefined } | undefined {
  if (iad.length < 7 || iad[0] !== 0x06 || iad[3] !== 0x03) return undefined;
  const bits = iad[4]! & 0x30;
  const cryptogram = (Object.keys(CVR_TYPE_BITS) as CvrCryptogramType[]).find((k) => CVR_TYPE_BITS[k] === bits);
  return { dki: iad[1]!, cvn: iad[2]!, cryptogram };
}
