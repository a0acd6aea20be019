import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';
import { FlashMemory } from '../storage/flash-memory';
import { EvalLog } from './eval-log';
import { savedStateImage } from './saved-state';

describe('the console lines save() writes are bounded by the flash', () => {
  it('keeps its lines while their image fits, and knows the image length exactly', () => {
    const log = new EvalLog(10_000);
    const lines = ['var a = 1', 'print("\\u00e9 \\"quoted\\"")', ''];
    for (const l of lines) log.push(l);
    expect(log.sources).toEqual(lines);
    expect(log.imageLength).toBe(savedStateImage(lines).length);
  });

  it('past the flash it keeps no line, only the image length', () => {
    const log = new EvalLog(1000);
    const lines = Array.from({ length: 200 }, (_, i) => `x${i} = ${i}`);
    for (const l of lines) log.push(l);
    expect(log.sources).toBeUndefined();
    expect(log.imageLength).toBe(savedStateImage(lines).length);
    log.replace(['a = 1']);
    expect(log.sources).toEqual(['a = 1']);
  });

  it('save() after more lines than the flash holds fails as Storage does, and the board goes on', () => {
    const t = startBoard({ flash: new FlashMemory({ pageCount: 2 }) });
    for (let i = 0; i < 200; i++) t.value(`var v${i} = "${'x'.repeat(40)}"`);
    for (let i = 0; i < 200; i++) t.board.console.input(`v${i} = "${'y'.repeat(40)}"\n`);
    t.board.run(50);
    const out = t.type('save()', 5);
    expect(out).toContain('Unable to find or create file');
    expect(t.board.readFile('.varimg')).toBeUndefined();
    expect(t.value('1 + 1')).toBe(2);
  });
});
