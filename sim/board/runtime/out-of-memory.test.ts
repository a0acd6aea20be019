/**
 * Board code cannot take more memory than the Puck.js has (runtime/memory-guard.ts):
 * past its 2,630 variables an allocation fails as Espruino's does
 * (src/jsvar.c jsvNewWithFlags): "ERROR: Out of Memory!", the LOW_MEMORY and
 * MEMORY flags, the running code interrupted, what it had made kept.
 * The host stays alive and the board answers.
 */
import v8 from 'node:v8';
import sinon from 'sinon';
import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../board-test-kit';
import { nameBlocks, stringBlocks, typedArrayBlocks } from './espruino-sizes';

/** The board's figure with what closures keep read (a deep count, as process.memory() makes). */
function deepUsage(t: ReturnType<typeof startBoard>): number {
  return t.board.memory({ closures: true }).usage;
}

function flags(t: ReturnType<typeof startBoard>): string {
  return String(t.value('E.getErrorFlags().join()'));
}

describe('one allocation larger than the board is refused before the host makes it', () => {
  it.each([
    ['new ArrayBuffer(4294967296)', 'var v = new ArrayBuffer(4294967296)'],
    ['new Uint8Array(1e9)', 'var v = new Uint8Array(1e9)'],
    ['new Float64Array(1e6)', 'var v = new Float64Array(1e6)'],
    ['"x".repeat(5e8)', 'var v = "x".repeat(5e8)'],
    ['"x".padEnd(1e8)', 'var v = "x".padEnd(1e8)'],
    ['Array(1e7).fill(0)', 'var v = Array(1e7).fill(0)'],
    ['new Array(1e8).fill(1)', 'var v = new Array(1e8).fill(1)'],
    ['new Array(n).join', 'var v = new Array(1e8).join("ab")'],
    ['E.toString({data:0, count:1e9})', 'var v = E.toString({data:0, count:1e9})'],
    ['JSON.stringify of a value shared a million times', 'var a = [1,2,3,4,5,6,7,8,9,10]; for (var i = 0; i < 6; i++) a = [a,a,a,a,a,a,a,a,a,a]; var v = JSON.stringify(a)'],
  ])('%s: "ERROR: Out of Memory!", LOW_MEMORY and MEMORY, the line interrupted', (_name, line) => {
    const t = startBoard({ busyLoopLimitMs: 10_000 });
    const out = t.type(line, 10);
    expect(out).toContain('ERROR: Out of Memory!');
    expect(out).toContain('Execution Interrupted');
    expect(t.value('typeof v')).toBe('undefined');
    expect(flags(t)).toBe('LOW_MEMORY,MEMORY');
    expect(printed(t.type('\x10print(1+1)', 5))).toContain('2');
  });

  it('allocations that fit still work as V8 makes them', () => {
    const t = startBoard();
    expect(t.value('[new Uint8Array(3).length, new Uint8Array([1,2]) instanceof Uint8Array, new Uint8Array(2).constructor === Uint8Array, "ab".repeat(3), "x".padStart(3, "-"), [1,2].join("+"), Array(3).fill(7).join(), JSON.stringify({a:[1]}), new ArrayBuffer(4).byteLength, Uint8Array.name, Uint8Array.length].join("|")')).toBe(
      '3|true|true|ababab|--x|1+2|7,7,7|{"a":[1]}|4|Uint8Array|3',
    );
    expect(t.value('new Uint8Array(4).subarray(1).constructor === Uint8Array')).toBe(true);
    expect(() => t.value('"x".repeat(-1)')).toThrow();
    expect(flags(t)).toBe('');
  });
});

