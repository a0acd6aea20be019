import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../board-test-kit';

describe('exceptions in callbacks', () => {
  it('are printed as Uncaught and the interval keeps running', () => {
    const t = startBoard();
    t.value('var n = 0; setInterval(function(){ n++; if (n === 2) throw new Error("second"); }, 100)');
    t.take();
    t.board.run(450);
    expect(t.take()).toContain('Uncaught Error: second');
    expect(t.value('n')).toBe(4);
  });

  it('watches keep running after their callback throws', () => {
    const t = startBoard({ buttonBounce: false });
    t.value('var presses = 0; setWatch(function(){ presses++; throw new TypeError("oops"); }, BTN, {repeat:true, edge:"rising"})');
    t.take();
    for (let i = 0; i < 3; i++) {
      t.board.pressButton(50);
      t.board.run(200);
    }
    expect(t.value('presses')).toBe(3);
    expect(t.take().split('Uncaught TypeError: oops').length - 1).toBe(3);
  });

  it('go to process.on("uncaughtException") when there is a handler', () => {
    const t = startBoard();
    t.value('process.on("uncaughtException", function(e){ print("handled", e.message) }); setTimeout(function(){ throw new Error("x") }, 1)');
    t.take();
    t.board.run(5);
    expect(printed(t.take())).toEqual(['handled x']);
  });
});
