import type { BatteryReading } from '../power/battery';
import type { PowerSummary, StrapMode, StrapStatus, WearerState } from './rpc-types';

/**
 * What the strap keeps about itself for its status: boot fills it, the button
 * and the payments count into it. (The firmware's name and version are
 * constants, boot/version.ts: boot passes them to status().)
 */
export interface StrapState {
  mode: StrapMode;
  /** Why the strap runs in safe mode; absent when it does not. */
  safeReason?: string;
  boots: number;
  bootTimeS: number;
  presses: number;
  /** Taps paid this boot. */
  paid: number;
  /** How the last tap ended, as printed: 'paid, payments left 12', 'refused brownout, payments left 0', … ('' before the first). */
  lastTap: string;
}

/** What `strap.status()` answers on the console: one object, JSON-friendly; `pwr` is the power mode (`mode` is normal or safe). */
export function status(fw: string, state: StrapState, battery: BatteryReading, power: PowerSummary | undefined, wearer?: WearerState): StrapStatus {
  const report: StrapStatus = {
    fw: fw,
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
  if (power) Object.assign(report, power);
  return wearer ? Object.assign(report, wearer) : report;
}
