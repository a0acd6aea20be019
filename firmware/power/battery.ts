/**
 * Battery as the strap reads it.
 *
 * `Puck.getBatteryPercentage()` is Espruino's coin-cell scale (2.2–2.8 V):
 * a Li-Po sits above it and always reads 100 %. The strap therefore measures
 * the voltage with `NRF.getBattery()` and maps it through a coarse Li-Po
 * open-circuit curve (4.2 V full, 3.0 V cut-off; rest voltage, so it reads
 * a little low under load).
 */
export interface BatteryReading {
  percent: number;
  volts: number;
}

// [volts, percent], descending.
const LIPO_CURVE: Array<[number, number]> = [
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

export function readBattery(): BatteryReading {
  const volts = NRF.getBattery();
  return { percent: lipoPercent(volts), volts: Math.round(volts * 100) / 100 };
}

export function lipoPercent(volts: number): number {
  if (volts >= LIPO_CURVE[0]![0]) return 100;
  for (let i = 1; i < LIPO_CURVE.length; i++) {
    const upper = LIPO_CURVE[i - 1]!;
    const lower = LIPO_CURVE[i]!;
    if (volts >= lower[0]) {
      return Math.round(lower[1] + ((volts - lower[0]) * (upper[1] - lower[1])) / (upper[0] - lower[0]));
    }
  }
  return 0;
}
