import { describe, expect, it } from 'vitest';
import { formatResult } from './format';
import { connectedRepl } from './test-harness';
import { createTestEngine } from './test-engine';

/** `=` text for a value built in a vm realm, as the board's engine would hand it over. */
function result(source: string): string {
  return formatResult(createTestEngine().run(source));
}

describe('the =value line', () => {
  it('prints =undefined for statements and nothing at all for an empty line', () => {
    const { type } = connectedRepl();
    expect(type('var x = 1\n')).toBe('var x = 1\r\n=undefined\r\n>');
    expect(type('\n')).toBe('\r\n>');
    expect(type('   \n')).toBe('   \r\n>');
    expect(type('x\n')).toBe('x\r\n=1\r\n>');
  });

  it('prints no result when the line threw', () => {
    const { type } = connectedRepl();
    expect(type('throw "no"\n')).toBe('throw "no"\r\nUncaught no\r\n>');
  });

  it('sends line breaks inside a result as \\r\\n', () => {
    const { type } = connectedRepl();
    expect(type('["a","b"]\n')).toBe('["a","b"]\r\n=[ \r\n  "a", \r\n  "b"\r\n ]\r\n>');
  });

  it('prints numbers as Espruino does: 32-bit integers, doubles to at most 11 decimals', () => {
    expect(result('1+2')).toBe('3');
    expect(result('-7')).toBe('-7');
    expect(result('0.1+0.2')).toBe('0.3');
    expect(result('1/3')).toBe('0.33333333333');
    expect(result('2.5e-3')).toBe('0.0025');
    expect(result('Math.pow(2,31)')).toBe('2147483648');
    expect(result('-0')).toBe('0');
    expect(result('1/0')).toBe('Infinity');
    expect(result('-1/0')).toBe('-Infinity');
    expect(result('0/0')).toBe('NaN');
  });

  it('quotes strings with Espruino escapes and shortens long ones', () => {
    expect(result('"hi"')).toBe('"hi"');
    // src/jsutils.c escapeCharacter (2v2x): a byte below 8 is \\1 unless an octal digit follows
    expect(result('"a\\"b\\\\c\\n\\t\\x01\\xff"')).toBe('"a\\"b\\\\c\\n\\t\\1\\xFF"');
    expect(result('"x".repeat(41)')).toBe('"' + 'x'.repeat(17) + '" ... "' + 'x'.repeat(17) + '"');
    expect(result('"x".repeat(40)')).toBe('"' + 'x'.repeat(40) + '"');
  });

  it('prints booleans, null and undefined as words', () => {
    expect(result('true')).toBe('true');
    expect(result('null')).toBe('null');
    expect(result('undefined')).toBe('undefined');
  });

  it('prints objects with unquoted identifier keys, breaking after four items', () => {
    expect(result('({a:1, b:2})')).toBe('{ a: 1, b: 2 }');
    expect(result('({})')).toBe('{  }');
    expect(result('({a:1,b:2,c:3,d:4,e:5})')).toBe('{ a: 1, b: 2, c: 3, d: 4, \n  e: 5 }');
    expect(result('({"my key":1, $x:2, 7:3})')).toBe('{ 7: 3, "my key": 1, "$x": 2 }');
    expect(result('({b$:4, _c:5, d9:6})')).toBe('{ "b$": 4, _c: 5, d9: 6 }');
    expect(result('({s:"x", o:{p:1}})')).toBe('{ \n  s: "x", \n  o: { p: 1 }\n }');
  });

  it('prints arrays with ", " and line breaks before strings, objects and arrays', () => {
    expect(result('[1,2,3]')).toBe('[ 1, 2, 3 ]');
    expect(result('[]')).toBe('[  ]');
    expect(result('[1,[2]]')).toBe('[ 1, \n  [ 2 ]\n ]');
    expect(result('[1,,3]')).toBe('[ 1, undefined, 3 ]');
  });

  it('shows only the first and last five items of arrays longer than 15', () => {
    expect(result('[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]')).toBe('[ 0, 1, 2, 3, 4,  ... 11, 12, 13, 14, 15 ]');
    expect(result('[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14]')).toBe('[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 ]');
  });

  it('prints typed arrays and array buffers as constructor calls', () => {
    expect(result('new Uint8Array([1,2,3])')).toBe('new Uint8Array([1, 2, 3])');
    expect(result('new Uint8Array(4)')).toBe('new Uint8Array(4)');
    expect(result('new Uint8Array([1,2]).buffer')).toBe('new Uint8Array([1, 2]).buffer');
    expect(result('new Float32Array([0.5])')).toBe('new Float32Array([0.5])');
  });

  it('elides function bodies and names the parameters', () => {
    expect(result('(function (a, b) { return a + b; })')).toBe('function (a,b) { ... }');
    expect(result('(x => x * 2)')).toBe('function (x) { ... }');
    expect(result('Math.max')).toBe('function () { [native code] }');
  });

  it('names instances of global classes and uses a custom toString', () => {
    expect(result('function P(){this.x=1}; new P()')).toBe('P: { x: 1 }');
    expect(result('class Q { constructor(){ this.y = 2 } }; new Q()')).toBe('Q: { y: 2 }');
    expect(result('new Error("bad")')).toBe('Error: Error: bad');
    expect(result('(function(){ function Hidden(){ this.z=3 } return new Hidden() })()')).toBe('{ z: 3 }');
  });

  it('does not follow cycles', () => {
    expect(result('var o = {a:1}; o.self = o; o')).toBe('{ a: 1, \n  self:  ... \n }');
  });

  it('hides getters, as Espruino does not print them', () => {
    expect(result('({a:1, get b(){ return 2 }})')).toBe('{ a: 1 }');
  });
});
