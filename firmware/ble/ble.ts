/**
 * The strap's BLE side, started by boot: the GATT table (gatt.ts), the
 * pairing window and policy (pairing.ts). Boot opens the window on a long
 * press, updates the battery at each heartbeat, and hands `ble.*` to the
 * console RPC.
 */
import type { BleStatus } from '../console/rpc-types';
import { setServices, updateBattery } from './gatt';
import { startPairing } from './pairing';
import type { AdvertisingMode } from './pairing';
import { put, STATUS, type WalletOp, type WalletSources } from './wallet-protocol';

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

/** `onLink`: a central connected (true) or went (false), for the power mode. */
/** `fw`: name and version, `strap 0.1.0` (the version goes in Firmware Revision). */
export function startBle(fw: string, battPct: number, onLink: (up: boolean) => void): Ble {
  let pct = battPct;
  const address = NRF.getAddress().split(' ')[0]!.split(':');
  const pairing = startPairing('Strap ' + address[4] + address[5], onLink);
  const follow = function (mode: AdvertisingMode) {
    pairing.follow(mode);
  };
  const wallet: WalletSources = { ops: [] };
  // op 0x01 status: [window open 0/1, bonds, battery %].
  const status: WalletOp = function (args, answer) {
    const s = pairing.status();
    answer(0, [s.window ? 1 : 0, s.bonds, pct]);
  };
  setServices(fw.slice(fw.indexOf(' ') + 1), battPct, wallet);
  return {
    pair: function () {
      const opened = pairing.open();
      // the passkey the tag shows, to whoever opened the window from the console (firmware/ble/README.md)
      return opened === 'full' ? { window: false, why: 'full' } : { window: true, why: '', passkey: opened };
    },
    forget: function () {
      return { forgotten: pairing.forget() };
    },
    status: pairing.status,
    advertise: function (fast) {
      follow(fast ? 'fast' : 'slow');
    },
    stopAdvertising: function () {
      follow('off');
    },
    serve: function (w) {
      w.ops[1] = status;
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
}
