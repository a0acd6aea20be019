import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random';

const draw = (rng: SeededRandom, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draw(new SeededRandom(42), 20)).toEqual(draw(new SeededRandom(42), 20));
    expect(draw(new SeededRandom('strap'), 5)).toEqual(draw(new SeededRandom('strap'), 5));
  });

  it('gives different sequences for different seeds', () => {
    expect(draw(new SeededRandom(1), 8)).not.toEqual(draw(new SeededRandom(2), 8));
  });

  it('forks named streams that do not depend on how much the parent was used', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    draw(b, 100);
    expect(draw(a.fork('button'), 4)).toEqual(draw(b.fork('button'), 4));
    expect(draw(a.fork('button'), 4)).not.toEqual(draw(a.fork('battery'), 4));
  });

  it('stays inside the requested ranges and covers them', () => {
    const rng = new SeededRandom(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(1, 6);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(6);
      seen.add(v);
      const f = rng.next();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
    expect(seen.size).toBe(6);
  });
});
