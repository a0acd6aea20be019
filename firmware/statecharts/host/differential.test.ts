import { beforeAll, describe, expect, it } from 'vitest';
import { NAME_SEPARATOR, PART_SEPARATOR, type TableField } from '../table';
import { coveringSequences, type Coverage } from './testing/covering-sequences';
import { firstMismatch, randomWalks } from './testing/differential';
import { MACHINE_FIXTURES, taskFixture } from './testing/fixtures';

// xstate is the oracle: for sequences that take every transition of each
// machine (and for seeded random walks), the table runtime must end every
// step in the same state value, context, status and pending timers, having
// run the same actions and evaluated the same guards in the same order.

describe.each(MACHINE_FIXTURES)('the $name table runs as xstate runs the machine', (fixture) => {
  let coverage: Coverage;
  beforeAll(() => {
    coverage = coveringSequences(fixture);
  });

  it('has sequences that take every transition, delayed and eventless ones included', () => {
    expect(coverage.uncovered).toEqual([]);
    expect(coverage.transitions.length).toBeGreaterThan(0);
    expect(coverage.sequences.length).toBeGreaterThan(0);
  });

  it('gives the same values, contexts, actions, guard calls and timers on every covering sequence', () => {
    for (const sequence of coverage.sequences) expect(firstMismatch(fixture, sequence)).toBeUndefined();
  });

  it('gives the same on seeded random walks', () => {
    for (const walk of randomWalks(fixture, 0x5742, 30, 60)) expect(firstMismatch(fixture, walk)).toBeUndefined();
  });
});

describe('the differential test notices a wrong table', () => {
  // The exit actions of one transition (running → done: endWork, …, releaseReservation) swapped.
  const swapOps = (records: string, record: number, first: number, second: number): string => {
    let at = 0;
    for (let i = 0; i < record; i++) at += 4 + records.charCodeAt(at + 3) - 32;
    const chars = records.split('');
    [chars[at + 4 + first], chars[at + 4 + second]] = [chars[at + 4 + second]!, chars[at + 4 + first]!];
    return chars.join('');
  };

  it('reports the first step whose actions differ', () => {
    const table = taskFixture.table;
    const running = table('k').split(NAME_SEPARATOR).indexOf('running');
    const l = table('l').split(PART_SEPARATOR).map((records, state) => (state === running ? swapOps(records, 1, 0, 2) : records));
    const mutated = { ...taskFixture, table: (field: TableField) => (field === 'l' ? l.join(PART_SEPARATOR) : table(field)) };
    const mismatches = coveringSequences(taskFixture)
      .sequences.map((sequence) => firstMismatch(mutated, sequence))
      .filter((mismatch) => mismatch !== undefined);
    expect(mismatches.length).toBeGreaterThan(0);
    expect(mismatches[0]!.path.at(-1)).toBe('SUCCEED');
    expect(mismatches[0]!.oracle.trace.slice(0, 3)).toEqual(['endWork', 'releaseReservation', 'chargeEnergy']);
    expect(mismatches[0]!.table.trace.slice(0, 3)).toEqual(['releaseReservation', 'endWork', 'chargeEnergy']);
  });
});
