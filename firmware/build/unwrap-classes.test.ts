import { describe, expect, it } from 'vitest';
import { checkFirmwareSource } from './build';
import { functionDepth } from './function-depth';
import { runWithoutHoisting } from './run-without-hoisting';

const SOURCE = `class Tally {
  static made = 0;
  private total: number;
  constructor(start: number) { this.total = start; Tally.made++; }
  add(n: number): number { return (this.total += n); }
  twice(n: number): number { this.add(n); return this.add(n); }
}
class Loud extends Tally {
  shout(): string { return 'at ' + this.add(0); }
}
const tally = new Tally(5);
const loud = new Loud(1);
print(tally.twice(2), tally instanceof Tally, loud.shout(), loud instanceof Tally, Tally.made);
`;

describe('a class is written out where it stands, not inside a wrapper function', () => {
  it('puts its constructor and methods in the bundle scope, and they run as written', async () => {
    const result = await checkFirmwareSource(SOURCE, { fileName: 'firmware/build/fixtures/unwrap-classes.ts' });
    expect(result.problems).toEqual([]);
    // twice() is the one function calling a method twice: the bundle's IIFE is its only enclosing function
    expect(functionDepth(result.code, '),this.add(')).toBe(1);
    expect(runWithoutHoisting(result.code)).toEqual(['9 true at 1 true 2']);
  });

  it('keeps the wrapper of a class that extends another (it takes the base class as a parameter)', async () => {
    const result = await checkFirmwareSource(SOURCE, { fileName: 'firmware/build/fixtures/unwrap-classes.ts' });
    expect(functionDepth(result.code, '"at "')).toBe(2);
  });
});
