/**
 * An `int` argument of an Espruino built-in, as the generated wrappers read
 * it: jsvGetInteger (src/jsvar.c) into a JsVarInt, which is int32_t on every
 * board (src/jsutils.h). Storage.write/read's offset and size and a packet
 * FILE_SEND's `s` go through it, so `1e12` becomes -727379968 (the low 32
 * bits of the 64-bit truncation) and jsfWriteFile refuses it as negative.
 *
 *   undefined, null, objects, functions → 0
 *   booleans                            → 0 / 1
 *   finite numbers                      → truncated toward 0, then the low 32 bits
 *                                         ((JsVarInt)(long long)f; ARM saturates the
 *                                         64-bit conversion beyond ±2^63)
 *   NaN, ±Infinity                      → 0 (isfinite)
 *   numeric strings ("12", "12.7", "-3", "0x1f") → their integer part, as above
 *   ... 32 characters or more         → Error "String too big to convert to integer"
 *   arrays of length 1                  → their element, as above; other arrays → 0
 */
import { StorageError } from './jsf-storage';

export function jsvGetInteger(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return fromDouble(value);
  if (typeof value === 'string') return fromString(value);
  if (Array.isArray(value)) return value.length === 1 ? jsvGetInteger(value[0]) : 0;
  return 0;
}

const TWO_63 = 2 ** 63;

function fromDouble(value: number): number {
  if (!Number.isFinite(value)) return 0;
  // (long long)f: ARM's VCVT saturates out-of-range doubles.
  if (value >= TWO_63) return -1; // 0x7FFFFFFFFFFFFFFF → low word 0xFFFFFFFF
  if (value <= -TWO_63) return 0; // 0x8000000000000000 → low word 0
  return lowWord(Math.trunc(value));
}

/** The low 32 bits of an integer-valued double, as a signed int32 (exact for |n| < 2^63). */
function lowWord(n: number): number {
  const low = n - Math.floor(n / 2 ** 32) * 2 ** 32; // 0 ≤ low < 2^32, exact for doubles
  return low | 0;
}

function fromString(text: string): number {
  // jsvIsStringNumericInt(v, allowDecimalPoint) then stringToInt (src/jsutils.c) on a 32-byte buffer
  const match = /^\s*([+-]?)(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)(\.\d*)?$/i.exec(text);
  if (!match) return 0;
  if (text.length >= 32) throw new StorageError('String too big to convert to integer');
  const digits = match[2]!;
  const magnitude = /^0[xbo]/i.test(digits) ? Number(digits.toLowerCase()) : Number(digits);
  return fromDouble(match[1] === '-' ? -magnitude : magnitude);
}
