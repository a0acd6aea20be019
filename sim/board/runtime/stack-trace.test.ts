import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';

/**
 * The board's Uncaught reports carry Espruino 2v29's stack frames
 * (src/jslex.c jslPrintStackTrace; rules in sim/board/repl/stack-frames.ts):
 * the text of each frame is the code it ran in, even when that code was typed
 * on an earlier line.
 */
describe('stack traces on the virtual board', () => {
  it('a function typed on an earlier line: its frame in its body, named as called, then the REPL line at the call', () => {
    const t = startBoard();
    t.type('function f(a) {\n  if (a) throw new Error("bad " + a);\n}');
    expect(t.type('f(2)')).toBe(
      'f(2)\r\nUncaught Error: bad 2\r\n' +
        // f's code starts at `if`, the first token of its body: its line 1.
        '    at f (:1:34)\r\nif (a) throw new Error("bad " + a);\r\n' + ' '.repeat(33) + '^\r\n' +
        '    at REPL (:1:4)\r\nf(2)\r\n   ^\r\n>',
    );
  });

  it('a timer callback: one unnamed frame (the idle loop has no lexer), counted from the first token of the body', () => {
    const t = startBoard();
    t.type('setTimeout(function () {\n  throw new Error("Oh no");\n}, 10)');
    expect(t.type('', 20)).toContain('Uncaught Error: Oh no\r\n    at :1:24\r\nthrow new Error("Oh no");\r\n' + ' '.repeat(23) + '^\r\n');
  });

  it('a name that is not defined, inside a watch callback: at the name', () => {
    const t = startBoard({ buttonBounce: false });
    t.type('setWatch(function () { var x = 1; x = x + notThere; }, BTN, {edge:"rising"})');
    t.take();
    t.board.pressButton(50);
    t.board.run(200);
    expect(t.take()).toContain('Uncaught ReferenceError: "notThere" is not defined\r\n    at :1:20\r\nvar x = 1; x = x + notThere;\r\n' + ' '.repeat(19) + '^\r\n');
  });

  it('a syntax error refused at a typed line is at REPL', () => {
    const t = startBoard();
    expect(t.type('var a = [...[1]]')).toContain('\r\n    at REPL (:1:10)\r\nvar a = [...[1]]\r\n         ^\r\n');
  });
});

describe('stack traces of boot code', () => {
  it('a callback defined in .bootcde: its frame in the function body, unnamed', () => {
    const t = startBoard();
    t.value('require("Storage").write(".bootcde", "var n = 0;\\nfunction tick() {\\n  n++; throw new Error(\\"boot \\" + n);\\n}\\nsetTimeout(tick, 5);")');
    t.take();
    t.board.console.input('load()\n');
    t.board.run(100);
    expect(t.take()).toContain('Uncaught Error: boot 1\r\n    at :1:33\r\nn++; throw new Error("boot " + n);\r\n' + ' '.repeat(32) + '^\r\n');
  });
});

describe('stack traces after save()', () => {
  it('a function typed before save() still shows its own code once the lines are replayed', () => {
    const t = startBoard();
    t.type('function first() { throw new Error("one"); }');
    t.type('var other = 2;');
    t.type('save()', 5);
    t.board.powerCycle(100);
    t.board.run(200);
    t.take();
    expect(t.type('first()')).toContain('Uncaught Error: one\r\n    at first (:1:22)\r\nthrow new Error("one");\r\n' + ' '.repeat(21) + '^\r\n    at REPL (:1:7)\r\nfirst()\r\n');
  });
});
