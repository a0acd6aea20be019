import { describe, expect, it } from 'vitest';
import { chargeFractionAt, curvePercent } from './charge-curve';

// The Li-Po open-circuit curve is kept as a string of bytes (charge-curve.ts);
// these are its points as the comment there gives them, read back.
const POINTS: Array<[number, number]> = [
  [4.2, 100],
  [4.07, 90],
  [3.98, 80],
  [3.92, 70],
  [3.86, 60],
  [3.81, 50],
  [3.78, 40],
  [3.77, 30],
  [3.75, 20],
  [3.68, 10],
  [3.6, 5],
  [3.0, 0],
];

describe('the charge curve', () => {
  it('gives each point of the Li-Po curve its percent, full above 4.2 V and empty below 3.0 V', () => {
    expect(POINTS.map(([volts]) => curvePercent(volts))).toEqual(POINTS.map(([, percent]) => percent));
    expect([curvePercent(4.35), curvePercent(2.9)]).toEqual([100, 0]);
  });

  it('interpolates linearly between points, unrounded', () => {
    expect(curvePercent(3.94)).toBeCloseTo(70 + (0.02 / 0.06) * 10, 9);
    expect(curvePercent(3.3)).toBeCloseTo(2.5, 9);
    expect(chargeFractionAt(3.3)).toBeCloseTo(0.025, 9);
  });
});
