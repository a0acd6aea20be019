/**
 * Numbers as Espruino writes them on the console.
 *
 * Espruino keeps 32-bit integers (JsVarInt) and doubles apart: integers go through
 * itostr_extra, doubles through ftoa_bounded_extra (src/jsutils.c, radix 10,
 * fractionalDigits -1). For doubles that routine, in the 2v2x sources:
 * - scales values at or above 1e21 down by dividing (by 100000 while above
 *   100000, then by 10 while above 10 — "above", so 1e21 ends at 10, not 1) and
 *   values below 1e-6 up by multiplying (by 100000 while below 1e-5, then by 10
 *   while below 1), counting the exponent: 1e21 prints `10e+20`, 1.5e-7 `1.5e-7`;
 * - stops after 11 fractional digits or once the remainder drops below 1e-7, so
 *   0.1+0.2 prints as 0.3, not V8's 0.30000000000000004;
 * - writes the '.' only in front of a digit it writes (no trailing '.');
 * - appends `e+N` / `e-N` when it scaled.
 * V8 does not keep the integer/double distinction, so an integral value inside
 * the int32 range is printed as an integer; Espruino prints an integral double
 * the same way, so the text is identical.
 */

/** Text of a number as `print`, `=` results and `%v` produce it. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX) return Object.is(n, -0) ? '0' : String(n);
  return doubleText(n);
}

// ---------------------------------------------------------------------------

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** src/jsutils.h JS_NUMBER_BUFFER_SIZE: the buffer jsvAsString hands to ftoa_bounded (one byte is the NUL). */
const NUMBER_BUFFER_SIZE = 70;
/** ftoa_bounded_extra's `stopAtError`. */
const STOP_AT_ERROR = 0.0000001;

/** C's (JsVarInt)double cast as the Cortex-M4 FPU does it (VCVT saturates). */
function toJsVarInt(x: number): number {
  if (x >= INT32_MAX) return INT32_MAX;
  if (x <= INT32_MIN) return INT32_MIN;
  return Math.trunc(x);
}

/** src/jsutils.c itoch. */
function itoch(v: number): string {
  return v < 10 ? String.fromCharCode(48 + v) : String.fromCharCode(97 + v - 10);
}

/** src/jsutils.c ftoa_bounded_extra(val, str, JS_NUMBER_BUFFER_SIZE, 10, -1), step for step. */
function doubleText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value < 0 ? '-Infinity' : 'Infinity';
  let len = NUMBER_BUFFER_SIZE;
  let out = '';
  let val = value;
  if (val < 0) {
    if (--len <= 0) return out;
    out += '-';
    val = -val;
  }
  let exponent = 0;
  if (val > 0) {
    if (val >= 1e21) {
      while (val > 100000) {
        val /= 100000;
        exponent += 5;
      }
      while (val > 10) {
        val /= 10;
        exponent++;
      }
    } else if (val < 1e-6) {
      while (val < 1e-5) {
        val *= 100000;
        exponent -= 5;
      }
      while (val < 1) {
        val *= 10;
        exponent--;
      }
    }
  }
  // "what if we're really close to an integer? Just use that..."
  if (toJsVarInt(val + STOP_AT_ERROR) === ((1 + toJsVarInt(val)) | 0)) val = 1 + toJsVarInt(val);
  let d = 1;
  while (d * 10 <= val) d *= 10;
  while (d >= 1) {
    const v = Math.trunc(val / d);
    val -= v * d;
    if (--len <= 0) return out;
    out += itoch(v);
    d /= 10;
  }
  if (val > 0) {
    let hasPoint = false;
    val *= 10;
    let fractionalDigits = -1;
    while (fractionalDigits > -12 && val > STOP_AT_ERROR) {
      let v = Math.trunc(val + 0.00000001);
      val = (val - v) * 10;
      if (v === 10) v = 9;
      if (!hasPoint) {
        hasPoint = true;
        if (--len <= 0) return out;
        out += '.';
      }
      if (--len <= 0) return out;
      out += itoch(v);
      fractionalDigits--;
    }
  }
  if (exponent !== 0 && len > 5) out += 'e' + (exponent > 0 ? '+' : '') + String(exponent);
  return out;
}
