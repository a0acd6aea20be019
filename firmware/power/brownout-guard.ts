import { chargeFractionAt } from './charge-curve';

// The brownout guard: a peak load is started only when the cell's modelled
// terminal voltage under it stays above the brownout threshold:
//
//   measured − tolerance − peak current × internal resistance  >  brownout
//
// The measurement is NRF.getBattery() taken just before, under whatever load
// is already on (so it errs low, which is the safe side); the tolerance and
// the resistance estimate are configurable (scheduler-config.ts).

/** The guard's part of the scheduler's config (scheduler-config.ts). */
export interface GuardConfig {
  brownoutVolts: number;
  internalResistanceOhm: number;
  voltsToleranceV: number;
}

/** The same with short keys, as the scheduler keeps them in RAM (guardSettings). */
export interface GuardSettings {
  /** Brownout (V). */
  offV: number;
  /** Internal resistance (Ω). */
  ohm: number;
  /** Measurement tolerance (V). */
  tolV: number;
}

export function guardSettings(config: GuardConfig): GuardSettings {
  return { offV: config.brownoutVolts, ohm: config.internalResistanceOhm, tolV: config.voltsToleranceV };
}

/** True when `peakMa` may be drawn from a cell measured at `volts`. */
export function peakIsSafe(settings: GuardSettings, volts: number, peakMa: number): boolean {
  return volts - settings.tolV - (peakMa / 1000) * settings.ohm > settings.offV;
}

/**
 * The fraction of the capacity below which the guard refuses `peakMa`: the
 * charge at the rest voltage brownout + peak × resistance (in the same
 * tolerance-corrected terms as the charge estimator). Charge below it cannot
 * pay, so "payments left" does not count it.
 */
export function floorFraction(config: GuardConfig, peakMa: number): number {
  return chargeFractionAt(config.brownoutVolts + (peakMa / 1000) * config.internalResistanceOhm);
}
