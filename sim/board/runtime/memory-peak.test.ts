import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';

/**
 * board.memory(): the board's memory accounting read from the host without
 * running JavaScript (the figures process.memory() gives the firmware), and
 * the most variables any of the board's counts found in use: what a bench
 * sampling the firmware needs to report its peak.
 */
describe("the board's memory figures read from the host", () => {
  it('are the figures process.memory() gives, and running no JavaScript to get them', () => {
    const t = startBoard();
    t.type('var kept = []; for (var i = 0; i < 50; i++) kept.push({ i: i })');
    const runs: string[] = [];
    t.board.on('js', (e) => runs.push(e.phase));
    const host = t.board.memory();
    expect(runs).toEqual([]);
    const board = t.value('var m = process.memory(); [m.usage, m.free, m.total]') as number[];
    expect([host.usage, host.free, host.total]).toEqual(board);
  });

  it('keep the peak of every count: a large value the firmware let go of stays in it', () => {
    const t = startBoard();
    const before = t.board.memory();
    t.type('var big = []; for (var i = 0; i < 400; i++) big.push("item " + i)');
    const held = t.board.memory();
    t.type('big = undefined');
    const after = t.board.memory();
    expect(held.usage).toBeGreaterThan(before.usage + 400);
    expect(after.usage).toBeLessThan(held.usage - 400);
    expect(after.peak).toBeGreaterThanOrEqual(held.usage);
  });

  it('start again with the RAM: a reset() makes a new count', () => {
    const t = startBoard();
    t.type('var big = []; for (var i = 0; i < 400; i++) big.push("item " + i)');
    const held = t.board.memory().peak;
    t.type('reset()', 100);
    expect(t.board.memory().peak).toBeLessThan(held);
  });
});
