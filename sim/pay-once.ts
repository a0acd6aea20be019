/**
 * One real tap on a fresh virtual strap, for `strap pay` (cli/commands/pay.ts):
 * the firmware boots on the virtual board with its NFC controller, its
 * personalized SE and its SoftDevice on a virtual air; the companion phone
 * (sim/phone) tap-to-pairs with it and unlocks it over the wallet service
 * (or, `unlock: 'console'`, `strap.unlock()` on the console, as a rig
 * without a phone does), optionally suspends the token first; a POS
 * terminal comes into the field with the purchase, and the strap's own
 * account of it follows (its `[tap]` line, the transaction it kept) and the
 * phone's (the status notification it heard, the transactions it read).
 * With the phone connected the strap's console is on Bluetooth: its lines
 * are read from the Nordic UART Service, as the phone hears them.
 * Virtual time only; the caller measures wall time. The bonds live in a
 * temporary folder, removed after.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NordicUart } from '../protocols/ble/gatt/uuid';
import { attachPowerModel } from './power/board-power';
import { Phone } from './phone/phone';
import { virtualPhoneDriver } from './phone/phone-driver';
import { PhoneError } from './phone/phone-log';
import { VIRTUAL_PHONE_ADDRESS, VIRTUAL_STRAP_ADDRESS } from './phone/virtual-pairing';
import type { WalletStatusNotice, WalletTransaction } from './phone/wallet-client';
import { Air } from './radio/air';
import type { BleManager } from './radio/ble-host-api';
import { createRadioDevice } from './radio/radio-device';
import { runUntil } from './radio/run-until';
import type { StrapTap } from './scenario/strap-payment';
import { createVirtualStrap } from './scenario/virtual-strap';
import { SoftDevice } from './softdevice/softdevice';

export interface PayOnceOptions {
  firmwarePath: string;
  amountMinor: number;
  /** ISO 4217 numeric. */
  currency: number;
  seed?: number | string;
  /** The clasp closed (default true); false: off the wrist, card emulation stays off. */
  worn?: boolean;
  /** Where the tap's pcap and NCI log go. */
  traceDir?: string;
  /** Who unlocks: the paired phone over the wallet service (default), or the console. */
  unlock?: 'phone' | 'console';
  /** The phone suspends the token before the tap (the card then declines it). */
  suspend?: boolean;
}

/** What the phone did and heard (the phone unlock path). */
export interface PhoneAccount {
  /** Its steps, as `strap pair` prints them. */
  steps: { step: string; ok: boolean; text: string }[];
  /** The status notification after the tap, if one came. */
  status?: WalletStatusNotice;
  /** The transactions read over the wallet service after the tap. */
  transactions?: WalletTransaction[];
}

export interface PayOnce {
  tap: StrapTap;
  /** The strap's console lines about it (`[ce] …`, `[tap] …`). */
  strapLines: string[];
  /** What the strap kept (`strap.payments()`), newest first. */
  kept: unknown;
  /** The charge the tap cost the cell, from the power model (µAs, field on to a second after). */
  chargeUas: number;
  phone?: PhoneAccount;
}
/** The long press that opens the pairing window (the firmware's is 1 s). */
const PAIRING_PRESS_MS = 1500;

/** Boot and unlock settle within this (virtual ms): the console line, card emulation's bring-up. */
const SETTLE_MS = 1000;

export async function payOnce(options: PayOnceOptions): Promise<PayOnce> {
  const byPhone = (options.unlock ?? 'phone') === 'phone';
  const strap = createVirtualStrap({ firmware: readFileSync(options.firmwarePath, 'latin1'), seed: options.seed ?? 1, powerOn: false, worn: options.worn ?? true, traceDir: options.traceDir, board: { busyLoopLimitMs: 5000 } });
  const { board, clock } = strap;
  const { power } = attachPowerModel(board, { trace: false });
  strap.payment.drivePower(power);
  const bondDir = byPhone ? mkdtempSync(join(tmpdir(), 'strap-pay-bonds-')) : undefined;
  try {
    let phone: Phone | undefined;
    if (bondDir) {
      const seed = typeof options.seed === 'number' ? options.seed : 1;
      const air = new Air({ clock, seed, lossRate: 0 });
          const softDevice = new SoftDevice({ air, board, name: 'strap', address: VIRTUAL_STRAP_ADDRESS, bondDir: join(bondDir, 'strap') });
      const device = createRadioDevice({ air, name: 'phone', address: VIRTUAL_PHONE_ADDRESS, bondDir: join(bondDir, 'phone') });
      let manager: BleManager | undefined;
      device.startHost((err, m) => {
        if (err) throw err;
        manager = m;
      });
      if (!runUntil(clock, () => softDevice.ready && manager !== undefined, 60_000)) throw new Error('the virtual strap or the phone did not start its BLE host');
      phone = new Phone({ manager: manager!, driver: virtualPhoneDriver(clock) });
    }
    let out = '';
    board.console.onOutput((bytes) => (out += bytes));
    board.powerOn();
    board.run(SETTLE_MS);
    const account: PhoneAccount | undefined = phone && { steps: [] };
    const heard: WalletStatusNotice[] = [];
    if (phone) {
      try {
        board.pressButton(PAIRING_PRESS_MS);
        board.run(PAIRING_PRESS_MS + 500);
        phone.tapTag(board.nfc);
        await phone.pair();
        // The bonded phone's encrypted link takes Espruino's console (firmware/ble/README.md, Console): the strap's lines come over NUS.
        await phone.subscribe(NordicUart.SERVICE, NordicUart.TX, (v) => (out += Buffer.from(v).toString('latin1')));
        const wallet = phone.wallet();
        await wallet.onStatus((n) => heard.push(n));
        if (options.suspend) await wallet.suspend();
        await wallet.unlock();
      } catch (e) {
        if (!(e instanceof PhoneError)) throw e;
      }
    } else board.evaluate('strap.unlock()');
    board.run(SETTLE_MS);
    power.sync();
    const before = power.chargeUas();
    const heardBefore = heard.length;
    const tap = await strap.payment.tap({ amountMinor: options.amountMinor, currency: options.currency });
    board.run(SETTLE_MS);
    power.sync();
    const chargeUas = power.chargeUas() - before;
    if (phone && account && phone.connection) {
      if (heard.length > heardBefore) account.status = heard.at(-1);
      account.transactions = await phone.wallet().transactions().catch(() => undefined);
    }
    if (phone && account) account.steps = phone.log.events.map((e) => ({ step: e.step, ok: e.ok, text: e.text }));
    const kept = board.evaluate('strap.payments()');
    const strapLines = out
      .split(/\r?\n/)
      .map((line) => line.replace(/^[>\s]*(\x1b\[J)?/, ''))
      .filter((line) => /^\[(ce|tap|wear)\] /.test(line));
    return { tap, strapLines, kept: kept.ok ? kept.value : undefined, chargeUas, ...(account ? { phone: account } : {}) };
  } finally {
    if (bondDir) rmSync(bondDir, { recursive: true, force: true });
  }
}
