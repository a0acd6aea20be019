import { describe, expect, it } from 'vitest';
import { parseRelaxedJson } from './relaxed-json';

describe('relaxed JSON (E.toJS text)', () => {
  it('parses JSON and the JavaScript Espruino prints', () => {
    expect(parseRelaxedJson('{a:1,"b c":[true,null,undefined],s:"x\\ny"}')).toEqual({ a: 1, 'b c': [true, null, undefined], s: 'x\ny' });
    expect(parseRelaxedJson('"\\x02=\\u00e9\\a\\0"')).toBe('\x02=\u00e9\x07\0');
    expect(parseRelaxedJson("'single'")).toBe('single');
    expect(parseRelaxedJson('-1.5e3')).toBe(-1500);
    expect(parseRelaxedJson('0x1F')).toBe(31);
    expect(Number.isNaN(parseRelaxedJson('NaN'))).toBe(true);
    expect(parseRelaxedJson('-Infinity')).toBe(-Infinity);
    expect(parseRelaxedJson('undefined')).toBeUndefined();
    expect(parseRelaxedJson(' [ ] ')).toEqual([]);
  });

  it("reads octal escapes as Espruino writes bytes below 8 (src/jsutils.c escapeCharacter: \\1, or \\x01 before an octal digit)", () => {
    expect(parseRelaxedJson('"\\1\\7\\19\\x015\\101\\400"')).toBe('\x01\x07\x019\x015A\x200');
  });

  it('names where it fails', () => {
    expect(() => parseRelaxedJson('{a:1')).toThrow(/expected ',' or '}' at \d+ in "{a:1"/);
    expect(() => parseRelaxedJson('function(){}')).toThrow(/unexpected "function"/);
    expect(() => parseRelaxedJson('"open')).toThrow(/unterminated string/);
    expect(() => parseRelaxedJson('1 2')).toThrow(/unexpected text after the value/);
  });

  it('keys such as __proto__ are plain properties', () => {
    const v = parseRelaxedJson('{__proto__:{x:1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect((v as { x?: unknown }).x).toBeUndefined();
  });
});
