import { readBattery } from './battery';
import { FIRMWARE_NAME, FIRMWARE_VERSION } from './version';

export type Mode = 'normal' | 'safe';

export interface StrapState {
  mode: Mode;
  safeReason?: string;
  boots: number;
  bootTimeS: number;
  presses: number;
}

/** What `strap.status()` answers on the console: one object, JSON-friendly. */
export function status(state: StrapState): Record<string, unknown> {
  const battery = readBattery();
  const report: Record<string, unknown> = {
    fw: FIRMWARE_NAME + ' ' + FIRMWARE_VERSION,
    espruino: process.env.VERSION,
    board: process.env.BOARD,
    mode: state.mode,
    upS: Math.round(getTime() - state.bootTimeS),
    boots: state.boots,
    battPct: battery.percent,
    battV: battery.volts,
    presses: state.presses,
    errors: E.getErrorFlags(),
  };
  if (state.safeReason) report.safeReason = state.safeReason;
  return report;
}
