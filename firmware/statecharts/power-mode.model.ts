import type { SystemEvent } from './table';

// The power mode's context, events, guards and context updates: shared by the
// xstate machine (power-mode.machine.ts) and the firmware.
//
// Thresholds on the state of charge (the scheduler sends its conservative
// estimate, firmware/power/charge-estimator.ts). Below them the
// scheduler's task classes are shed one rung at a time, lowest priority first:
//
//   rung 1 telemetry    at or below telP
//   rung 2 sync         at or below savP    (the saver mode)
//   rung 3 user-facing  at or below usrP
//   rung 4 security     at or below resP  (the reserve-only mode)
//
// `shed` is how many rungs are shed. A rung comes back only once the
// charge is `hysP` above its threshold (or a charger is on), so a
// cell hovering at a threshold does not flap. The modes' guards are written
// in terms of the same level, so the mode and the scheduler's shedding never
// disagree, and a level restored from flash after a reset (passed as context)
// takes the machine to the matching mode at the first sample.

// Keys of four characters at most: the context lives in Espruino's RAM for as
// long as the strap runs, and a longer key costs more variables.
export interface PowerModeContext {
  /** Telemetry threshold (%): at or below this (not charging), telemetry is shed. */
  telP: number;
  /** Saver threshold (%): at or below this (not charging), saver mode, background work (sync, telemetry) shed. */
  savP: number;
  /** User-facing threshold (%): at or below this (not charging), user-facing work is shed too. */
  usrP: number;
  /** Reserve threshold (%): at or below this (not charging), reserve only, nothing but payments. */
  resP: number;
  /** Hysteresis (%): how far above its threshold the charge must be for a rung to come back. */
  hysP: number;
  /** Rungs shed after the last sample: 0 none … 4 all but payment. */
  shed: number;
  /** The last sample's percent, for the status report. */
  pct: number;
  /** The last sample's charging flag. */
  chg: boolean;
}

export type PowerModeEvent =
  /** The wearer did something: button press, a tap on the strap. */
  | { type: 'ACTIVITY' }
  /** A reader's field (the NFC controller woke the strap). */
  | { type: 'NFC_FIELD' }
  | { type: 'BLE_CONNECTED' }
  | { type: 'BLE_DISCONNECTED' }
  /** A periodic battery sample: the scheduler's estimate of the state of charge, and whether a charger is on. */
  | { type: 'BATTERY_SAMPLE'; percent: number; charging: boolean }
  /** Long press or the phone's command: shipping mode. */
  | { type: 'POWER_OFF' }
  /** Long press in shipping mode, or a charger plugged in. */
  | { type: 'POWER_ON' };

export type PowerModeUpdate = 'rememberBattery';
export type PowerModeGuard = 'atReserveFloor' | 'atSaverThreshold' | 'recoveredFromSaver' | 'recoveredFromReserve';

/** The rung that sheds sync work and puts the strap in saver mode. */
export const SAVER_LEVEL = 2;
/** The rung that sheds everything but payments: reserve-only mode. */
export const RESERVE_LEVEL = 4;

/**
 * The shed level after a sample: rung i is shed at or below its threshold and
 * stays shed (if it was) until the charge is back at threshold + hysteresis;
 * a charger restores every rung.
 */
export function shedLevelAfter(context: PowerModeContext, percent: number, charging: boolean): number {
  if (charging) return 0;
  let level = 0;
  for (let rung = 1; rung <= RESERVE_LEVEL; rung++) {
    const threshold = rung === 1 ? context.telP : rung === 2 ? context.savP : rung === 3 ? context.usrP : context.resP;
    if (percent <= threshold || (context.shed >= rung && percent < threshold + context.hysP)) level = rung;
  }
  return level;
}

/** The power mode's context update by action name (its one: rememberBattery), as the table runtime calls it. */
export function powerModeUpdate(_name: PowerModeUpdate, context: PowerModeContext, event: PowerModeEvent | SystemEvent): void {
  if (event.type !== 'BATTERY_SAMPLE') return;
  context.shed = shedLevelAfter(context, event.percent, event.charging);
  context.pct = event.percent;
  context.chg = event.charging;
}

/** The power mode's guards by name: each compares the shed level a battery sample leads to with a mode's rung. */
export function powerModeGuard(name: PowerModeGuard, context: PowerModeContext, event: PowerModeEvent | SystemEvent): boolean {
  if (event.type !== 'BATTERY_SAMPLE') return false;
  const level = shedLevelAfter(context, event.percent, event.charging);
  switch (name) {
    case 'atReserveFloor':
      return level >= RESERVE_LEVEL;
    case 'atSaverThreshold':
      return level >= SAVER_LEVEL;
    case 'recoveredFromSaver':
      return level < SAVER_LEVEL;
    case 'recoveredFromReserve':
      return level < RESERVE_LEVEL;
  }
}