describe('growth a little at a time is ended by the board\'s count', () => {
  it('a console loop pushing objects forever ends in Out of Memory, keeps what it made, and the host lives', () => {
    const t = startBoard();
    const out = t.type('var kept = []; while (true) kept.push({ n: kept.length, s: "some text to keep" })', 10);
    expect(out).toContain('ERROR: Out of Memory!');
    expect(out).toContain('Execution Interrupted');
    expect(t.value('kept.length')).toBeGreaterThan(100);
    expect(flags(t)).toBe('LOW_MEMORY,MEMORY');
    // letting go frees it
    t.type('kept = undefined', 5);
    expect(t.value('process.memory().free')).toBeGreaterThan(2000);
  });

  it('a loop pushing forever meets the count inside the run: Out of Memory long before the busy-loop limit', () => {
    const t = startBoard({ busyLoopLimitMs: 60_000 });
    const out = t.type('var kept = []; while (true) kept.push([kept.length, "text"])', 10);
    expect(out).toContain('ERROR: Out of Memory!');
    expect(t.value('kept.length')).toBeLessThan(10_000);
  });

  it.each([
    ['objects by index', 'var kept = []; for (var i = 0; ; i++) kept[i] = { n: i }'],
    ['a string growing by +', 'var kept = ""; for (var i = 0; ; i++) kept = kept + "text " + i'],
    ['properties on one object', 'var kept = {}; for (var i = 0; ; i++) kept["k" + i] = i'],
  ])('growth that no allocation hook sees (%s) is counted once the host heap grows: Out of Memory long before the busy-loop limit', (_name, line) => {
    // 60 s of wall time would let the host heap grow by gigabytes; the count comes after 16 MB (program-runner.ts HEAP_RECOUNT_BYTES)
    const t = startBoard({ busyLoopLimitMs: 60_000 });
    const out = t.type(line, 10);
    expect(out).toContain('ERROR: Out of Memory!');
    expect(flags(t)).toBe('LOW_MEMORY,MEMORY');
    expect(printed(t.type('\x10print(1+1)', 5))).toContain('2');
  });

  it('a collection freeing what earlier work left, right after the run first looks at the heap, does not put the count off', () => {
    // a worker that keeps its modules from file to file (vitest.config.ts isolate: false) holds garbage from the
    // files before; measured from its first look, the run had to grow the heap by all of it again (6 million
    // objects for 300 MB) before the board counted
    const t = startBoard({ busyLoopLimitMs: 60_000 });
    const real = v8.getHeapStatistics.bind(v8);
    let looks = 0;
    const stub = sinon.stub(v8, 'getHeapStatistics').callsFake(() => {
      const heap = real();
      return looks++ === 0 ? { ...heap, used_heap_size: heap.used_heap_size + 300 * 1024 * 1024 } : heap;
    });
    try {
      const out = t.type('var kept = []; for (var i = 0; ; i++) kept[i] = { n: i }', 10);
      expect(out).toContain('ERROR: Out of Memory!');
    } finally {
      stub.restore();
    }
    expect(looks).toBeGreaterThan(1);
    // 16 MB of growth holds some 250,000 of these; 300 MB more would hold millions
    expect(t.value('kept.length')).toBeLessThan(1_000_000);
  });

  it('an interval allocating forever is stopped, the board keeps running and answers', () => {
    const t = startBoard({ busyLoopLimitMs: 10_000 });
    t.value('var kept = []; setInterval(function () { for (var i = 0; i < 40; i++) kept.push([i, "abcdefghijklmnopqrstuvwxyz"]); }, 10)');
    t.take();
    t.board.run(5000);
    const out = t.take();
    expect(out).toContain('ERROR: Out of Memory!');
    expect(t.value('process.memory().usage')).toBeLessThanOrEqual(2630);
    const length = t.value('kept.length') as number;
    t.board.run(2000);
    expect(t.value('kept.length')).toBe(length);
    expect(printed(t.type('\x10print(1+1)', 5))).toContain('2');
  });

  it('board code that catches the interruption still ends interrupted', () => {
    const t = startBoard({ busyLoopLimitMs: 10_000 });
    const out = t.type('var caught = 0; try { new Uint8Array(1e7) } catch (e) { caught++ } ; caught', 10);
    expect(out).toContain('ERROR: Out of Memory!');
    expect(out).toContain('Execution Interrupted');
    expect(out).not.toContain('=1');
  });
});

describe('process.memory().usage counts functions and what closures keep', () => {
  it('a function costs variables, and one that captures more costs more', () => {
    const t = startBoard();
    const base = t.value('process.memory().usage') as number;
    t.value('var f = function () { return 1 }');
    const withFunction = t.value('process.memory().usage') as number;
    expect(withFunction).toBeGreaterThan(base);
    t.value('var g = (function () { var alpha = 1, beta = 2, gamma = 3, delta = 4; return function () { return alpha + beta + gamma + delta } })()');
    const withClosure = t.value('process.memory().usage') as number;
    t.value('var h = (function () { return function () { return 1 } })()');
    const withPlain = t.value('process.memory().usage') as number;
    expect(withClosure - withFunction).toBeGreaterThan(withPlain - withClosure);
  });
});

