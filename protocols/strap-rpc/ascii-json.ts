/**
 * JSON as it travels in console frames: ASCII only on the way out (the board's
 * strings are 8-bit and its CRC runs over bytes), and on the way in tolerant of
 * Espruino's `\xHH` string escapes, which are not JSON.
 */

/** JSON.stringify, with every character outside printable ASCII as a `\uXXXX` escape. */
export function asciiJson(value: unknown): string {
  const text = JSON.stringify(value === undefined ? null : value);
  if (text === undefined) throw new TypeError(`not representable as JSON: ${typeof value}`);
  return text.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** JSON.parse that also accepts `\xHH` escapes inside strings. Throws SyntaxError otherwise. */
export function parseBoardJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const converted = convertHexEscapes(text);
    if (converted === text) throw error;
    return JSON.parse(converted);
  }
}

/** `\xHH` → `\u00HH`, only where the backslash starts an escape inside a string literal. */
function convertHexEscapes(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (!inString) {
      if (c === '"') inString = true;
      out += c;
      continue;
    }
    if (c === '"') {
      inString = false;
      out += c;
    } else if (c === '\\') {
      const next = text[i + 1] ?? '';
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        out += '\\u00' + text.slice(i + 2, i + 4);
        i += 3;
      } else {
        out += c + next;
        i++;
      }
    } else {
      out += c;
    }
  }
  return out;
}
