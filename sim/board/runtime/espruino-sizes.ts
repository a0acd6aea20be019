/**
 * What a value costs in Espruino's variables (JsVars) on the Puck.js build the
 * strap runs (nRF52832, 2v29). Every constant is derived from Espruino's
 * sources:
 *
 *  - src/jsutils.h: a build with JSVAR_CACHE_SIZE <= 4095 uses 12-bit
 *    references (JSVARREF_BITS 12) and an 8-bit reference count
 *    (JSVARREFCOUNT_BITS 8, "56 - 12*4"), which makes a JsVar 13 bytes;
 *    JSVAR_DATA_STRING_NAME_LEN is 4 on a 32-bit chip;
 *    JSVAR_DATA_STRING_LEN = NAME_LEN + (REF_BITS*3 >> 3) = 4 + 4 = 8
 *    characters in a string's first JsVar;
 *    JSVAR_DATA_STRING_MAX_LEN = NAME_LEN + ((REF_BITS*3 + REFCOUNT_BITS) >> 3)
 *    = 4 + 5 = 9 characters in each STRING_EXT that follows;
 *    JSV_FLAT_STRING_BREAK_EVEN = 8 + 9 = 17 characters, from where a flat
 *    string (one header JsVar, then the data in the JsVars that follow it,
 *    13 bytes each) is smaller.
 *  - src/jsvar.h: a NAME (object key, array index) is a JsVar whose data holds
 *    up to NAME_LEN characters of the key, more characters go into STRING_EXTs;
 *    NAME_INT_INT / NAME_STRING_INT keep an integer value in the name itself
 *    (one JsVar for `i: 5`) when it fits a reference, JSVARREF_MIN to
 *    JSVARREF_MAX (jsutils.h; src/jsvar.c jsvMakeIntoVariableName): −2048 to
 *    2047 with 12-bit references; an ARRAYBUFFER view points to a string that holds
 *    its bytes (flat when made in one go, jsvNewFlatStringOfLength).
 *  - the Puck.js 2v29 board reports 2,630 variables in process.memory().total.
 */
export const PUCKJS_TOTAL_BLOCKS = 2630;
/** sizeof(JsVar) with 12-bit references (jsutils.h). */
export const PUCKJS_BLOCK_SIZE = 13;
/** JSVAR_DATA_STRING_NAME_LEN on a 32-bit chip. */
export const NAME_CHARS = 4;
/** JSVAR_DATA_STRING_LEN: characters in a string's first JsVar. */
export const STRING_FIRST_CHARS = 8;
/** JSVAR_DATA_STRING_MAX_LEN: characters in each STRING_EXT. */
export const STRING_EXT_CHARS = 9;
/** JSVARREF_MIN and JSVARREF_MAX for 12-bit references (jsutils.h): the integers a NAME holds in itself. */
export const NAME_INT_MIN = -2048;
export const NAME_INT_MAX = 2047;
/** JSV_FLAT_STRING_BREAK_EVEN. */
export const FLAT_STRING_BREAK_EVEN = STRING_FIRST_CHARS + STRING_EXT_CHARS;

/** A string value built up piece by piece (a chain of STRING_EXTs). */
export function stringBlocks(chars: number): number {
  return chars <= STRING_FIRST_CHARS ? 1 : 1 + Math.ceil((chars - STRING_FIRST_CHARS) / STRING_EXT_CHARS);
}

/** A string made in one go (repeat, join, JSON.stringify, E.toString): flat from the break-even length on. */
export function flatStringBlocks(chars: number): number {
  if (chars < FLAT_STRING_BREAK_EVEN) return stringBlocks(chars);
  return 1 + Math.ceil(chars / PUCKJS_BLOCK_SIZE);
}

/** A property or variable name; its value is counted apart unless it is an integer kept in the name. */
export function nameBlocks(chars: number): number {
  return chars <= NAME_CHARS ? 1 : 1 + Math.ceil((chars - NAME_CHARS) / STRING_EXT_CHARS);
}

/** `new ArrayBuffer(bytes)`: the ArrayBuffer JsVar and the flat string holding the bytes. */
export function arrayBufferBlocks(bytes: number): number {
  return 1 + flatStringBlocks(bytes);
}

/** `new Uint8Array(n)` and friends: the view, its ArrayBuffer and the bytes. */
export function typedArrayBlocks(bytes: number): number {
  return 1 + arrayBufferBlocks(bytes);
}

/** Elements written into an array (fill): one NAME_INT per element, integers kept in the name. */
export function arrayElementBlocks(count: number, valueIsInteger: boolean): number {
  return count * (valueIsInteger ? 1 : 2);
}
