/**
 * Quoting of strings and keys the way Espruino's `%q` does it (src/jsutils.c
 * vcbprintf '%q' → escapeCharacter). Output is a latin1 byte string.
 */

/** `"text"` with Espruino's escapes. */
export function quoted(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) out += escapeCharacter(text.charCodeAt(i));
  return out + '"';
}

/** Characters above 0xFF (V8 strings are UTF-16, the board's are 8-bit) become their UTF-8 bytes. */
export function toLatin1(text: string): string {
  if (!/[^\u0000-\u00ff]/.test(text)) return text;
  return Buffer.from(text, 'utf8').toString('latin1');
}

// ---------------------------------------------------------------------------

const NAMED: Record<number, string> = {
  0x08: '\\b',
  0x0c: '\\f',
  0x0a: '\\n',
  0x07: '\\a',
  0x0d: '\\r',
  0x09: '\\t',
  0x5c: '\\\\',
  0x22: '\\"',
};

/** src/jsutils.c escapeCharacter: named escapes, then \xHH (upper-case hex) for <32 and >=127. */
function escapeCharacter(code: number): string {
  const named = NAMED[code];
  if (named !== undefined) return named;
  if (code > 0xff) return toLatin1(String.fromCharCode(code)).split('').map((c) => hex(c.charCodeAt(0))).join('');
  if (code < 32 || code >= 127) return hex(code);
  return String.fromCharCode(code);
}

function hex(code: number): string {
  return '\\x' + code.toString(16).toUpperCase().padStart(2, '0');
}
