/**
 * Known ways out of a `node:vm` context, each closed (issue 8, "Board
 * JavaScript escapes into the host process"). The walk in
 * sandbox-walk.test.ts looks everywhere; these pin each path by name.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBoard } from '../../board-test-kit';

const scratch = mkdtempSync(join(tmpdir(), 'board-escape-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The board's global object, readable from the host after its RAM is gone. */
function globalOf(t: ReturnType<typeof startBoard>): Record<string, unknown> {
  return t.value('globalThis') as Record<string, unknown>;
}

describe('E.reboot() caught by board code (the console line of issue 8)', () => {
  it('writes no file as the simulator process', () => {
    const t = startBoard();
    const file = join(scratch, 'x');
    t.type(
      `try{E.reboot()}catch(e){var P=e.constructor.constructor("return process")(); P.getBuiltinModule("fs").writeFileSync(${JSON.stringify(file)},"pid "+P.pid)}`,
    );
    t.board.run(10);
    expect(existsSync(file)).toBe(false);
  });

  it("hands board code an error of the board's realm, whose Function is the board's", () => {
    const t = startBoard();
    const g = globalOf(t);
    t.value('try { E.reboot(); } catch (e) { var seen = [e instanceof Error, e.constructor.constructor === Function, Object.getPrototypeOf(e) === Error.prototype].join(); }');
    expect(g.seen).toBe('true,true,true');
  });

  it('still stops board code that catches it: every further call into the board is refused', () => {
    const t = startBoard();
    const g = globalOf(t);
    t.take();
    t.value('var refused = 0; try { E.reboot(); } catch (e) { try { print("still running"); } catch (e2) { refused++; } try { require("Storage").write("after", "x"); } catch (e3) { refused++; } }');
    expect(g.refused).toBe(2);
    t.board.run(10);
    expect(t.take()).not.toContain('still running');
    expect(t.board.readFile('after')).toBeUndefined();
  });

  it('a power cut under a Storage write reaches board code as a board error and stops it too', () => {
    const t = startBoard();
    const g = globalOf(t);
    t.board.flash.cutPowerAfterBytes(4);
    t.value('var seen; try { require("Storage").write("f", "hello world"); } catch (e) { seen = [e instanceof Error, e.constructor.constructor === Function].join(); try { print("x"); seen += ",ran"; } catch (e2) { seen += ",refused"; } }');
    expect(t.board.powered).toBe(false);
    expect(g.seen).toBe('true,true,refused');
  });
});

describe('errors of host code reach the board as its own', () => {
  it("a TypeError inside a modelled API (E.sum() of nothing) is the board's TypeError with the same text", () => {
    const t = startBoard();
    expect(t.value('try { E.sum(); } catch (e) { [e instanceof TypeError, e.constructor.constructor === Function, e.message].join("|"); }')).toBe(
      'true|true|Array.prototype.reduce called on null or undefined',
    );
  });

  it("running out of stack inside the host's API code under deep board code gives Espruino's error, never the host's RangeError", () => {
    const t = startBoard({ busyLoopLimitMs: 10_000 });
    // each error is judged where it is caught, and no promise settles: thousands of kept errors or
    // queued promise events would fill the board's memory (runtime/memory-guard.ts)
    t.value(`
      var n = 0, foreign = 0;
      function judge(e) {
        n++;
        if (e === null || typeof e !== "object") return;
        var r = e, next;
        while ((next = Object.getPrototypeOf(r)) !== null) r = next;
        if (r !== Object.prototype) foreign++;
      }
      function dive() {
        try { E.toString([1, [2, [3, [4]]]]); } catch (e) { judge(e); }
        try { Date.now(); Math.random(); } catch (e) { judge(e); }
        try { new Promise(function () {}); } catch (e) { judge(e); } // pending: no event queued per frame
        try { require("Storage").read("x"); } catch (e) { judge(e); }
        dive();
      }
    `);
    const out = t.type('dive()');
    // the board's own recursion ends it as Espruino's does (src/jsparse.c jspCheckStackPosition)
    expect(out).toContain('Uncaught Error: Too much recursion - the stack is about to overflow\r\n');
    expect(out).toMatch(/Execution Interrupted\r\n>$/);
    expect(out).not.toMatch(/RangeError|Maximum call stack|\.ts:|node:/);
    expect(t.value('foreign')).toBe(0);
    expect(t.type('1+1')).toBe('1+1\r\n=2\r\n>');
  });
});

