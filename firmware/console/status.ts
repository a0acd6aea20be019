import type { Scheduler } from '../scheduler/scheduler';
import { schedulerStatus } from '../scheduler/strap-tasks';
import { readBattery } from './battery';
import { FIRMWARE_NAME, FIRMWARE_VERSION } from './version';

export type Mode = 'normal' | 'safe';

export interface StrapState {
  mode: Mode;
  safeReason?: string;
  boots: number;
  bootTimeS: number;
  presses: number;
  /** Taps paid this boot. */
  paid: number;
  /** How the last tap ended, as printed: 'paid, payments left 12', 'refused brownout, payments left 0', … ('' before the first). */
  lastTap: string;
  /** Set once the scheduler runs (boot). */
  scheduler?: Scheduler;
}

/** What `strap.status()` answers on the console: one object, JSON-friendly; `pwr` is the power mode (`mode` is normal or safe). */
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
    paid: state.paid,
    lastTap: state.lastTap,
    errors: E.getErrorFlags(),
  };
  if (state.safeReason) report.safeReason = state.safeReason;
  return state.scheduler ? Object.assign(report, schedulerStatus(state.scheduler)) : report;
}
