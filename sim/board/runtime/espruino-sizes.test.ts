import { describe, expect, it } from 'vitest';
import { arrayBufferBlocks, flatStringBlocks, nameBlocks, stringBlocks, typedArrayBlocks } from './espruino-sizes';

// Figures from the 13-byte JsVar layout of src/jsutils.h (JSVARREF_BITS 12): 8 characters in a
// string's first JsVar, 9 in each STRING_EXT, flat strings from 17 characters, 4 characters in a name.
describe("what a value costs in Espruino's variables on a Puck.js", () => {
  it('a string: 8 characters in the first variable, 9 in each one after', () => {
    expect([0, 8, 9, 17, 18].map(stringBlocks)).toEqual([1, 1, 2, 2, 3]);
  });

  it('a string made in one go is flat from 17 characters: a header and 13 bytes per variable', () => {
    expect(flatStringBlocks(16)).toBe(stringBlocks(16));
    expect(flatStringBlocks(17)).toBe(1 + 2);
    expect(flatStringBlocks(1300)).toBe(101);
  });

  it('a name keeps 4 characters in its own variable', () => {
    expect([1, 4, 5, 13, 14].map(nameBlocks)).toEqual([1, 1, 2, 2, 3]);
  });

  it('an ArrayBuffer is its variable and a flat string; a typed array adds its view', () => {
    expect(arrayBufferBlocks(130)).toBe(1 + 1 + 10);
    expect(typedArrayBlocks(130)).toBe(13);
  });
});
