// State of charge from a rest voltage, without rounding: the scheduler's
// budget needs finer steps than the whole percent firmware/power/battery.ts
// reports (1 % of the 120 mAh cell is some 170 payments). Same coarse Li-Po
// open-circuit curve as battery.ts (4.2 V full, 3.0 V cut-off); the test
// sim/scenario/charge-estimator.test.ts keeps the two in step.

// Pairs of [volts, percent], descending: one flat array costs fewer JS variables than nested ones.
const CURVE = [4.2, 100, 4.07, 90, 3.98, 80, 3.92, 70, 3.86, 60, 3.81, 50, 3.78, 40, 3.77, 30, 3.75, 20, 3.68, 10, 3.6, 5, 3.0, 0];

/** 0..1: the fraction of the cell's capacity left at this open-circuit voltage. */
export function chargeFractionAt(volts: number): number {
  // Indices stay inside the table: i + 1 < CURVE.length, which is even.
  if (volts >= CURVE[0]!) return 1;
  for (let i = 2; i < CURVE.length; i += 2) {
    if (volts >= CURVE[i]!) {
      return (CURVE[i + 1]! + ((volts - CURVE[i]!) * (CURVE[i - 1]! - CURVE[i + 1]!)) / (CURVE[i - 2]! - CURVE[i]!)) / 100;
    }
  }
  return 0;
}
