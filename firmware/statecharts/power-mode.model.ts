import type { ContextGuards, ContextUpdates } from './table';

// The power mode's context, events, guards and context updates: shared by the
// xstate machine (power-mode.machine.ts) and the firmware.
//
// Thresholds on the state of charge that Espruino reports (E.getBattery()).
// Leaving a low mode needs the charge to climb `hysteresisPercent` above the
// threshold that entered it (or a charger), so a cell hovering at a threshold
// does not flap between modes.

export interface PowerModeContext {
  /** At or below this (not charging): saver mode, background work shed. */
  saverAtPercent: number;
  /** At or below this (not charging): reserve only, nothing but payments. */
  reserveAtPercent: number;
  hysteresisPercent: number;
  /** The last sample, for the status report. */
  lastPercent: number;
  lastCharging: boolean;
}

export type PowerModeEvent =
  /** The wearer did something: button press, a tap on the strap. */
  | { type: 'ACTIVITY' }
  /** A reader's field (the NFC controller woke the strap). */
  | { type: 'NFC_FIELD' }
  | { type: 'BLE_CONNECTED' }
  | { type: 'BLE_DISCONNECTED' }
  /** A periodic battery sample. */
  | { type: 'BATTERY_SAMPLE'; percent: number; charging: boolean }
  /** Long press or the phone's command: shipping mode. */
  | { type: 'POWER_OFF' }
  /** Long press in shipping mode, or a charger plugged in. */
  | { type: 'POWER_ON' };

export type PowerModeUpdate = 'rememberBattery';
export type PowerModeGuard = 'atReserveFloor' | 'atSaverThreshold' | 'recoveredFromSaver' | 'recoveredFromReserve';

export const powerModeUpdates: ContextUpdates<PowerModeContext, PowerModeEvent, PowerModeUpdate> = {
  rememberBattery: (context, event) => {
    if (event.type !== 'BATTERY_SAMPLE') return;
    context.lastPercent = event.percent;
    context.lastCharging = event.charging;
  },
};

export const powerModeGuards: ContextGuards<PowerModeContext, PowerModeEvent, PowerModeGuard> = {
  atReserveFloor: (context, event) => event.type === 'BATTERY_SAMPLE' && !event.charging && event.percent <= context.reserveAtPercent,
  atSaverThreshold: (context, event) => event.type === 'BATTERY_SAMPLE' && !event.charging && event.percent <= context.saverAtPercent,
  recoveredFromSaver: (context, event) =>
    event.type === 'BATTERY_SAMPLE' && (event.charging || event.percent >= context.saverAtPercent + context.hysteresisPercent),
  recoveredFromReserve: (context, event) =>
    event.type === 'BATTERY_SAMPLE' && (event.charging || event.percent >= context.reserveAtPercent + context.hysteresisPercent),
};