/**
 * What closures keep is read through V8's inspector (closure-scan.ts) in a
 * deep count: process.memory() makes one (Espruino's counts every variable),
 * and so does a run that grew the host heap by 16 MB or the heap grown by
 * 256 MB across runs (memory-guard.ts). The board's own counts in between
 * add what the last one found beyond the usual count.
 */
describe('what only a closure keeps is counted too', () => {
  /** 100 objects only a closure keeps: each its index, the object, the name n and a string of 9 or 10 characters (2 JsVars). */
  const KEEP_100 = 'var keep = (function () { var a = []; for (var i = 0; i < 100; i++) a.push({ n: "value " + i }); return function () { return a.length; }; })()';
  const CLOSURE = 'var store = (function () { var a = []; return { fill: function (n) { for (var i = 0; i < n; i++) a[a.length] = { n: i }; return a.length; }, drop: function () { a = []; } }; })()';

  it('board.memory({ closures: true }) counts the values a closure keeps; the usual count sees only its names', () => {
    const t = startBoard();
    t.value(KEEP_100);
    const usual = t.board.memory().usage;
    // each of the 100: the object, its index and the name n and a string of 9 or 10 characters (2 JsVars)
    expect(deepUsage(t) - usual).toBeGreaterThanOrEqual(400);
  });

  it("process.memory() counts what closures keep (src/jswrap_process.c: every variable in use), and the board's counts after it do too", () => {
    const t = startBoard();
    const before = t.value('process.memory().usage') as number;
    t.value(KEEP_100);
    const after = t.value('process.memory().usage') as number;
    expect(after - before).toBeGreaterThanOrEqual(400);
    expect(after).toBe(deepUsage(t));
    // the board's own count (read from the host) adds what that deep count found beyond its names
    expect(t.board.memory().usage).toBe(after);
  });

  it('a closure keeps every local of its call, those it never reads too (src/jsparse.c jspeFunctionCall: one scope holds them all)', () => {
    const t = startBoard();
    const deep = (): number => deepUsage(t);
    const before = deep();
    t.value('var used = (function () { var big = [], n = 0; for (var i = 0; i < 50; i++) big.push({ v: i }); return function () { return n } })()');
    // the 50 objects: each its index, the object and the name v with its integer (3 JsVars); V8 drops `big`, Espruino keeps it
    expect(deep() - before).toBeGreaterThanOrEqual(150);
    // and the function's text is as typed
    expect(t.value('used.toString()')).toBe('function () { return n }');
    expect(t.value('(function () { var a = 1; return function () { return a } }).toString()')).toBe('function () { var a = 1; return function () { return a } }');
  });

  it('each call keeps its own scope: two closures of two calls count twice, two of one call once (names alike or not)', () => {
    const t = startBoard();
    const deep = (): number => deepUsage(t);
    t.value('function make() { var kept = [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5]; return [function () { return kept }, function () { return kept.length }] }');
    const before = deep();
    t.value('var one = make()');
    const oneCall = deep() - before;
    t.value('var two = make()');
    const twoCalls = deep() - before;
    // the second call's array of 8 floats (17 JsVars), its scope, names and functions are its own
    expect(twoCalls - oneCall).toBe(oneCall);
    expect(oneCall).toBeGreaterThan(17);
  });

  it('a function defined two scopes deep keeps a copy of the scope list (src/jsparse.c jspeiGetScopesAsVar)', () => {
    const t = startBoard();
    const deep = (): number => deepUsage(t);
    const before = deep();
    t.value('var f = (function () { var x = 1; return function () { return x } })()');
    const flat = deep() - before;
    // x = 3: a scope of primitives alike in the same place as f's would count once (memory-estimate.ts scopeKey)
    t.value('var g = (function () { var x = 3; return (function () { var y = 2; return function () { return x + y } })() })()');
    const nested = deep() - before - flat;
    // flat: its name, the function, `#cod` and its code, `#sco` to the scope; the scope and x (an int sits in its name)
    expect(flat).toBe(1 + 3 + 1 + 2);
    // nested: `#sco` points to an array holding a name per scope; two scopes of a name each
    expect(nested).toBe(1 + 3 + 1 + (1 + 2) + 2 + 2);
  });

  it('a deep count says where its variables go, and the parts add up', () => {
    const t = startBoard();
    t.value('var f = (function () { var x = [1.5, 2.5]; return (function () { var y = 2; return function (a, b) { return x[a] + y + b } })() })()');
    const { usage, parts } = t.board.memory({ closures: true });
    const p = parts!;
    expect(p.functions + p.scopeLinks + p.scopes + p.data + p.board).toBe(usage);
    // f: its JsVar, parameters a and b, `#cod` and its code; `#sco` to a list of two scopes (array + 2 names)
    expect(p.functions).toBe(1 + 2 + 2);
    expect(p.scopeLinks).toBe(1 + 1 + 2);
    // two scopes, a name each
    expect(p.scopes).toBe(2 + 2);
  });

  it.each([
    // src/jsinteractive.c: a timer's callback and arguments are children of its object in the hidden root
    // the timer's own 4 JsVars, then its callback (a JsVar, a parameter, its code) and the array of 2 floats
    ['a timer', 'setTimeout(function (a) { return a + 1 }, 60000, [1.5, 2.5])', 4 + 4 + 5],
    ['a watch', 'setWatch(function (e) { return e.state }, D1, { repeat: true })', 5 + 4],
    // src/jswrap_object.c jswrap_object_on: the listener is a `#on…` child of the object
    ['a listener on a built-in', 'E.on("kill", function () { return 1 })', 2 + 3],
    // libs/bluetooth/jswrap_bluetooth.c jswrap_ble_setServices: the data in the hidden root (BLE_SVC_D)
    ['NRF.setServices', 'NRF.setServices({ 0xBCDE: { 0xABCD: { value: "Hello", readable: true } } })', 8],
    // libs/bluetooth/jswrap_bluetooth.c jswrap_ble_setSecurity: the options in the hidden root (BLE_SEC)
    ['NRF.setSecurity', 'NRF.setSecurity({ mitm: true, lesc: true, passkey: "123456" })', 8],
  ])('what %s keeps, which no global leads to, counts', (_what, line, atLeast) => {
    const t = startBoard();
    const deep = (): number => deepUsage(t);
    const before = deep();
    t.value(line);
    expect(deep() - before).toBeGreaterThanOrEqual(atLeast);
  });

  it("an onWrite is a child of the root too, named \"#onblew\" and its handle: two JsVars more (targets/nrf5x/bluetooth.c jsble_set_services)", () => {
    const t = startBoard();
    t.value('var f = function (e) { return e }');
    // the same table, the function under a key of the same length that NRF does not read
    t.value('NRF.setServices({ 0xBCDE: { 0xABCD: { writable: true, onWrit3: f } } })');
    const without = deepUsage(t);
    t.value('NRF.setServices({ 0xBCDE: { 0xABCD: { writable: true, onWrite: f } } })');
    expect(deepUsage(t) - without).toBe(2);
  });

  it('a built-in module kept in a variable costs the name (src/jswrap_modules.c: one native variable)', () => {
    const t = startBoard();
    const before = t.board.memory().usage;
    t.value('var s = require("Storage")');
    expect(t.board.memory().usage - before).toBe(nameBlocks(1));
  });

  it('views share their ArrayBuffer (src/jswrap_arraybuffer.c jswrap_typedarray_constructor: a view is one variable pointing at it): the buffer counts once, whole', () => {
    const t = startBoard();
    const before = t.board.memory().usage;
    t.value('var b = new Uint8Array(1000)');
    const one = t.board.memory().usage - before;
    expect(one).toBe(nameBlocks(1) + typedArrayBlocks(1000));
    // 50 views of 20 octets each (and `i`): one variable each and an element name, the 1,000 octets not again
    t.value('var v = []; for (var i = 0; i < 50; i++) v.push(b.subarray(i * 20, i * 20 + 20))');
    expect(t.board.memory().usage - before - one).toBe(nameBlocks(1) + 1 + 50 * 2 + nameBlocks(1));
    // a small view alone keeps its whole buffer
    t.value('b = undefined; v = v[3]');
    expect(t.board.memory().usage - before).toBe(3 * nameBlocks(1) + typedArrayBlocks(1000));
  });

  it('a string Storage.read gave points into flash (src/jsflash.c jsfReadFile: a native string, one variable however long); a copy in RAM costs its length', () => {
    const t = startBoard();
    t.value('require("Storage").write("big", "x".repeat(900))');
    const before = t.board.memory().usage;
    t.value('var f = require("Storage").read("big")');
    expect(t.board.memory().usage - before).toBe(nameBlocks(1) + 1);
    t.value('var r = f.substr(1)');
    expect(t.board.memory().usage - before).toBe(2 * nameBlocks(1) + 1 + stringBlocks(899));
  });

  it("a class's methods count (its prototype, src/jsparse.c jspEnsureIsPrototype); a plain function's unused prototype does not", () => {
    const t = startBoard();
    const deep = (): number => deepUsage(t);
    const before = deep();
    t.value('function P() {}');
    const plain = deep() - before;
    t.value('function C() {} C.prototype.go = function (a) { return a }');
    const withMethod = deep() - before - plain;
    // the prototype's name, object, `constructor` and `go` names, and go: a JsVar, a parameter, its code
    expect(withMethod - plain).toBe(nameBlocks('prototype'.length) + 1 + nameBlocks('constructor'.length) + 1 + 4);
  });

  it('an instance keeps its prototype (src/jsparse.c jspeFactorNew: a `__proto__` child): methods reached only through it count', () => {
    const t = startBoard();
    t.value('var made = (function () { function C() { this.n = 1 } C.prototype.go = function (a) { return a }; return new C() })()');
    const literal = startBoard();
    literal.value('var made = (function () { return { n: 1 } })()');
    // `__proto__`, the prototype's object, `constructor` and `go` names, go's 4, and C: a JsVar, its code, its `prototype` name
    const proto = nameBlocks('__proto__'.length) + 1 + nameBlocks('constructor'.length) + 1 + 4;
    // and the call that defined C and go, which both link to (src/jsparse.c jspeFunctionDefinitionInternal: `#sco`): its scope, C's name there, two links
    const definingCall = 1 + nameBlocks(1) + 2;
    expect(deepUsage(t) - deepUsage(literal)).toBe(proto + 3 + nameBlocks('prototype'.length) + definingCall);
  });

  it("a built-in function a closure holds costs its name only: the board's own workings are no firmware variables", () => {
    const keep = (built: string): string =>
      `var keep = (function () { var read = ${built}; var holder = (function () { var deeper = (function () { var a = []; for (var i = 0; i < 100; i++) a.push({ n: "value " + i }); return function () { return a.length; }; })(); return function () { return deeper; }; })(); return function () { return [read, holder]; }; })()`;
    const deep = (built: string): { deep: number; usual: number } => {
      const t = startBoard();
      t.value(keep(built));
      return { deep: deepUsage(t), usual: t.board.memory().usage };
    };
    const withBuiltIn = deep('require("Storage").read');
    const withNumber = deep('1');
    expect(withBuiltIn.deep).toBe(withNumber.deep);
    // what `deeper` keeps two closures down is read: 100 objects of a name and a 9-10 character string
    expect(withBuiltIn.deep - withBuiltIn.usual).toBeGreaterThanOrEqual(400);
  });

  it("filling a closure's array without end ends in Out of Memory; the board stays full until the closure lets go, and the host lives", () => {
    const t = startBoard({ busyLoopLimitMs: 10_000 });
    t.value(CLOSURE);
    expect(t.type('store.fill(1000000)', 10)).toContain('ERROR: Out of Memory!');
    // full: every further fill is stopped at its first megabyte, a small one too
    expect(t.type('store.fill(1000000)', 10)).toContain('Execution Interrupted');
    t.type('store.drop()', 10);
    expect(t.type('store.fill(10)', 10)).toContain('=10');
    expect(printed(t.type('\x10print(1+1)', 5))).toContain('2');
  });

  it('an interval filling a closure is stopped, and the board keeps answering', () => {
    const t = startBoard({ busyLoopLimitMs: 10_000 });
    t.value(CLOSURE);
    t.value('setInterval(function () { store.fill(1000000); }, 10)');
    t.take();
    t.board.run(2000);
    expect(t.take()).toContain('ERROR: Out of Memory!');
    expect(t.board.stats().timers).toBe(0);
    expect(printed(t.type('\x10print(1+1)', 5))).toContain('2');
  });
});
