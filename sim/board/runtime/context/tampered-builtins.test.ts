/**
 * Board code may replace any built-in or hang getters and setters on the
 * prototypes. What the realm runs for it afterwards (the prelude's events,
 * Promise and Date, the boundary's wrappers and trampoline, the host reading
 * listeners and stacks) uses intrinsics captured before any board code ran,
 * so the board's own code may break but the board keeps running: a timer
 * callback that throws is reported as Uncaught, board.run never throws, and
 * the console still answers.
 */
import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../../board-test-kit';

const TAMPERINGS: ReadonlyArray<readonly [string, string]> = [
  ['Function.prototype.call', 'Function.prototype.call = 1'],
  ['Function.prototype.apply and bind', 'Function.prototype.apply = 1; Function.prototype.bind = 1'],
  ['Object.prototype.hasOwnProperty', 'Object.prototype.hasOwnProperty = 1'],
  ['Array.prototype methods', 'Array.prototype.slice = 1; Array.prototype.push = 1; Array.prototype.unshift = 1; Array.prototype.indexOf = 1; Array.prototype.splice = 1; Array.prototype.forEach = 1; Array.prototype.map = 1; Array.prototype.join = 1'],
  ['a setter on Array.prototype[0]', 'Object.defineProperty(Array.prototype, "0", { set: function () { throw new Error("setter ran") } })'],
  ['Object.prototype.get (every descriptor would look like an accessor)', 'Object.prototype.get = function () { throw new Error("getter ran") }'],
  ['Object.prototype.set and value', 'Object.defineProperty(Object.prototype, "value", { get: function () { throw new Error("value read") } }); Object.prototype.set = 1'],
  ['Object statics', 'Object.defineProperty = 1; Object.getPrototypeOf = 1; Object.getOwnPropertyNames = 1; Object.create = 1; Object.keys = 1'],
  ['Symbol-keyed members (Symbol itself is hidden, its values reachable)', 'Object.getOwnPropertySymbols(Array.prototype).forEach(function (s) { Array.prototype[s] = 1 }); Object.getOwnPropertySymbols(Date.prototype).forEach(function (s) { Object.prototype[s] = function () { throw new Error("toPrimitive") } })'],
  ['Promise.prototype.then and Promise.resolve', 'Promise.prototype.then = 1; Promise.resolve = 1'],
  ['Reflect (hidden from the board) replaced by a global of its own', 'Reflect = { apply: 1 }'],
  ['String, TypeError and RegExp.prototype.test', 'String.prototype.indexOf = 1; RegExp.prototype.test = 1; String = 1; TypeError = 1'],
  ['Error.prototype.toString', 'Error.prototype.toString = function () { throw new Error("toString ran") }'],
];

describe('the realm keeps working when board code has tampered with the built-ins', () => {
  it.each(TAMPERINGS)('%s: a throwing timer callback is reported and board.run does not throw', (_name, tampering) => {
    const t = startBoard();
    t.value(tampering);
    t.value('setTimeout(function () { throw new Error("x") }, 5)');
    t.take();
    expect(() => t.board.run(50)).not.toThrow();
    expect(t.take()).toContain('Uncaught');
    expect(printed(t.type('\x10print(1+1)', 5))).toContain('2');
  });

  it.each(TAMPERINGS)('%s: events, promises and Date still run as Espruino runs them', (_name, tampering) => {
    const t = startBoard();
    t.value('var got = ""; var o = {}; o.on("ev", function (v) { got += "e" + v }); var p = new Promise(function (res) { res(1) })');
    t.value('var keep = Promise.prototype.then; var all = Promise.all; var D = Date');
    t.value(tampering);
    t.value('o.emit("ev", 1); keep.call === undefined || 1');
    expect(() => t.board.run(10)).not.toThrow();
    expect(t.value('got')).toBe('e1');
    expect(t.value('typeof new D().getTime()')).toBe('number');
    expect(t.value('typeof D()')).toBe('string');
  });

  it('with Object.prototype.get set, the host reading globals (memory count, onInit) does not abort the process', () => {
    // Node's vm interceptor builds a global's descriptor in the board's realm: V8 aborts on `get` + `value`
    const t = startBoard();
    t.value('var kept = [1, 2, 3]; function onInit() {} Object.prototype.get = function () {}');
    expect(t.value('process.memory().usage')).toBeGreaterThan(0);
    expect(t.type('save()', 20)).toContain('Compressed');
  });

  it('a rejected promise after Promise.prototype.then is replaced is still reported as unhandled', () => {
    const t = startBoard();
    t.value('Promise.prototype.then = 1; Promise.reject(new Error("late"))');
    t.take();
    expect(() => t.board.run(10)).not.toThrow();
    expect(t.take()).toContain('Uncaught Error: Unhandled promise rejection: Error: late');
  });

  it("Promise.all settles through the realm's own then, not the board's replacement", () => {
    const t = startBoard();
    t.value('var out; var all = Promise.all; var p = all([1, 2]); Promise.prototype.then = function () { out = "board then ran" }');
    t.board.run(10);
    expect(t.value('out')).toBeUndefined();
  });

  it("the built-ins' Espruino argument checks (espruino-builtins-prelude.ts) keep their words when what they use is replaced", () => {
    const t = startBoard();
    t.value('Array.isArray = function () { return false }; Object.prototype.toString = function () { return "[object ArrayBuffer]" }; Math.trunc = function () { return 7 }; String.fromCharCode = function () { return "?" }; Number.prototype.valueOf = function () { return 1 }');
    expect(t.value('try { Object.create([]) } catch (e) { e.name + ": " + e.message }')).toBe('TypeError: Object prototype may only be an Object or null: Array');
    expect(t.value('Object.keys(null).length')).toBe(0);
    expect(t.value('(9.99).toFixed(1)')).toBe('9.9');
    expect(t.value('Object.defineProperty({}, "a", { value: 3 }).a')).toBe(3);
  });
});
