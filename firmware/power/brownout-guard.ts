import { chargeFractionAt } from './charge-curve';

// The brownout guard: a peak load is started only when the cell's modelled
// terminal voltage under it stays above the brownout threshold:
//
//   measured − tolerance − peak current × internal resistance  >  brownout
//
// The measurement is NRF.getBattery() taken just before, under whatever load
// is already on (so it errs low, which is the safe side); the tolerance and
// the resistance estimate are configurable (scheduler-config.ts).

export interface GuardSettings {
  brownoutVolts: number;
  internalResistanceOhm: number;
  voltsToleranceV: number;
}

/** True when `peakMa` may be drawn from a cell measured at `volts`. */
export function peakIsSafe(settings: GuardSettings, volts: number, peakMa: number): boolean {
  return volts - settings.voltsToleranceV - (peakMa / 1000) * settings.internalResistanceOhm > settings.brownoutVolts;
}

/**
 * The fraction of the capacity below which the guard refuses `peakMa`: the
 * charge at the rest voltage brownout + peak × resistance (in the same
 * tolerance-corrected terms as the charge estimator). Charge below it cannot
 * pay, so "payments left" does not count it.
 */
export function floorFraction(settings: GuardSettings, peakMa: number): number {
  return chargeFractionAt(settings.brownoutVolts + (peakMa / 1000) * settings.internalResistanceOhm);
}
