/**
 * `e.stack` on the board is Espruino 2v29's: the text src/jsinteractive.c
 * jsiCheckErrors prints after `Uncaught ...` (it prints the exception's
 * `stack` as it is), made by src/jslex.c jslPrintStackTrace, one frame per
 * live lexer, innermost first (rules in sim/board/repl/stack-frames.ts and
 * error-report.ts). Running out of stack is src/jsparse.c
 * jspCheckStackPosition's "Too much recursion", which also interrupts
 * execution: no catch body runs, and the report ends "Execution Interrupted".
 */
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';
import { charsFitting } from './board-stack';

/** What V8 or the host would put in a stack: V8 frames and columns of guarded code, file names, host paths. */
const NOT_ESPRUINO = /\.ts\b|\.js\b|node:|<anonymous>|Object\.|Script\.|console#|board-prelude|board-call|__boardCall__|RangeError|Maximum call stack|\n {4}at [^\n]*\(\S+:\d+:\d+\)/;

const F = 'function f(a) {\n  if (a) throw new Error("bad " + a);\n}';
/** f's frame: its lexer runs over its body, from `if`; the Error is traced at its constructor call's `)`. */
const F_FRAME = '    at f (:1:34)\nif (a) throw new Error("bad " + a);\n' + ' '.repeat(33) + '^\n';

