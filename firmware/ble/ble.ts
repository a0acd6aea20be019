/**
 * The strap's BLE side, started by boot: the GATT table (gatt.ts), the
 * pairing window and policy (pairing.ts). Boot opens the window on a long
 * press, updates the battery at each heartbeat, and hands `ble.*` (pairing.ts's
 * openWindow, forgetBonds, pairingStatus) to the console RPC.
 */
import { setServices, updateBattery } from './gatt';
import { pairingStatus, startPairing } from './pairing';
import { put, STATUS, wallet, type WalletOp, type WalletSources } from './wallet-protocol';

/** The battery percent last reported. */
let pct = 0;

/** The payments' ops (payments/wallet.ts), once they run. */
let served: WalletOp | undefined;

/** Op 0x01 status: [window open 0/1, bonds, battery %]; the others are the payments'. */
function walletOp(op: number, args: Uint8Array, answer: (result: number, data?: number[]) => void): boolean {
  if (op !== 1) return !!served && served(op, args, answer);
  const s = pairingStatus();
  answer(0, [s.window ? 1 : 0, s.bonds, pct]);
  return true;
}

/** The wallet's ops (status, 0x01, is ble's own) and script runner, once payments run (payments/wallet.ts). */
export function serveWallet(w: WalletSources): void {
  served = w.op;
  wallet.op = walletOp;
  wallet.script = w.script;
}

/** The status characteristic's new value, notified. */
export function notifyStatus(value: number[]): void {
  put(STATUS, value);
}

/** The cell's reading, at each heartbeat (the BLE Battery Level). */
export function reportBattery(percent: number): void {
  if (percent === pct) return;
  pct = percent;
  try {
    updateBattery(percent);
  } catch (e) {
    // a new table waiting for the BLE restart: the value goes in when it applies
  }
}

/**
 * `fw`: name and version, `strap 0.1.0` (the version goes in Firmware Revision). `onLink`: a central connected (true) or
 * went (false), for the power mode. Throws on a board without a radio. The rest of the BLE side is this module's and
 * pairing.ts's functions, which boot hands on one by one: no object of them is kept.
 */
export function startBle(fw: string, battPct: number, onLink: (up: boolean) => void): void {
  pct = battPct;
  startPairing(onLink);
  setServices(fw.slice(fw.indexOf(' ') + 1), battPct);
}
