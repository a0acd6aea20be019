import { describe, expect, it } from 'vitest';
import { checkFirmwareSource } from './build';
import { functionDepth } from './function-depth';
import { FACTORY_MIN_FUNCTIONS } from './keep-factories';
import { runWithoutHoisting } from './run-without-hoisting';

// A module-level factory making FACTORY_MIN_FUNCTIONS functions, called once from inside another function
// (as boot/ calls startScheduler, which calls createScheduler), and a small one making two. boot() runs
// twice, so that it stays a function of its own rather than being spread into the bundle's top.
const methods = Array.from({ length: FACTORY_MIN_FUNCTIONS }, (_, i) => `m${i}: function (): number { return total += ${i + 1}; }`).join(',\n    ');
const SOURCE = `function createCounter(start: number) {
  let total = start;
  return {
    ${methods},
  };
}
function createPair(start: number) {
  let seen = start;
  return { get: function () { return seen; }, bump: function () { return ++seen; } };
}
function boot(name: string): void {
  const counter = createCounter(100);
  const pair = createPair(7);
  (global as unknown as Record<string, object>)[name] = { counter: counter, pair: pair };
  print(counter.m0(), counter.m${FACTORY_MIN_FUNCTIONS - 1}(), pair.bump(), pair.get());
}
boot('strap');
boot('spare');
`;

describe('a module-level factory called from another function is not inlined into its caller', () => {
  it('makes its functions one scope below the bundle, where the source has them, and they run as written', async () => {
    const result = await checkFirmwareSource(SOURCE, { fileName: 'firmware/build/fixtures/keep-factories.ts' });
    expect(result.problems).toEqual([]);
    // m0 adds 1: `+=1` and the pair's `++` appear once each in the output
    expect(functionDepth(result.code, '+=1')).toBe(2);
    expect(runWithoutHoisting(result.code, { globals: { global: {} } })).toEqual(Array(2).fill(`101 ${101 + FACTORY_MIN_FUNCTIONS} 8 8`));
  });

  it('still inlines a factory making fewer functions (one function less, what it makes one scope deeper)', async () => {
    const result = await checkFirmwareSource(SOURCE, { fileName: 'firmware/build/fixtures/keep-factories.ts' });
    expect(functionDepth(result.code, '++')).toBe(3);
  });
});
