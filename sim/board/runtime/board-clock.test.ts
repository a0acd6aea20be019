import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../board-test-kit';

describe("the board's clock events run behind a fault barrier", () => {
  it('a fault inside one is reported on the console and never thrown into the host that runs the clock', () => {
    const t = startBoard();
    t.board.pins.onChange(() => {
      throw new Error('a model attached to D1 failed');
    });
    // digitalPulse drives the pin from clock events of the board's own (its hardware timer)
    t.value('digitalPulse(D1, 1, 5)');
    t.take();
    expect(() => t.board.run(10)).not.toThrow();
    expect(t.take()).toContain('ERROR: virtual board fault: a model attached to D1 failed\r\n');
    expect(t.board.faults.length).toBe(2);
    expect(printed(t.type('print(1+1)'))).toContain('2');
  });
});
