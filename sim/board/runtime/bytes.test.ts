/**
 * Espruino's anything-to-bytes rule (bytes.ts): the text a Serial write sends
 * is the same whether it takes the shortcut for plain strings or makes the bytes.
 */
import { describe, expect, it } from 'vitest';
import { bytesToLatin1, toBytes, toLatin1Text } from './bytes';

describe('toLatin1Text sends what bytesToLatin1(toBytes(value)) sends', () => {
  it.each([
    ['a plain string', 'strap|ok|{"n":1}\n'],
    ['8-bit characters', 'caf\u00e9 \u00ff'],
    ['characters past 8 bits keep their low byte', '\u20ac\u0141'],
    ['strings as write arguments', ['ab', 'c\n', '']],
    ['mixed arguments', ['ab', 65, [66, 67], { data: 'x', count: 2 }]],
    ['a string past 8 bits among arguments', ['ok', '\u2603']],
    ['a number', 300],
    ['bytes', new Uint8Array([0, 10, 255])],
  ])('%s', (_name, value) => {
    expect(toLatin1Text(value)).toBe(bytesToLatin1(toBytes(value)));
  });

  it('a string becomes its characters\' low bytes', () => {
    expect([...toBytes('A\u00e9\u20ac')]).toEqual([0x41, 0xe9, 0xac]);
  });
});
