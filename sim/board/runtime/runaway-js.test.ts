/**
 * JavaScript that never lets the board idle (issue 8, "The simulator dies or
 * hangs"): Espruino keeps running under each of these, and so does the board
 * — virtual time moves on, the console answers (after Ctrl-C where Espruino
 * needs one), and nothing is thrown at the host.
 */
import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../board-test-kit';
import { CPU_SLACK_MS, JS_RUN_COST_MS } from './cpu-time';

function answersOnTheConsole(t: ReturnType<typeof startBoard>): void {
  expect(printed(t.type('print(1+1)', 20))).toContain('2');
}

describe('timers below Espruino’s minimum interval (src/jsinteractive.h TIMER_MIN_INTERVAL, 0.1 ms)', () => {
  it.each([
    ['setInterval(function(){},0)', 'setInterval(function(){ n++; }, 0)'],
    ['setInterval(f,0.001)', 'setInterval(function(){ n++; }, 0.001)'],
    ['function t(){setTimeout(t,0)} t()', 'function t(){ n++; setTimeout(t, 0); } t()'],
    ['setTimeout(t,-5)', 'function t(){ n++; setTimeout(t, -5); } t()'],
    ['setInterval(f, NaN)', 'setInterval(function(){ n++; }, NaN)'],
  ])('%s no longer stops virtual time: one call per 0.1 ms', (_finding, code) => {
    const t = startBoard();
    t.value('var n = 0; ' + code);
    t.board.run(10);
    const n = t.value('n') as number;
    expect(n).toBeGreaterThanOrEqual(98);
    expect(n).toBeLessThanOrEqual(102);
    answersOnTheConsole(t);
  });

  it('changeInterval(id, 0) takes the minimum too', () => {
    const t = startBoard();
    t.value('var n = 0; var id = setInterval(function(){ n++; }, 1000); changeInterval(id, 0)');
    t.board.run(1);
    expect(t.value('n')).toBeGreaterThanOrEqual(9);
  });
});

describe('(function f(){Promise.resolve().then(f)})(): an event queue that never empties', () => {
  it('no longer throws "more than 100000 events in one pass" at the host; virtual time moves on', () => {
    const t = startBoard();
    t.value('var n = 0; (function f(){ n++; Promise.resolve().then(f); })()');
    expect(() => t.board.run(1000)).not.toThrow();
    // each event costs JS_RUN_COST_MS of CPU (three events a turn of this chain): the chain goes on as time does
    expect(t.clock.nowMs()).toBe(1000);
    const n = t.value('n') as number;
    expect(n).toBeGreaterThan(1000 / JS_RUN_COST_MS / 4);
    expect(n).toBeLessThan(1000 / JS_RUN_COST_MS + CPU_SLACK_MS / JS_RUN_COST_MS);
    expect(t.board.faults).toEqual([]);
  });

  it('keeps the board inside one pass, its console deaf, until Ctrl-C stops it with "Execution Interrupted"', () => {
    const t = startBoard();
    t.type('(function f(){Promise.resolve().then(f)})()');
    t.board.run(100);
    expect(t.type('print("heard")', 100)).toBe('');
    const out = t.type('\x03', 100);
    expect(out).toContain('Execution Interrupted\r\n');
    // the line typed while the board was stuck ran once it was free, then Ctrl-C cleared the line
    expect(printed(out)).toContain('heard');
    answersOnTheConsole(t);
    expect(t.board.stats().events).toBe(0);
  });

  it('a Ctrl-C that arrives with the line, before the pass is stuck, interrupts it too', () => {
    const t = startBoard();
    t.take();
    t.board.console.input('(function f(){Promise.resolve().then(f)})()\n\x03');
    t.board.run(100);
    expect(t.take()).toContain('Execution Interrupted\r\n');
    answersOnTheConsole(t);
  });

  it('an event interrupted as a busy loop drops the rest of the queue, as Espruino’s interrupted flag does', () => {
    const t = startBoard({ busyLoopLimitMs: 50 });
    t.value('var after = 0; Promise.resolve().then(function(){ while (true) {} }); Promise.resolve().then(function(){ after = 1; })');
    t.take();
    t.board.run(100);
    expect(t.take().split('Execution Interrupted').length - 1).toBe(1);
    expect(t.value('after')).toBe(0);
    answersOnTheConsole(t);
  });
});

describe('work that feeds itself through the hardware', () => {
  it('a watch that toggles its own pin: virtual time moves on', () => {
    const t = startBoard();
    t.value('var n = 0; pinMode(D1, "output"); setWatch(function(){ n++; D1.toggle(); }, D1, { repeat: true }); D1.set()');
    t.board.run(100);
    expect(t.value('n')).toBeGreaterThan(100);
    answersOnTheConsole(t);
  });

  it('boot code that reboots the board at once: the reboots take CPU time, the clock moves on', () => {
    const t = startBoard({ powerOn: false });
    let reboots = 0;
    t.board.on('powerOff', (e) => e.reason === 'hard-reset' && reboots++);
    t.board.writeFile('.bootcde', 'E.reboot()');
    t.board.powerOn();
    t.board.run(50);
    expect(reboots).toBeGreaterThan(50);
    expect(t.clock.nowMs()).toBe(50);
  });

  it('reset code that resets the board again: the clock moves on', () => {
    const t = startBoard();
    let resets = 0;
    t.board.on('boot', (e) => e.reason === 'reset' && resets++);
    t.board.writeFile('.bootrst', 'reset()');
    t.value('reset()');
    t.board.run(50);
    expect(resets).toBeGreaterThan(50);
    expect(t.clock.nowMs()).toBe(50);
  });
});

describe('a regular expression that backtracks exponentially (one built-in call: the busy-loop guard never runs)', () => {
  it('finishes with the right answer instead of hanging the simulator (context/regexp-fallback.ts)', () => {
    const t = startBoard();
    // 2^40 backtracking steps: hours without V8's linear-time fallback
    expect(t.type(`/(a+)+$/.test('${'a'.repeat(40)}!')`)).toContain('=false');
    expect(t.type(`'${'a'.repeat(40)}!'.replace(/(a|aa)+$/, 'x').length`)).toContain('=41');
    answersOnTheConsole(t);
  });
});

describe('patterns made at run time pass the same gate as literals (Espruino has no backreferences; the linear fallback covers the rest)', () => {
  it.each([
    ['new RegExp', `new RegExp("(a+)+\\\\1b").test("${'a'.repeat(40)}c")`],
    ['RegExp()', `RegExp("(?=a)a").test("a")`],
    ['String.prototype.match with a string', `"${'a'.repeat(40)}c".match("(a+)+\\\\1b")`],
  ])('%s with a backreference or lookaround is a SyntaxError, not a hang', (_name, line) => {
    const t = startBoard();
    expect(t.type(line)).toMatch(/Uncaught SyntaxError: Regular expression (backreference|lookahead) is not supported by Espruino/);
    answersOnTheConsole(t);
  });

  it('patterns Espruino has still work, and stay RegExps', () => {
    const t = startBoard();
    expect(t.value('[new RegExp("a+b", "g").test("aab"), RegExp("x") instanceof RegExp, /a/.constructor === RegExp, "abc".match("b").index, "a,b".split(/,/).length, "abc".search("c")].join()')).toBe('true,true,true,1,2,2');
  });
});
