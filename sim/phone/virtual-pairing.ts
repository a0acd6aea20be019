/**
 * `strap pair` on the virtual world: a virtual strap (a board running the
 * firmware bundle, or other boot code, its SoftDevice on an air) and the
 * companion phone (its own ble-host copy as central, driven through the Phone
 * API). The strap's button is held to open its pairing window, then the phone
 * taps, pairs, bonds, reconnects on the stored keys, reads the battery and the
 * device information and asks the wallet its status. Bonds stay in `stateDir`
 * (strap/ and phone/; the strap's flash too, with the firmware's own bond
 * list), HCI traces go to `traceDir` as btsnoop.
 */
import { join } from 'node:path';
import { Air } from '../radio/air';
import type { BleManager } from '../radio/ble-host-api';
import { writeBtsnoopFile } from '../radio/btsnoop-file';
import { createRadioDevice } from '../radio/radio-device';
import { runUntil } from '../radio/run-until';
import { createVirtualStrap } from '../scenario/virtual-strap';
import { SoftDevice } from '../softdevice/softdevice';
import { listBonds } from './bond-list';
import type { BondEntry } from './bond-list';
import { Phone } from './phone';
import { virtualPhoneDriver } from './phone-driver';
import { PhoneError } from './phone-log';
import type { PhoneEvent } from './phone-log';
import { loadStrapFlash, saveStrapFlash, strapFirmwareBonds } from './strap-flash';
import type { WalletStatus } from './wallet-client';

export const VIRTUAL_STRAP_ADDRESS = 'C0:11:22:33:44:01';
export const VIRTUAL_PHONE_ADDRESS = 'C0:11:22:33:44:02';
/** How long the strap's button is held to open the pairing window. */
export const PAIRING_PRESS_MS = 2000;

export interface VirtualPairingOptions {
  /** The strap's boot code: the firmware bundle, or a stand-in program. */
  bootCode: string;
  seed: number | string;
  /** Bond folders: `<stateDir>/strap`, `<stateDir>/phone`. */
  stateDir: string;
  /** btsnoop files: `<traceDir>/strap.btsnoop`, `<traceDir>/phone.btsnoop`. */
  traceDir: string;
  onEvent?: (e: PhoneEvent) => void;
}

export interface VirtualPairingResult {
  ok: boolean;
  events: PhoneEvent[];
  error?: { step: string; reason: string; code?: number };
  batteryPercent?: number;
  deviceInfo?: Record<string, string>;
  wallet?: WalletStatus;
  traces: { strap: string; phone: string };
  /** strap: the SoftDevice's bonds; strapFirmware: the firmware's own list (Storage ble.bonds). */
  bonds: { strap: BondEntry[]; phone: BondEntry[]; strapFirmware: string[] };
}

export async function runVirtualPairing(options: VirtualPairingOptions): Promise<VirtualPairingResult> {
  const strapDir = join(options.stateDir, 'strap');
  const flashFile = join(strapDir, 'flash.bin');
  const flash = loadStrapFlash(flashFile);
  const { clock, board } = createVirtualStrap({ firmware: options.bootCode, seed: options.seed, powerOn: false, flash, board: { busyLoopLimitMs: 5000 } });
  const air = new Air({ clock, seed: options.seed, lossRate: 0 });
  const phoneDir = join(options.stateDir, 'phone');
  // a payment strap asks 16-octet keys (firmware/ble/README.md)
  const softDevice = new SoftDevice({ air, board, name: 'strap', address: VIRTUAL_STRAP_ADDRESS, bondDir: strapDir });
  const phoneDevice = createRadioDevice({ air, name: 'phone', address: VIRTUAL_PHONE_ADDRESS, bondDir: phoneDir });
  let manager: BleManager | undefined;
  phoneDevice.startHost((err, m) => {
    if (err) throw err;
    manager = m;
  });
  // the SoftDevice model attaches once its ble-host is up; the board boots after that, so boot code finds its radio
  if (!runUntil(clock, () => softDevice.ready && manager !== undefined, 60_000)) throw new Error('the virtual strap or the phone did not start its BLE host');
  board.powerOn();
  board.run(1000); // the boot code sets up its services and advertising

  const phone = new Phone({ manager: manager!, driver: virtualPhoneDriver(clock) });
  if (options.onEvent) phone.log.onEvent(options.onEvent);
  const traces = { strap: join(options.traceDir, 'strap.btsnoop'), phone: join(options.traceDir, 'phone.btsnoop') };
  let batteryPercent: number | undefined;
  let deviceInfo: Record<string, string> | undefined;
  let wallet: WalletStatus | undefined;
  let error: VirtualPairingResult['error'];
  try {
    board.pressButton(PAIRING_PRESS_MS);
    board.run(PAIRING_PRESS_MS + 500);
    phone.log.ok('button', `strap button held ${PAIRING_PRESS_MS / 1000} s (opens the pairing window)`);
    phone.tapTag(board.nfc);
    await phone.pair();
    await phone.reconnect();
    batteryPercent = await phone.readBattery();
    deviceInfo = await phone.readDeviceInfo();
    wallet = await phone.wallet().status();
    await phone.disconnect();
  } catch (e) {
    if (!(e instanceof PhoneError)) throw e;
    error = { step: e.step, reason: e.reason, ...(e.code === undefined ? {} : { code: e.code }) };
  } finally {
    board.run(100);
    writeBtsnoopFile(traces.strap, softDevice.device.controller.transport);
    writeBtsnoopFile(traces.phone, phoneDevice.controller.transport);
    saveStrapFlash(flashFile, flash);
  }
  return { ok: error === undefined, events: phone.log.events, ...(error ? { error } : {}), ...(batteryPercent === undefined ? {} : { batteryPercent }),
    ...(deviceInfo ? { deviceInfo } : {}),
    ...(wallet ? { wallet } : {}),
    traces,
    bonds: { strap: listBonds(strapDir), phone: listBonds(phoneDir), strapFirmware: strapFirmwareBonds(flashFile) },
  };
}
