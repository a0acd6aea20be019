/**
 * Battery as the strap reads it.
 *
 * `Puck.getBatteryPercentage()` is Espruino's coin-cell scale (2.2–2.8 V):
 * a Li-Po sits above it and always reads 100 %. The strap therefore measures
 * the voltage with `NRF.getBattery()` and maps it through a coarse Li-Po
 * open-circuit curve (4.2 V full, 3.0 V cut-off; rest voltage, so it reads
 * a little low under load; charge-curve.ts).
 */
import { curvePercent } from './charge-curve';

export interface BatteryReading {
  percent: number;
  volts: number;
}

export function readBattery(): BatteryReading {
  const volts = NRF.getBattery();
  // lipoPercent's figure, written here: one function fewer in the strap's RAM.
  return { percent: Math.round(curvePercent(volts)), volts: Math.round(volts * 100) / 100 };
}

/** The percent readBattery reports for `volts` (tests; the bundle leaves it out). */
export function lipoPercent(volts: number): number {
  return Math.round(curvePercent(volts));
}
