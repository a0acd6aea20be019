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

describe('the bundle writes undefined as a one-letter local', () => {
  it('has neither void 0 nor the name undefined, and undefined still compares as undefined', async () => {
    const result = await checkFirmwareSource(`let last: number | undefined;
function note(n?: number): void { if (n !== undefined) last = n; print(last === undefined ? 'none' : last, typeof n); }
note(); note(3); note(undefined);
`, { fileName: 'firmware/build/fixtures/undefined-local.ts' });
    expect(result.problems).toEqual([]);
    expect(result.code).not.toMatch(/void 0|undefined/);
    expect(runWithoutHoisting(result.code)).toEqual(['none undefined', '3 number', '3 undefined']);
  });
});
