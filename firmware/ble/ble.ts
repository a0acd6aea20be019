/**
 * The strap's BLE side, started by boot: the GATT table (gatt.ts), the
 * pairing window and policy (pairing.ts). Boot opens the window on a long
 * press, updates the battery at each heartbeat, and hands `ble.*` to the
 * console RPC.
 */
import type { BleStatus } from '../console/rpc-types';
import { setServices, updateBattery } from './gatt';
import { advertiseFor, forgetBonds, openWindow, pairingStatus, startPairing, stopAdvertising } from './pairing';
import { put, STATUS, wallet, type WalletSources } from './wallet-protocol';

export interface Ble {
  pair(): { window: boolean; why: '' | 'full'; passkey?: string };
  forget(): { forgotten: number };
  status(): BleStatus;
  /** The cell's reading, at each heartbeat. */
  battery(percent: number): void;
  /** The power mode's advertising (power/strap-tasks.ts PowerPorts), outside the pairing window. */
  advertise(fast: boolean): void;
  stopAdvertising(): void;
  /** The wallet's ops (status, 0x01, is ble's own) and script runner, once payments run (payments/wallet.ts). */
  serve(wallet: WalletSources): void;
  /** The status characteristic's new value, notified. */
  notify(status: number[]): void;
}

/** The battery percent last reported. */
let pct = 0;

/** Op 0x01 status: [window open 0/1, bonds, battery %]. */
function statusOp(_args: Uint8Array, answer: (result: number, data?: number[]) => void) {
  const s = pairingStatus();
  answer(0, [s.window ? 1 : 0, s.bonds, pct]);
}

// module-level, as the state it reaches (pairing.ts): one strap, one radio
const ble: Ble = {
  pair: openWindow,
  forget: forgetBonds,
  status: pairingStatus,
  advertise: advertiseFor,
  stopAdvertising: stopAdvertising,
  serve: function (w) {
    w.ops[1] = statusOp;
    wallet.ops = w.ops;
    wallet.script = w.script;
  },
  notify: function (value) {
    put(STATUS, value);
  },
  battery: function (percent) {
    if (percent === pct) return;
    pct = percent;
    try {
      updateBattery(percent);
    } catch (e) {
      // a new table waiting for the BLE restart: the value goes in when it applies
    }
  },
};

/** `fw`: name and version, `strap 0.1.0` (the version goes in Firmware Revision). `onLink`: a central connected (true) or went (false), for the power mode. */
export function startBle(fw: string, battPct: number, onLink: (up: boolean) => void): Ble {
  pct = battPct;
  startPairing(onLink);
  setServices(fw.slice(fw.indexOf(' ') + 1), battPct);
  return ble;
}
