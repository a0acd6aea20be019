/**
 * Quoting of strings and keys the way Espruino's `%q` does it (src/jsutils.c
 * vcbprintf '%q' → escapeCharacter(ch, nextCh, jsonStyle=false)). Output is a
 * latin1 byte string.
 *
 * The board models a Puck.js build, whose strings are 8-bit: its board file
 * does not define ESPR_UNICODE_SUPPORT (only Bangle.js and nRF52840 boards do),
 * so no string is a UTF-8 string and `%q` never switches to JSON-style `\uXXXX`
 * escapes. A V8 character above 0xFF stands for its UTF-8 bytes, each escaped
 * as `\xHH`. (The Linux build of 2v29 does define it: there a string literal
 * holding UTF-8 text is a UTF-8 string and prints as `"\u00E9"` — not modelled.)
 */

/** `"text"` with Espruino's escapes. */
export function quoted(text: string): string {
  const bytes = toLatin1(text);
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const next = i + 1 < bytes.length ? bytes.charCodeAt(i + 1) : -1;
    out += escapeCharacter(bytes.charCodeAt(i), next);
  }
  return out + '"';
}

/** Characters above 0xFF (V8 strings are UTF-16, the board's are 8-bit) become their UTF-8 bytes. */
export function toLatin1(text: string): string {
  // a loop over the code units, not a regular expression: every printed key, string and line comes here
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return Buffer.from(text, 'utf8').toString('latin1');
  return text;
}

// ---------------------------------------------------------------------------

/** escapeCharacter's named escapes, in its order (no `\a`: 2v2x dropped it for `\7`). */
const NAMED: Record<number, string> = {
  0x0a: '\\n',
  0x09: '\\t',
  0x08: '\\b',
  0x0b: '\\v',
  0x0c: '\\f',
  0x0d: '\\r',
  0x5c: '\\\\',
  0x22: '\\"',
};

const DIGIT_0 = 0x30;
const DIGIT_7 = 0x37;

/**
 * src/jsutils.c escapeCharacter with jsonStyle=false: the named escapes; a byte
 * below 8 as `\0`…`\7` unless an octal digit follows (then "\0"+"1" would read
 * back as "\01"); any other byte below 32 or from 127 up as `\xHH`
 * (numericEscapeChar, upper-case hex via dtohex).
 */
export function escapeCharacter(code: number, next: number): string {
  const named = NAMED[code];
  if (named !== undefined) return named;
  if (code < 8 && (next < DIGIT_0 || next > DIGIT_7)) return '\\' + String(code);
  if (code < 32 || code >= 127) return '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
  return String.fromCharCode(code);
}
