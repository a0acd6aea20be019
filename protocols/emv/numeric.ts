/**
 * EMV numeric formats: BCD amounts, dates, currency and country codes, PANs.
 *
 * Source: EMV 4.3 Book 3 4.3 "Data Element Format Convention": format n is
 * BCD, two digits a byte, right-justified and padded with leading zeros
 * ('9F02' Amount, Authorised n12 in 6 bytes: 12.34 in minor units 1234 →
 * 00 00 00 00 12 34); format cn is BCD left-justified and padded with
 * trailing 'F's ('5A' PAN). Dates are n6 YYMMDD ('9A', '5F24', '5F25').
 * Currency codes are ISO 4217 numeric and country codes ISO 3166-1 numeric,
 * both n3 in 2 bytes ('5F2A', '9F1A': EUR 978 → 09 78).
 *
 * Encoders throw RangeError for values their field cannot hold (a caller's
 * bug); decoders return undefined for bytes that are not of the format (a
 * peer's bad data).
 */

/** Digits right-justified in `bytes` BCD bytes, leading zeros (format n). */
export function encodeNumeric(value: number | bigint | string, bytes: number): Uint8Array {
  const digits = typeof value === 'string' ? value : value.toString();
  if (!/^\d*$/.test(digits)) throw new RangeError(`'${digits}' is not decimal digits`);
  if (digits.length > bytes * 2) throw new RangeError(`${digits.length} digits do not fit n${bytes * 2}`);
  return packNibbles(digits.padStart(bytes * 2, '0'));
}

/** The digits of a format n field, leading zeros kept; undefined if a nibble is not 0-9. */
export function decodeNumeric(field: Uint8Array): string | undefined {
  const digits = unpackNibbles(field);
  return /^\d*$/.test(digits) ? digits : undefined;
}

/** Digits left-justified in `bytes` BCD bytes, trailing 'F' nibbles (format cn). */
export function encodeCompressedNumeric(digits: string, bytes: number): Uint8Array {
  if (!/^\d*$/.test(digits)) throw new RangeError(`'${digits}' is not decimal digits`);
  if (digits.length > bytes * 2) throw new RangeError(`${digits.length} digits do not fit cn in ${bytes} bytes`);
  return packNibbles(digits.padEnd(bytes * 2, 'F'));
}

/** The digits of a format cn field (up to the first 'F' pad); undefined if malformed. */
export function decodeCompressedNumeric(field: Uint8Array): string | undefined {
  const nibbles = unpackNibbles(field);
  const match = /^(\d*)F*$/.exec(nibbles);
  return match ? match[1] : undefined;
}

/** An amount in minor units as n12 (6 bytes), as '9F02', '9F03', '9F5D' carry it. */
export function encodeAmount(minorUnits: number | bigint): Uint8Array {
  if (typeof minorUnits === 'number' && (!Number.isSafeInteger(minorUnits) || minorUnits < 0)) throw new RangeError(`amount ${minorUnits} is not a whole number of minor units`);
  if (typeof minorUnits === 'bigint' && minorUnits < 0n) throw new RangeError('negative amount');
  return encodeNumeric(minorUnits, 6);
}

/** The minor units in an n12 amount; undefined unless 6 BCD bytes. */
export function decodeAmount(field: Uint8Array): number | undefined {
  if (field.length !== 6) return undefined;
  const digits = decodeNumeric(field);
  return digits === undefined ? undefined : Number(digits);
}

export interface EmvDate {
  /** Four-digit year (YY 00-49 → 20YY, 50-99 → 19YY, the convention EMV terminals apply to n6 dates). */
  year: number;
  month: number;
  day: number;
}

/** n6 YYMMDD. */
export function encodeDate(date: EmvDate): Uint8Array {
  if (!validDate(date) || date.year < 1950 || date.year > 2049) throw new RangeError(`${JSON.stringify(date)} is not a date EMV's YYMMDD can carry`);
  return encodeNumeric(`${pad2(date.year % 100)}${pad2(date.month)}${pad2(date.day)}`, 3);
}

/** A YYMMDD field as a date; undefined if not BCD or not a calendar date. */
export function decodeDate(field: Uint8Array): EmvDate | undefined {
  if (field.length !== 3) return undefined;
  const digits = decodeNumeric(field);
  if (digits === undefined) return undefined;
  const yy = Number(digits.slice(0, 2));
  const date = { year: yy < 50 ? 2000 + yy : 1900 + yy, month: Number(digits.slice(2, 4)), day: Number(digits.slice(4, 6)) };
  return validDate(date) ? date : undefined;
}

/** ISO 4217 / ISO 3166-1 numeric codes as n3 in 2 bytes ('5F2A', '5F28', '9F1A', '9F42'). */
export function encodeCode3(code: number): Uint8Array {
  if (!Number.isInteger(code) || code < 0 || code > 999) throw new RangeError(`${code} is not a 3-digit code`);
  return encodeNumeric(code, 2);
}

export function decodeCode3(field: Uint8Array): number | undefined {
  if (field.length !== 2) return undefined;
  const digits = decodeNumeric(field);
  return digits === undefined || digits[0] !== '0' ? undefined : Number(digits);
}

/** A few ISO 4217 currency numbers (ISO 4217:2015 Table A.1). */
export const CurrencyCode = { EUR: 978, USD: 840, GBP: 826, CHF: 756, JPY: 392 } as const;
/** A few ISO 3166-1 numeric country codes. */
export const CountryCode = { DEU: 276, FRA: 250, GBR: 826, USA: 840, CHE: 756, NLD: 528 } as const;

// ---------------------------------------------------------------------------

function packNibbles(nibbles: string): Uint8Array {
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(nibbles.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function unpackNibbles(field: Uint8Array): string {
  return [...field].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

function validDate({ year, month, day }: EmvDate): boolean {
  if (![year, month, day].every(Number.isInteger) || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function pad2(n: number): string {
  return n.toString().padStart(2, '0');
}
