import { TAP_UAS } from './energy-figures';

// The scheduler's settings, with their defaults and why; then the figures it
// uses as they are (constants: no test or board sets them, and on Espruino
// each key of a settings object costs variables the whole time: the scheduler
// keeps only what it reads after it starts, the settings object is dropped).

export interface SchedulerConfig {
  /** The strap's cell (the simulated one, sim/power/cell.ts, is 120 mAh too). */
  capacityMah: number;
  /**
   * What the strap draws outside scheduled tasks, taken off the ledger over
   * time. Set above the standby goal (15 µA) so that the ledger errs low.
   */
  baselineUa: number;
  /**
   * Taken off every measured voltage: chip-to-chip spread of the nRF52832
   * measuring its own VDD is ~12 mV calibrated, ~21 mV not (Nordic DevZone
   * 40403). Makes the voltage estimate and the brownout guard err low.
   */
  voltsToleranceV: number;
  /**
   * The ledger is moved up to the voltage estimate only when that is this
   * fraction of the capacity above it: the sign of a charger (or of a reading
   * taken under load earlier), not of noise on the flat middle of the curve.
   */
  recalibrateFraction: number;
  /**
   * The battery-node voltage below which the strap loses its supply: the
   * regulator (3.0 V out) leaves regulation and the Li-Po is at its 3.0 V
   * cut-off; the board's supervisor holds the rail off below it
   * (sim/power/charger.ts models the same supervisor).
   */
  brownoutVolts: number;
  /**
   * The cell's internal resistance as the guard assumes it. An assumption:
   * twice the simulator's 0.25 Ω (a phone cell's, from the Linux sc27xx
   * bindings), as small pouch cells and a low charge raise it. Measure it
   * (rest voltage minus voltage under a known load, over that current) and set it.
   */
  internalResistanceOhm: number;
  /** How often the cell is sampled (NRF.getBattery()); 0: only when the app calls sample(). */
  samplePeriodMs: number;
  /**
   * Live tasks at most; payments are always taken. On the virtual board's
   * estimate a task costs about 100 JS variables (its record, its lifecycle
   * actor, its deadline timer), and the first one 200 more for the shared
   * task table: the whole firmware has 2,630.
   */
  maxTasks: number;
}

/**
 * The defaults, made when asked for: a module constant would stay in
 * Espruino's RAM (every key of more than four characters costs extra variables).
 */
function defaults(): SchedulerConfig {
  return {
    capacityMah: 120,
    baselineUa: 20,
    voltsToleranceV: 0.025,
    recalibrateFraction: 0.05,
    brownoutVolts: 3.0,
    internalResistanceOhm: 0.5,
    samplePeriodMs: 60000,
    maxTasks: 4,
  };
}

/** The defaults, for tests and tools (the firmware never reads it, so the bundle leaves it out). */
export const DEFAULT_CONFIG: SchedulerConfig = /* @__PURE__ */ defaults();

/** The defaults, with what is given (and defined) in place of them: a new object. */
export function configWith(given: Partial<SchedulerConfig> | undefined): SchedulerConfig {
  const config = defaults() as unknown as Record<string, number>;
  const overrides = (given || {}) as Record<string, number | undefined>;
  for (const key in config) {
    if (overrides[key] !== undefined) config[key] = overrides[key] as number;
  }
  return config as unknown as SchedulerConfig;
}

/** Payments the reserve keeps for: nothing but payments may spend it. */
export const RESERVE_TAPS = 10;
/** The reserve (µAs): RESERVE_TAPS payments and their notices (energy-figures.ts TAP_UAS: 25,650 µAs each). */
export const RESERVE_UAS = RESERVE_TAPS * TAP_UAS;
/** Radio work waits for the next window, at most this long after the last one. */
export const WINDOW_PERIOD_MS = 15 * 60000;
/** A window opens this long before the earliest queued radio task's deadline. */
export const WINDOW_LEAD_MS = 5000;
/**
 * Flash writes are spared until the ledger (less what is committed) has
 * fallen this much since the last one; a boot takes this much off the saved
 * ledger for whatever ran unrecorded before a reset.
 */
export const PERSIST_STEP_UAS = 5 * TAP_UAS;