describe("V8's stack-trace API is closed (Node hands Error.prepareStackTrace CallSites of the realm reading .stack)", () => {
  it('Error.prepareStackTrace cannot be set, and the REPL reading a stack hands the board nothing', () => {
    const t = startBoard();
    t.type('var original = Error.prepareStackTrace, leaked; Error.prepareStackTrace = function (e, cs) { leaked = cs; return "x"; }');
    expect(t.type('throw new Error("boom")')).toContain('Uncaught Error: boom');
    expect(t.value('[typeof leaked, Error.prepareStackTrace === original].join()')).toBe('undefined,true');
  });

  it("a stack read after Function.prototype.call is replaced throws nothing of the host's (Node falls back to the host's prepareStackTrace when the context has none)", () => {
    const t = startBoard();
    t.value('Function.prototype.call = 1; Function.prototype.apply = 1');
    // Espruino's text (src/jslex.c jslPrintStackTrace), made by the host without the board's call or apply
    expect(t.value('new Error("q").stack')).toBe('    at REPL (:1:14)\nnew Error("q").stack\n             ^\n');
  });

  it('the global Error cannot be swapped for an object with its own prepareStackTrace', () => {
    const t = startBoard();
    t.type('var leaked; Error = { prepareStackTrace: function (e, cs) { leaked = cs; return "x"; } }');
    t.type('throw new TypeError("boom")');
    expect(t.value('[typeof leaked, typeof Error].join()')).toBe('undefined,function');
  });

  it('Error.captureStackTrace (which Espruino lacks) is gone', () => {
    expect(startBoard().value('typeof Error.captureStackTrace')).toBe('undefined');
  });
});

describe('eval and Function (Espruino has both) compile in the board, through its syntax gate', () => {
  it('compile in the board realm', () => {
    const t = startBoard();
    expect(
      t.value(
        '[Function("return this")() === globalThis, Function("return typeof setImmediate")(), eval("typeof setImmediate"), new Function("a", "b", "return a + b")(1, 2), (function () {}).constructor === Function, Function.prototype.constructor === Function, (0, eval)("this") === globalThis].join()',
      ),
    ).toBe('true,undefined,undefined,3,true,true,true');
  });

  it.each([
    ['eval', 'eval("import(\'fs\')")'],
    ['new Function', 'new Function("return import(\'fs\')")'],
    ['a function’s constructor', '(function () {}).constructor("return import(\'fs\')")'],
  ])('refuse import() through %s (a dynamic import in vm rejects with a host-realm error)', (_how, code) => {
    const t = startBoard();
    expect(t.value(`try { ${code}; "compiled" } catch (e) { [e instanceof SyntaxError, e.message].join("|") }`)).toBe(
      'true|import() is not supported by Espruino 2v29',
    );
  });

  it('refuse async functions, which would hand out V8 promises', () => {
    expect(startBoard().value('try { eval("(async function () {})"); "compiled" } catch (e) { e.message }')).toBe(
      'async function is not supported by Espruino 2v29',
    );
  });

  it('a parameter list and a body that only together hide import() are checked together', () => {
    const t = startBoard();
    expect(t.value('try { Function("a = import(\'fs\')", "return a"); "compiled" } catch (e) { e instanceof SyntaxError }')).toBe(true);
  });
});

describe('callers and the call trampoline', () => {
  it("a callback's caller (and arguments.callee.caller) is null: what calls it is strict, never a host function", () => {
    const t = startBoard({ buttonBounce: false });
    t.value('var callers = []; setTimeout(function cb() { callers.push(cb.caller, arguments.callee.caller); }, 1)');
    t.value('setWatch(function w() { callers.push(w.caller); }, BTN)');
    t.value('var o = {}; Object.defineProperty(o, "data", { get: function g() { callers.push(g.caller); return 1; } }); Serial1.write(o)');
    t.board.pressButton(100);
    t.board.run(200);
    expect(t.value('callers.length + ":" + callers.filter(function (c) { return c !== null; }).length')).toBe('4:0');
  });

  it('board code can neither replace nor read the call waiting in the trampoline', () => {
    const t = startBoard();
    t.value('var hits = 0; __boardCall__ = 1; try { Object.defineProperty(globalThis, "__boardCall__", { value: 1 }); } catch (e) {}');
    t.value('setTimeout(function () { hits++; hits += __boardCall__() === undefined ? 10 : 100; }, 1)');
    t.board.run(5);
    expect(t.value('hits')).toBe(11);
  });
});
