import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../board-test-kit';

describe('timers run on virtual time', () => {
  it('setTimeout fires at its deadline, with extra arguments, ids from 1', () => {
    const t = startBoard();
    expect(t.value('setTimeout(function (a, b) { print("fired", a, b, getTime()); }, 250, "x", 2)')).toBe(1);
    t.take();
    t.board.run(249);
    expect(t.take()).toBe('');
    t.board.run(1);
    expect(printed(t.take())).toEqual(['fired x 2 0.25']);
  });

  it('setInterval repeats from its due time and clearInterval stops it', () => {
    const t = startBoard();
    t.value('var n = 0; var id = setInterval(function () { n++; if (n === 3) clearInterval(id); }, 100)');
    t.board.run(1000);
    expect(t.value('n')).toBe(3);
    expect(t.board.stats().timers).toBe(0);
  });

  it('timers due at the same time run in id order', () => {
    const t = startBoard();
    t.value('var log = []; setTimeout(function(){log.push("a")}, 10); setTimeout(function(){log.push("b")}, 10); setTimeout(function(){log.push("c")}, 5)');
    t.board.run(20);
    expect(t.value('log.join("")')).toBe('cab');
  });

  it('changeInterval moves the next call and keeps the new period', () => {
    const t = startBoard();
    t.value('var times = []; var id = setInterval(function(){ times.push(Math.round(getTime()*1000)); }, 100)');
    t.board.run(150);
    t.value('changeInterval(id, 20)');
    t.board.run(50);
    expect(t.value('times.join()')).toBe('100,170,190');
  });

  it('clearTimeout() with no argument clears every timer; an unknown id is an error', () => {
    const t = startBoard();
    t.value('setTimeout(function(){}, 10); setInterval(function(){}, 10)');
    t.value('clearTimeout()');
    expect(t.board.stats().timers).toBe(0);
    expect(() => t.value('clearTimeout(42)')).toThrow('Unknown Timeout');
    expect(t.value('clearTimeout(undefined)')).toBeUndefined();
  });

  it('a code string is evaluated at global scope', () => {
    const t = startBoard();
    t.value('var hit = 0; setTimeout("hit = 7", 1)');
    t.board.run(2);
    expect(t.value('hit')).toBe(7);
  });

  it('getTime, Date.now and new Date() come from the virtual clock', () => {
    const t = startBoard({ rtcStartMs: 1_700_000_000_000 });
    t.board.run(1500);
    expect(t.value('getTime()')).toBe(1_700_000_001.5);
    expect(t.value('Date.now()')).toBe(1_700_000_001_500);
    expect(t.value('new Date().getTime()')).toBe(1_700_000_001_500);
    expect(t.value('new Date(0).toString()')).toBe('Thu Jan 1 1970 00:00:00 GMT+0000');
    t.value('setTime(100)');
    expect(t.value('getTime()')).toBe(100);
  });

  it('a timeout of Infinity ms never fires and leaves the board running (the clock refuses an infinite deadline)', () => {
    const t = startBoard();
    t.value('var hit = 0; setTimeout(function(){ hit = 1; }, Infinity); setTimeout(function(){ hit += 10; }, 5); digitalPulse(LED1, 1, Infinity)');
    t.board.run(1000);
    expect(t.value('hit')).toBe(10);
    expect(t.board.stats().timers).toBe(1);
    expect(printed(t.type('print(1+1)'))).toContain('2');
  });
});
