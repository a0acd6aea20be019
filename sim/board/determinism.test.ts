import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startBoard } from './board-test-kit';
import { BUNDLE_PATH } from '../../firmware/build/outputs';

const FIRMWARE = BUNDLE_PATH;

function session(seed: number): string {
  const t = startBoard({ seed, powerOn: false });
  t.board.writeFile(
    '.bootcde',
    existsSync(FIRMWARE)
      ? readFileSync(FIRMWARE, 'latin1')
      : 'setInterval(function(){ print(E.hwRand(), Math.random(), getTime()) }, 1000); setWatch(function(e){ print(e.state, e.time) }, BTN, {repeat:true, edge:"both"})',
  );
  t.board.powerOn();
  t.board.run(2000);
  t.board.pressButton(180);
  t.board.run(3000);
  t.board.pressButton(1200);
  t.board.run(3000);
  t.board.console.input('[E.hwRand(), Math.random(), new Date().toString(), process.memory().usage]\n');
  t.board.run(120_000);
  t.board.powerCycle(1000);
  t.board.run(5000);
  return t.output();
}

describe('determinism', () => {
  it('two boards with the same seed and inputs produce the same console bytes', () => {
    const a = session(42);
    expect(a.length).toBeGreaterThan(100);
    expect(session(42)).toBe(a);
  });

  it('a different seed changes the random streams', () => {
    const a = startBoard({ seed: 1 });
    const b = startBoard({ seed: 2 });
    expect(a.value('E.hwRand()')).not.toBe(b.value('E.hwRand()'));
  });
});
