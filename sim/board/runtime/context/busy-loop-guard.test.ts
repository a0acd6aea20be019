/**
 * The busy-loop guard compiled into board code (loop-guard.ts): callbacks run
 * without `vm`'s per-call watchdog, and a runaway callback still ends in
 * "Execution Interrupted" with the board answering afterwards.
 */
import vm from 'node:vm';
import sinon from 'sinon';
import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../../board-test-kit';
import { guardSource, originalOffset, originalSource } from './loop-guard';

function interruptedInATimer(body: string): string {
  const t = startBoard({ busyLoopLimitMs: 100 });
  t.value('var after = 0; setTimeout(function () { ' + body + ' }, 1); setTimeout(function () { after = 1; }, 150)');
  t.take();
  t.board.run(200);
  const out = t.take();
  expect(printed(t.type('print("alive " + after)', 10))).toContain('alive 1');
  return out;
}

describe('a runaway callback is interrupted by the guard, and the board goes on', () => {
  it.each([
    ['while (1) {}', 'while (1) {}'],
    ['for (;;);', 'for (;;);'],
    ['do {} while (true)', 'do { var x = 1; } while (true)'],
    ['for (x of a) a.push(x)', 'var a = [1]; for (var x of a) a.push(x);'],
    ['for (k in o) with a loop inside', 'var o = {a: 1}; for (var k in o) for (;;) {}'],
    ['exponential recursion with try/catch (no loop)', 'function f() { try { f(); } catch (e) {} try { f(); } catch (e) {} } f();'],
    ['an arrow calling itself in both branches', 'var g = n => n > 40 ? 0 : (g(n + 1), g(n + 1)); g(0);'],
    ['a loop in code given to eval', 'eval("while (true) {}")'],
    ['a loop in code given to Function', 'Function("for (;;) {}")()'],
    ['a sort comparator that loops', '[3, 2, 1].sort(function (a, b) { while (a) {} return 0; })'],
  ])('%s', (_name, body) => {
    expect(interruptedInATimer(body)).toContain('Execution Interrupted');
  });

  it('board code that catches the interrupt cannot keep looping: the next loop test throws again', () => {
    const out = interruptedInATimer('for (;;) { try { for (;;) {} } catch (e) { caught = e.message; } }');
    expect(out.split('Execution Interrupted').length - 1).toBe(1);
  });

  it('board code that catches the interrupt and returns is still reported as interrupted', () => {
    expect(interruptedInATimer('try { while (1) {} } catch (e) {}')).toContain('Execution Interrupted');
  });

  it('a console line with a busy loop is interrupted', () => {
    const t = startBoard({ busyLoopLimitMs: 100 });
    expect(t.type('var n = 0; while (true) { n++; }', 10)).toContain('Execution Interrupted');
    expect(t.value('n')).toBeGreaterThan(0);
  });
});

describe('no run pays for vm\'s watchdog thread', () => {
  it('callbacks, console lines and host reads run without a vm timeout', () => {
    const spy = sinon.spy(vm.Script.prototype, 'runInContext');
    try {
      const t = startBoard();
      t.value('var n = 0; setInterval(function () { n++; }, 10); var o = {}; Object.defineProperty(o, "g", { get: function () { return 1; } })');
      t.type('print(o)');
      t.board.run(1000);
      expect(t.value('n')).toBe(100);
      expect(spy.callCount).toBeGreaterThan(100);
      const timed = spy.getCalls().filter((c) => (c.args[1] as { timeout?: number } | undefined)?.timeout !== undefined);
      expect(timed).toEqual([]);
    } finally {
      spy.restore();
    }
  });
});

describe('board code can neither remove nor shadow the guard', () => {
  it('replacing or redefining it fails, a local named like it changes nothing', () => {
    const t = startBoard({ busyLoopLimitMs: 100 });
    t.value('String.prototype["\\0"] = function (v) { return v; }; try { Object.defineProperty(String.prototype, "\\0", { value: 1 }); } catch (e) {} try { delete String.prototype["\\0"]; } catch (e) {}');
    expect(t.value('typeof ""["\\0"]')).toBe('function');
    expect(interruptedInATimer('var String = 0, globalThis = 0; while (1) {}')).toContain('Execution Interrupted');
    expect(t.type('setTimeout(function () { String.prototype["\\0"] = null; for (;;) {} }, 1)', 100)).toContain('Execution Interrupted');
  });

  it('a guard call typed by board code only counts down its budget', () => {
    expect(startBoard().value('""["\\0"](42) + 1')).toBe(43);
  });
});

describe('the guard is invisible in what board code and the console show', () => {
  it('Function.prototype.toString gives the function as typed', () => {
    const t = startBoard();
    const text = 'function f(a) { "use strict"; for (var i = 0; i < a; i++) { while (0); } do {} while (0); return x => x + 1; }';
    t.value(text);
    expect(t.value('f.toString()')).toBe(text);
    expect(t.value('String(f(1))')).toBe('x => x + 1');
    expect(t.value('Function("a", "while (a) a--; return a").toString()')).toBe('function anonymous(a\n) {\nwhile (a) a--; return a\n}');
  });

  it('the console prints a function as typed', () => {
    const t = startBoard();
    expect(t.type('(function (n) { while (n) n--; return n; })')).toContain('=function (n) { ... }');
    t.type('function g(n) { for (;;) { if (n) break; } return n; }');
    expect(t.type('print(g)')).toContain('function (n) {for(;;){if(n)break;}return n;}');
  });

  it('a "use strict" directive stays a directive', () => {
    expect(startBoard().value('(function () { "use strict"; while (0); return this; })()')).toBe(undefined);
  });

  // (on line 2: vitest's source-map support shifts columns past 62 on a script's line 1, a CommonJS header correction)
  it('an error thrown after a guard on the same line is placed where it was typed', () => {
    const out = startBoard().type('function h() {\n  while (0) {} return null.x; }; h()');
    expect(out).toContain('Uncaught TypeError');
    const unguarded = startBoard().type('function h() {\n  if (0) {};;; return null.x; }; h()');
    expect(out.replaceAll('while (0) {}', 'if (0) {};;;')).toBe(unguarded);
  });
});

describe('guardSource / originalSource / originalOffset', () => {
  it.each(['while(1){}', 'for(;;);', 'do x(); while(a, b)', 'var g = a => b => c', 'for (k in o) for(;;) x', 'x = {get a(){ return 1 }, b(){}}', 'class A { constructor() { super.x; } }'])(
    '%s compiles and strips back to itself',
    (source) => {
      const guarded = guardSource(source)!;
      expect(() => new Function(guarded.code)).not.toThrow();
      expect(originalSource(guarded.code)).toBe(source);
    },
  );

  it('maps an offset in the guarded code back to the source as typed', () => {
    const source = 'function f(){ while(0); return x.y }';
    const guarded = guardSource(source)!;
    expect(originalOffset(guarded, guarded.code.indexOf('x.y'))).toBe(source.indexOf('x.y'));
  });

  it('leaves code with no loop and no function alone', () => {
    expect(guardSource('a = 1 + 2')).toBeUndefined();
  });
});
