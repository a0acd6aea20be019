import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';
import { estimateUsageBlocks } from './memory-estimate';

const NO_COUNTS = { timers: 0, watches: 0, events: 0 };

/** Values of every kind V8 gives own non-enumerable names or accessors to, made as board code makes them. */
const FIRMWARE = `
  var list = [1, 2, 3], nested = { a: [{ b: 'text longer than a name' }], n: 1.5 };
  function f() { return list; }
  var withGetter = { get y() { return 1; }, z: [{}] };
  var err = new Error('boom');
  var args; (function () { args = arguments; })(1, 2);
  function K() {} var proto = K.prototype;
  class C { static s() {} m() {} } var instance = new C(), klass = C;
  var re = /a/g, boxed = new String('ab'), bytes = new Uint8Array(40);
  var counter = (function () { var hits = 0; return function () { return ++hits; }; })();
`;

describe('the memory count reads names from V8 as fast as it can and counts the same', () => {
  it('counts what reading every own name counts, for every kind of value V8 hides names in', () => {
    const context = vm.createContext({});
    const builtins = new Set(Object.getOwnPropertyNames(context));
    vm.runInContext(FIRMWARE, context);
    const exact = estimateUsageBlocks(context, builtins, NO_COUNTS, Infinity, true);
    // twice: the first count finds the objects whose properties are all enumerable data, the second reads them fast
    expect(estimateUsageBlocks(context, builtins, NO_COUNTS, Infinity, false)).toBe(exact);
    expect(estimateUsageBlocks(context, builtins, NO_COUNTS, Infinity, false)).toBe(exact);
    vm.runInContext('list.push(4, 5); nested.extra = "another string"; delete nested.n', context);
    const after = estimateUsageBlocks(context, builtins, NO_COUNTS, Infinity, true);
    expect(after).not.toBe(exact);
    expect(estimateUsageBlocks(context, builtins, NO_COUNTS, Infinity, false)).toBe(after);
  });

  it('counts a property board code hid with a descriptor, on an object counted before', () => {
    const t = startBoard();
    t.type('var o = { a: 1 }');
    const before = t.value('process.memory().usage') as number;
    t.type('Object.defineProperty(o, "hidden", { value: "twenty characters.." })');
    // a name of 6 characters (2 JsVars) and a string of 20 (3 JsVars): espruino-sizes.ts
    expect((t.value('process.memory().usage') as number) - before).toBe(5);
  });

  it('never runs a getter board code added later to an object counted before', () => {
    const t = startBoard();
    t.type('var runs = 0, o = { a: 1 }');
    t.value('process.memory().usage');
    t.type('o.__defineGetter__("b", function () { runs++; return 1; })');
    t.value('process.memory().usage');
    expect(t.value('runs')).toBe(0);
  });

  it("counts an array's length in the array's own JsVar (src/jsvar.c jsvGetArrayLength), one JsVar per integer element", () => {
    const t = startBoard();
    const before = t.value('process.memory().usage') as number;
    t.type('var aa = []');
    const empty = t.value('process.memory().usage') as number;
    // the name `aa` and the array
    expect(empty - before).toBe(2);
    t.type('aa.push(1, 2, 3)');
    expect((t.value('process.memory().usage') as number) - empty).toBe(3);
  });

  it('keeps an integer inside its name only from -2048 to 2047 (src/jsutils.h JSVARREF_MIN/MAX with 12-bit references; src/jsvar.c jsvMakeIntoVariableName)', () => {
    const t = startBoard();
    const usage = () => t.value('process.memory().usage') as number;
    t.type('var o = {}');
    const before = usage();
    // a name of one character each: the value in it, or one more JsVar for the integer
    t.type('o.a = 2047; o.b = -2048');
    expect(usage() - before).toBe(2);
    t.type('o.c = 2048; o.d = -2049; o.e = 23550');
    expect(usage() - before).toBe(2 + 3 * 2);
    t.type('var big = [1, 3000]');
    expect(usage() - before).toBe(2 + 3 * 2 + 2 + 1 + 2);
  });

  it("counts a function's parameters and its code link (src/jsparse.c: a function's children are its parameters, then code, scope and name)", () => {
    const t = startBoard();
    const usage = () => t.value('process.memory().usage') as number;
    const before = usage();
    t.type('var f0 = function () {}');
    const one = usage();
    t.type('var f3 = function (a, b, c) {}');
    // the name f0 or f3, the function, its `#cod` name and the code in flash; then a name per parameter
    expect(one - before).toBe(4);
    expect(usage() - one).toBe(4 + 3);
  });

  it("counts a reference to a built-in by its name only: E's own methods are Espruino's, not the firmware's", () => {
    const t = startBoard();
    const before = t.value('process.memory().usage') as number;
    t.type('var o = { e: E, s: Serial1 }');
    // the name o, the object, the names e and s
    expect((t.value('process.memory().usage') as number) - before).toBe(4);
  });
});
