import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../board-test-kit';

describe("Promise callbacks run as events, Espruino's way", () => {
  it('a then callback runs after a pending setTimeout(…, 0)', () => {
    const t = startBoard();
    const out = t.type('var log=[]; Promise.resolve(1).then(function(){log.push("then")}); setTimeout(function(){log.push("timeout")},0); log.push("sync")');
    expect(out).toContain('=1');
    expect(t.value('log.join()')).toBe('sync,timeout,then');
  });

  it('nothing runs until the board loop runs (no V8 microtask timing)', () => {
    const t = startBoard();
    t.value('var seen = 0; Promise.resolve().then(function(){ seen = 1; })');
    expect(t.value('seen')).toBe(0);
    t.board.settle();
    expect(t.value('seen')).toBe(1);
  });

  it('chains pass values, adopt promises and route errors to catch', () => {
    const t = startBoard();
    t.value(
      'var out=[]; new Promise(function(res){ setTimeout(function(){res(2)}, 50) })' +
        '.then(function(v){ return new Promise(function(r){ r(v*10) }) })' +
        '.then(function(v){ out.push(v); throw new Error("bad") })' +
        '.then(function(){ out.push("skipped") })' +
        '.catch(function(e){ out.push(e.message) })',
    );
    t.board.run(100);
    expect(t.value('out.join()')).toBe('20,bad');
  });

  it('Promise.all resolves in input order', () => {
    const t = startBoard();
    t.value('var r; Promise.all([new Promise(function(res){setTimeout(function(){res("slow")},20)}), 1, Promise.resolve("fast")]).then(function(v){ r = v.join() })');
    t.board.run(30);
    expect(t.value('r')).toBe('slow,1,fast');
  });

  it('an unhandled rejection is reported as uncaught', () => {
    const t = startBoard();
    t.take();
    t.value('Promise.reject("nope")');
    t.board.run(1);
    expect(t.take()).toContain('Uncaught Error: Unhandled promise rejection: nope');
  });

  it('prints from then callbacks after the line that made them', () => {
    const t = startBoard();
    const lines = printed(t.type('Promise.resolve("later").then(print); print("first")'));
    expect(lines[1]).toBe('first');
    expect(lines[lines.length - 1]).toBe('later');
  });
});
