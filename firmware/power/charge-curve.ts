// State of charge from a rest voltage: the coarse Li-Po open-circuit curve
// (4.2 V full, 3.0 V cut-off) that firmware/power/battery.ts reports in whole
// percent and the scheduler's budget uses unrounded (1 % of the 120 mAh cell
// is some 170 payments). One table for both.

// Pairs of bytes, descending: (volts × 100 − 300, percent). A string costs
// Espruino a few variables where an array of floats costs two per element:
// 4.20 V 100 %, 4.07 V 90, 3.98 V 80, 3.92 V 70, 3.86 V 60, 3.81 V 50,
// 3.78 V 40, 3.77 V 30, 3.75 V 20, 3.68 V 10, 3.60 V 5, 3.00 V 0.
const CURVE = '\x78\x64\x6b\x5a\x62\x50\x5c\x46\x56\x3c\x51\x32\x4e\x28\x4d\x1e\x4b\x14\x44\x0a\x3c\x05\x00\x00';

/** 0..100, unrounded: the percent of the cell's capacity left at this open-circuit voltage. */
export function curvePercent(volts: number): number {
  // (300 + byte) / 100 is the same double as the volts written out: a quotient of integers is correctly rounded.
  let upperVolts = (300 + CURVE.charCodeAt(0)) / 100;
  if (volts >= upperVolts) return 100;
  for (let i = 2; i < CURVE.length; i += 2) {
    const lowerVolts = (300 + CURVE.charCodeAt(i)) / 100;
    const lowerPercent = CURVE.charCodeAt(i + 1);
    if (volts >= lowerVolts) return lowerPercent + ((volts - lowerVolts) * (CURVE.charCodeAt(i - 1) - lowerPercent)) / (upperVolts - lowerVolts);
    upperVolts = lowerVolts;
  }
  return 0;
}

/** 0..1: the fraction of the cell's capacity left at this open-circuit voltage. */
export function chargeFractionAt(volts: number): number {
  return curvePercent(volts) / 100;
}