describe('e.stack, as board code reads it', () => {
  it('in a function called from a console line: the function named as called, then the REPL line at the call', () => {
    const t = startBoard();
    t.type(F);
    t.type('var e1; try { f(2) } catch (e) { e1 = e }');
    expect(t.value('e1.stack')).toBe(F_FRAME + '    at REPL (:1:18)\nvar e1; try { f(2) } catch (e) { e1 = e }\n' + ' '.repeat(17) + '^\n');
  });

  it('in a function a timer called: the callback has no name and nothing is outside it (the idle loop has no lexer)', () => {
    const t = startBoard();
    t.type(F);
    t.type('var e1; setTimeout(function () { try { f(3) } catch (e) { e1 = e } }, 5)', 20);
    expect(t.value('e1.stack')).toBe(F_FRAME + '    at :1:10\ntry { f(3) } catch (e) { e1 = e }\n' + ' '.repeat(9) + '^\n');
  });

  it('in a function a watch called: the same as a timer', () => {
    const t = startBoard({ buttonBounce: false });
    t.type(F);
    t.type('var e1; setWatch(function () { try { f(4) } catch (e) { e1 = e } }, BTN, { edge: "rising" })');
    t.board.pressButton(50);
    t.board.run(200);
    expect(t.value('e1.stack')).toBe(F_FRAME + '    at :1:10\ntry { f(4) } catch (e) { e1 = e }\n' + ' '.repeat(9) + '^\n');
  });

  it('in a console line compiled once per shape: each line keeps its own text, its string included', () => {
    const t = startBoard();
    // kept in a closure, so no count of the board's memory reads (and so formats) their stacks before the test does
    t.type('var store = (function () { var k = []; return { keep: function (s) { try { throw new Error(s) } catch (e) { k.push(e) } }, get: function (i) { return k[i]; } }; })()');
    // simple lines that end with a string run one compiled script per shape (program-cache.ts compileConsoleLine)
    t.type('store.keep("the first line\\t")');
    t.type('store.keep("second")');
    // traced at the call's `)`, the line's last character
    const frame = (line: string) => `    at REPL (:1:${line.length})\n${line}\n${' '.repeat(line.length - 1)}^\n`;
    expect(t.value('store.get(0).message + "|" + store.get(1).message')).toBe('the first line\t|second');
    expect(t.value('store.get(0).stack')).toContain(frame('store.keep("the first line\\t")'));
    expect(t.value('store.get(1).stack')).toContain(frame('store.keep("second")'));
  });

  it('has one frame per call however deep (jslPrintStackTrace has no limit; V8 keeps 10 unless told)', () => {
    const t = startBoard();
    t.type('function g(n) { if (n == 0) throw new Error("deep"); return g(n - 1); }');
    t.type('var e1; try { g(15) } catch (e) { e1 = e }');
    const stack = t.value('e1.stack') as string;
    expect(stack.match(/^ {4}at g \(/gm)).toHaveLength(16);
    expect(stack.match(/^ {4}at REPL \(/gm)).toHaveLength(1);
  });

  it.each([
    ['an Error the code throws', 'throw new Error("x")'],
    ["V8's TypeError", 'undefined.x'],
    ['a ReferenceError', 'notDefinedAnywhere + 1'],
    ["an error of the board's API", 'require("Storage").write()'],
    ['an error inside eval', 'eval("null.y")'],
  ])('%s: nothing of V8 or the host in e.stack, e.toString() or what print shows', (_, code) => {
    const t = startBoard();
    const out = t.type(`function h() { ${code}; }\ntry { h() } catch (e) { print(e.stack); print(e.toString()); print(e); print([e.stack]) }`);
    expect(out).toContain('    at ');
    expect(out).not.toMatch(NOT_ESPRUINO);
  });
});

describe('the uncaught report prints e.stack (src/jsinteractive.c jsiCheckErrors)', () => {
  it('is `Uncaught ` + the error as a string + its stack, for an error thrown again later', () => {
    const t = startBoard();
    t.type(F);
    t.type('var e1; try { f(5) } catch (e) { e1 = e }');
    const stack = t.value('e1.stack') as string;
    expect(t.type('throw e1')).toBe('throw e1\r\nUncaught Error: bad 5\r\n' + stack.replace(/\n/g, '\r\n') + '>');
  });

  it("prints the board's own text when firmware replaced e.stack", () => {
    const t = startBoard();
    expect(t.type('var e = new Error("x"); e.stack = "custom\\n"; throw e')).toBe('var e = new Error("x"); e.stack = "custom\\n"; throw e\r\nUncaught Error: x\r\ncustom\r\n>');
  });

  it('from a timer, a watch and a console line, holds nothing of V8 or the host', () => {
    const t = startBoard({ buttonBounce: false });
    t.type(F);
    t.type('setTimeout(function () { f(6); }, 5)');
    t.type('setWatch(function () { undefined.x; }, BTN, { edge: "rising" })');
    t.board.pressButton(50);
    t.board.run(200);
    t.type('f(7)');
    const out = t.output();
    expect(out.match(/Uncaught /g)).toHaveLength(3);
    expect(out).not.toMatch(NOT_ESPRUINO);
  });
});

describe("running out of stack is Espruino's 'Too much recursion' (src/jsparse.c jspCheckStackPosition)", () => {
  const R = 'function r(n) { return r(n + 1); }';

  it('uncaught: Espruino\'s error, the frames from the call that was refused outwards, then "Execution Interrupted"; the board goes on', () => {
    const t = startBoard();
    t.type(R);
    const out = t.type('r(0)');
    // the call that ran out never started (jspeFunctionCall checks before its lexer exists): innermost is its caller, at `r`
    expect(out.startsWith('r(0)\r\nUncaught Error: Too much recursion - the stack is about to overflow\r\n    at r (:1:8)\r\nreturn r(n + 1);\r\n       ^\r\n    at r (:1:15)\r\n')).toBe(true);
    expect(out.endsWith('Execution Interrupted\r\n>')).toBe(true);
    expect(out).not.toMatch(NOT_ESPRUINO);
    expect(t.type('1+2')).toBe('1+2\r\n=3\r\n>');
  });

  it("its trace is a string of the board's: cut where the board's free variables end", () => {
    const t = startBoard();
    t.type(R);
    const free = t.value('process.memory().free') as number;
    const out = t.type('r(0)');
    const trace = out.slice(out.indexOf('    at '), out.lastIndexOf('Execution Interrupted')).replace(/\r\n/g, '\n');
    expect(trace.length).toBeLessThanOrEqual(charsFitting(free));
    expect(trace.length).toBeGreaterThan(charsFitting(free) - 100);
  });

  it('caught: the catch takes the exception but its body does not run (an interrupted parser executes nothing), so only "Execution Interrupted"', () => {
    const t = startBoard();
    t.type(R);
    expect(t.type('var got = 0; try { r(0) } catch (e) { got = e }')).toBe('var got = 0; try { r(0) } catch (e) { got = e }\r\nExecution Interrupted\r\n>');
    expect(t.value('got')).toBe(0);
  });

  it('a finally block on the way out does not run either, and the report is the uncaught one', () => {
    const t = startBoard();
    t.type(R);
    const out = t.type('var s = 0; try { r(0) } finally { s = 1 }');
    expect(out).toContain('Uncaught Error: Too much recursion - the stack is about to overflow\r\n    at r (:1:8)\r\n');
    expect(out.endsWith('Execution Interrupted\r\n>')).toBe(true);
    expect(t.value('s')).toBe(0);
  });

  it('without an overflow, try, catch and finally run as ever (the guards at their entries change nothing)', () => {
    const t = startBoard();
    expect(t.type('function g(){try{throw new Error("x")}finally{print("fin")}}; try { g() } catch (e) { print(e.message) }')).toContain('\r\nfin\r\nx\r\n=undefined');
    expect(t.type('function h(){try{return 5}finally{print("fin")}}; h()')).toContain('\r\nfin\r\n=5\r\n');
    expect(t.value('(function(){try{return 1}catch(e){}finally{}}).toString()')).toBe('function(){try{return 1}catch(e){}finally{}}');
    expect(t.value('(function(){try{return 1}finally{}}).toString()')).toBe('function(){try{return 1}finally{}}');
  });

  it('in a timer callback: reported the same way, and the board keeps running its other timers', () => {
    const t = startBoard();
    t.type(R);
    t.type('var ticks = 0; setInterval(function () { ticks++; }, 10); setTimeout(function () { r(0); }, 5)');
    const out = t.type('', 100);
    expect(out).toContain('Uncaught Error: Too much recursion - the stack is about to overflow\r\n    at r (:1:8)\r\n');
    expect(out).toContain('Execution Interrupted\r\n');
    expect(t.value('ticks')).toBeGreaterThan(5);
  });

  it("a built-in that recurses on a very deep value throws an ordinary error the board's code can catch", () => {
    const t = startBoard();
    t.type('var deep = []; for (var i = 0; i < 200000; i++) deep = [deep];');
    expect(t.value('var caught = "no"; try { String(deep) } catch (e) { caught = "yes" } caught')).toBe('yes');
  });
});
