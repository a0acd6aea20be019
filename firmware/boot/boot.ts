import { CLASP, HAPTIC, I2C_SCL, I2C_SDA, NFC_IRQ, NFC_VEN, SE_EN } from '../board/strap-pins';
import { notifyStatus, reportBattery, serveWallet, startBle } from '../ble/ble';
import { advertiseFor, forgetBonds, openWindow, pairingStatus, stopAdvertising } from '../ble/pairing';
import { createConsoleRpc } from '../console/console-rpc';
import { createEventStream } from '../console/event-stream';
import { rpcMethods } from '../console/rpc-methods';
import type { WearerState } from '../console/rpc-types';
import { status, type StrapState } from '../console/status';
import { hapticMotor } from '../drivers/haptic-motor';
import { openNci } from '../drivers/nfc-nci';
import { openSe } from '../drivers/se-t1';
import { lock, recheck, startCardEmulation, unlock, wearerState } from '../payments/card-emulation';
import { startPayments } from '../payments/payment-session';
import { startWallet } from '../payments/wallet';
import { readBattery } from '../power/battery';
import { startPower } from '../power/power';
import { pressOf, watchButton } from '../ui/button';
import { countBoot } from './boot-counter';
import { loadConfig, restoreDefaults } from './config-store';
import { FIRMWARE } from './version';

/**
 * Boots the strap: banner, settings (or safe mode), power (scheduler, heartbeat),
 * payments (card emulation on I2C1: the SE's T=1 and the NFC controller's
 * NCI; the session on the controller's notifications), button, console API. The only
 * module that wires the features (firmware/README.md): each gets from here
 * what it needs of the others.
 */
export function boot(): void {
  const loaded = loadConfig();
  const boots = countBoot();
  const state: StrapState = {
    mode: loaded.problem ? 'safe' : 'normal',
    boots: boots,
    bootTimeS: getTime(),
    presses: 0,
    paid: 0,
    lastTap: '',
  };
  // Only when there is one: a property holding undefined would cost RAM for as long as the strap runs.
  if (loaded.problem) state.safeReason = loaded.problem;
  const config = loaded.config;

  print(FIRMWARE + ' on ' + process.env.BOARD + ' (Espruino ' + process.env.VERSION + '), boot #' + state.boots);
  if (state.safeReason) print('SAFE MODE: ' + state.safeReason + '; running on defaults, stored data kept');

  // Auto-kicked while the event loop is idle: a firmware stuck in a loop resets the board.
  E.enableWatchdog(config.watchdogS, true);

  // Event frames for a host that subscribed over the console RPC; silent otherwise.
  const events = createEventStream(state);

  // BLE: the GATT table, tap to pair (firmware/ble/). A board without a radio (the virtual board with no
  // SoftDevice model attached throws at the first NRF radio call) runs on without it, quietly: `ble.*` answer not-ready.
  // The BLE side is firmware/ble/'s module functions, handed on one by one: no object of them kept.
  let ble = false;
  try {
    startBle(FIRMWARE, readBattery().percent, function (up) {
      // Made when sent: a kept event object would cost RAM for as long as the strap runs.
      power.scheduler.power.send(up ? { type: 'BLE_CONNECTED' } : { type: 'BLE_DISCONNECTED' });
    });
    ble = true;
  } catch (e) {
    ble = false;
  }
  const power = startPower(state, events, config.heartbeatS, ble ? { advertise: advertiseFor, stopAdvertising: stopAdvertising, battery: reportBattery } : undefined);
  const scheduler = power.scheduler;
  // The phone hears the wearer state and the newest transaction after each tap and each change of card emulation.
  // Card emulation calls it with the wearer state it changed to (an event for the host too), the payments without.
  const told = function (now?: WearerState) {
    if (now) events.emit('wearer', now);
    if (ble) notifyStatus(wallet.status());
  };
  const payments = startPayments(power.payments, { motor: hapticMotor({ pin: HAPTIC }) }, state, events, told);
  SE_EN.reset();
  I2C1.setup({ scl: I2C_SCL, sda: I2C_SDA, bitrate: 400000 });
  // One SE and one NFC controller on the bus: their drivers' state is their modules', card emulation calls them.
  openSe({ i2c: I2C1 });
  openNci({ i2c: I2C1, irq: NFC_IRQ, onEvent: payments.nci });
  startCardEmulation(
    { sePower: SE_EN, nfcPower: NFC_VEN, clasp: CLASP },
    power.payments.peakSafe,
    told,
  );
  power.payments.onReport(recheck);
  // The wallet service: the paired phone unlocks and locks, reads the transactions, suspends and resumes the token, runs APDU scripts.
  const wallet = startWallet(payments.last);
  if (ble) serveWallet(wallet);

  const longPressMs = config.longPressMs;
  watchButton(function (e) {
    const press = pressOf(e, longPressMs);
    if (!press) return;
    scheduler.power.send({ type: 'ACTIVITY' });
    state.presses++;
    print('[btn] ' + (press.long ? 'long-press' : 'press') + ' ' + press.heldMs + 'ms');
    events.emit('btn', { long: press.long, heldMs: press.heldMs, presses: state.presses });
    if (press.long && ble) openWindow();
  });

  const report = function () {
    return status(FIRMWARE, state, readBattery(), power.summary(), wearerState());
  };
  // Called as statements of their own, the build runs both factories' bodies at the bundle's top
  // (build/spread-calls.ts): the dispatch and the RPC entry are then top-level functions.
  const dispatch = rpcMethods(report, power, unlock, lock, wearerState, payments.last, ble ? openWindow : undefined, ble ? forgetBonds : undefined, ble ? pairingStatus : undefined);
  const rpc = createConsoleRpc(dispatch);
  const api = {
    status: report,
    // Settings take effect at the next boot, as on first boot.
    restoreDefaults: restoreDefaults,
    // The host's framed RPC (console/console-rpc.ts): `\x10strap.rpc("<frame>")\n`.
    rpc: rpc,
    // The phone's part at the console too (bench, HIL rigs without a phone): unlock (the strap must be worn) and lock; the last transactions.
    unlock: unlock,
    lock: lock,
    payments: payments.last,
    // For the engineer at the console: submit work, sample, look at the tasks.
    scheduler: scheduler,
  };
  globalThis.strap = api;
}
