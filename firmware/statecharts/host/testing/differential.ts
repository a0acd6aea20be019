import { alphabet, describeStep, type MachineFixture, type Step } from './machine-fixture';
import { oracleSubject, tableSubject, type Observation } from './subjects';

// Runs one sequence on xstate and on the table runtime side by side and
// reports the first step where what they did differs.

export interface Mismatch {
  /** The steps up to and including the one that differed, described. */
  path: string[];
  oracle: Observation;
  table: Observation;
}

export function firstMismatch(fixture: MachineFixture, steps: readonly Step[]): Mismatch | undefined {
  const oracle = oracleSubject(fixture);
  const table = tableSubject(fixture);
  const path = ['start'];
  let expected = oracle.start();
  let actual = table.start();
  if (!same(expected, actual)) return { path, oracle: expected, table: actual };
  for (const step of steps) {
    path.push(describeStep(step));
    expected = oracle.step(step);
    actual = table.step(step);
    if (!same(expected, actual)) return { path, oracle: expected, table: actual };
    if (expected.status !== 'active') break;
  }
  return undefined;
}

/** Seeded random walks over the fixture's alphabet (mulberry32: same seed, same walks). */
export function randomWalks(fixture: MachineFixture, seed: number, walks: number, length: number): Step[][] {
  const steps = alphabet(fixture);
  let state = seed >>> 0;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: walks }, () => Array.from({ length }, () => steps[Math.floor(random() * steps.length)]!));
}

function same(a: Observation, b: Observation): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
