import { describe, expect, it } from 'vitest';
import { checkFirmwareSource } from './build';
import { runWithoutHoisting } from './run-without-hoisting';

// A class whose methods read `this` often, and one that reads it once: built through the whole pipeline.
const SOURCE = `class Counter {
  private n = 0;
  private step: number;
  constructor(step: number) { this.step = step; }
  add(): number { this.n += this.step; if (this.n > 10) this.n = 0; return this.n; }
  twice(): number { this.add(); return this.add(); }
  later(done: (n: number) => void): void { const self = this; setTimeout(function (this: unknown) { done(self.n + (this === undefined ? 0 : 0)); }, 0); }
}
const counter = new Counter(4);
print(counter.twice(), counter.add(), counter.twice());
`;

describe('the bundle reads this and class prototypes through short aliases', () => {
  it('declares them before use and the methods run as written', async () => {
    const result = await checkFirmwareSource(SOURCE, { fileName: 'firmware/build/fixtures/alias-this.ts' });
    expect(result.problems).toEqual([]);
    expect(result.code).not.toContain('this.n+=');
    expect(result.code.match(/\.prototype/g)).toHaveLength(1);
    expect(runWithoutHoisting(result.code)).toEqual(['8 0 8']);
  });
});
