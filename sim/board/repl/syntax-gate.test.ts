import { describe, expect, it } from 'vitest';
import { checkEspruinoSyntax } from './syntax-gate';
import { connectedRepl } from './test-harness';

/** Each construct Espruino 2v29's parser refuses (docs/espruino-subset.md), with where the gate points. */
const REJECTED: Array<[string, string, number]> = [
  ['var {a} = {a: 1}', 'Destructuring', 5],
  ['var [a, b] = [1, 2]', 'Destructuring', 5],
  ['function f({x}) {}', 'Destructuring', 12],
  ['Math.max(...[1, 2])', 'Spread (...)', 10],
  ['var a = [...[1]]', 'Spread (...)', 10],
  ['var o = {...{}}', 'Spread (...)', 10],
  ['function f(...args) {}', 'Rest parameter (...)', 12],
  ['function f(a = 1) {}', 'Default parameter value', 12],
  ['var k = "a", o = {[k]: 1}', 'Computed key ([...])', 20],
  ['var o = {a: 1}; o?.a', 'Optional chaining (?.)', 18],
  ['2 ** 3', 'Exponent operator (**)', 1],
  ['var x = 2; x **= 2', 'Exponent operator (**=)', 12],
  ['outer: for (;;) { break outer; }', 'Label', 1],
  ['async function f() {}', 'async function', 1],
  ['var f = async () => 1', 'async function', 9],
  ['function* g() {}', 'Generator function (function*)', 1],
  ['String.raw`x`', 'Tagged template', 1],
  ['class A extends (Object) {}', "'extends' with an expression (only an identifier may follow extends)", 17],
  ['class A extends mixin(Object) {}', "'extends' with an expression (only an identifier may follow extends)", 17],
  // src/jsparse.c jspeFactorArray: a hole is a SyntaxError wherever Espruino parses without executing.
  ['var x = 0; if (x) x = [1, , 3]', 'Array hole ([a, , b]) in code Espruino may skip (a branch, case, loop body, catch or arrow body)', 23],
  ['switch (2) { case 1: [, 1]; }', 'Array hole ([a, , b]) in code Espruino may skip (a branch, case, loop body, catch or arrow body)', 22],
  ['var f = () => [, 1]', 'Array hole ([a, , b]) in code Espruino may skip (a branch, case, loop body, catch or arrow body)', 15],
  ['for (var i = 0; i < 1; i = [, 1].length) {}', 'Array hole ([a, , b]) in code Espruino may skip (a branch, case, loop body, catch or arrow body)', 28],
  ['for (var k in {}) { [, 1]; }', 'Array hole ([a, , b]) in code Espruino may skip (a branch, case, loop body, catch or arrow body)', 21],
  ['try {} catch (e) { [, 1]; }', 'Array hole ([a, , b]) in code Espruino may skip (a branch, case, loop body, catch or arrow body)', 20],
  ['var y = 0 || [, 1]', 'Array hole ([a, , b]) in code Espruino may skip (a branch, case, loop body, catch or arrow body)', 14],
  ['/ab?/.test("a")', "Regular expression '?' quantifier", 4],
  ['/a{2}/', 'Regular expression {n} quantifier', 3],
  ['/a(?=b)/', 'Regular expression lookahead', 3],
  ['/(?<=a)b/', 'Regular expression lookbehind', 2],
  ['/(a)\\1/', 'Regular expression backreference', 5],
  ['/a+?/', 'Lazy regular expression quantifier', 4],
  ['/a/m', "Regular expression flag 'm'", 4],
  ['var n = 10n', 'BigInt literal', 9],
];

describe('the syntax gate', () => {
  it.each(REJECTED)('rejects %s', (source, what, col) => {
    const result = checkEspruinoSyntax(source);
    expect(result).toMatchObject({ ok: false, message: `${what} is not supported by Espruino 2v29`, line: 1, col });
  });

  it('accepts what Espruino 2v29 runs', () => {
    const accepted = [
      'class A { constructor() { this.x = 1; } get y() { return 2; } static z() {} m() { super.toString(); } }',
      'class B extends A {}',
      'var f = (a, b) => a + b; let c = 1; const d = `t${c}`;',
      'for (var v of [1, 2]) {} for (var k in {a: 1}) {}',
      'var n = null ?? 1; var o = {f() {}, get g() { return 1; }};',
      'try { throw 1; } catch (e) {} finally {}',
      'switch (1) { case 1: break; default: }',
      'var r = /^a[bc]*d+(e|f)\\d\\w\\s.$/gi; "x".replace(/x/g, function (m) { return m; });',
      'do { } while (false); void 0; delete {}.a; "a" in {};',
      'new Function("return 1")',
      // jspeFactorArray skips a hole while executing: [,1] is [ undefined, 1 ]
      'var a = [, 1]; var b = [1, , 3]; var c = [1, ]; var d = [,];',
      'function f() { return [, 1]; } var g = () => { return [, 1]; };',
    ];
    for (const source of accepted) expect(checkEspruinoSyntax(source), source).toEqual({ ok: true });
  });

  it('reports code that does not parse at all, at the parser position', () => {
    expect(checkEspruinoSyntax('var = 1')).toMatchObject({ ok: false, message: 'Unexpected token', line: 1, col: 5 });
    expect(checkEspruinoSyntax('a\nb c')).toMatchObject({ ok: false, message: 'Unexpected token', line: 2, col: 3 });
  });

  it.each(REJECTED)('leaves the REPL running after refusing %s, without evaluating it', (source, what, col) => {
    const { type, engine } = connectedRepl();
    const out = type('\x10' + source + '\n');
    expect(out).toBe(
      `Uncaught SyntaxError: ${what} is not supported by Espruino 2v29\r\n    at REPL (:1:${col})\r\n${source}\r\n${' '.repeat(col - 1)}^\r\n>`,
    );
    expect(engine.evaluated).toEqual([]);
    expect(type('1+1\n')).toBe('1+1\r\n=2\r\n>');
  });
});
