/**
 * Tap to pair (firmware/ble/README.md): a pairing window opened by a long
 * press or `ble.pair`, the strap's pairing policy, and its bond list.
 *
 * The window (60 s, or until the first bond): a fresh passkey from the
 * hardware RNG, set as the SoftDevice's static passkey with display, MITM,
 * LESC and bonding; the passkey and the strap's LE address on the NFC tag;
 * discoverable connectable advertising with the strap's name. Closing it
 * clears the tag, forgets the passkey and puts advertising back to what the
 * power mode asks (fast, slow, or off in its sleep: `follow`).
 *
 * Outside the window the security stays display + MITM + LESC + bond but
 * without a static passkey: the SoftDevice then draws one per attempt and
 * tells only this JavaScript (the 'passkey' event, ignored here), so no phone
 * can complete passkey entry; and the strap disconnects on the attempt's
 * 'bond' 'request'. A real nRF would answer the Pairing Request itself with
 * Pairing Failed (sd_ble_gap_sec_params_reply with a status, Pairing Not
 * Supported 0x05, or 0x09 Repeated Attempts during back-off), but Espruino
 * answers BLE_GAP_EVT_SEC_PARAMS_REQUEST in C before JavaScript hears of it.
 *
 * Just Works and legacy pairing: `mitm` + `lesc` make the SoftDevice refuse a
 * legacy request and ask for passkey entry; a pairing that ends without
 * MITM + LESC (the 'security' event's lv4) is disconnected.
 *
 * Back-off: each failed attempt in the window draws a new passkey (passkey
 * entry leaks the static key bit by bit across attempts), republishes the
 * tag (the link stays: a new Pairing Request on it is dropped as below), and for BACKOFF_S × 2^(failures−1) seconds (at most BACKOFF_MAX_S)
 * every connection is dropped at once.
 *
 * Bonds: Espruino offers only NRF.eraseBonds() (all of them), so the list in
 * Storage (`ble.bonds`, addresses oldest first) counts them; with MAX_BONDS
 * stored the window does not open until the wearer forgets (`ble.forget`,
 * which erases every bond: one phone cannot be forgotten alone).
 */
import type { BleStatus } from '../console/rpc-types';
import { drawPasskey, pairingTag } from './pairing-tag';
import { SYNC_MS, SYNC_WINDOW_MS } from './sync-window';

export const WINDOW_MS = 60000;
export const MAX_BONDS = 4;
const BACKOFF_S = 2;
const BACKOFF_MAX_S = 32;
/** Two slots in turn: Storage deletes a file before rewriting it, so a power cut mid-write leaves the other. */
const BONDS_FILES = ['ble.bonds', 'ble.bonds2'];
const FAST_INTERVAL_MS = 100;
const SLOW_INTERVAL_MS = 375;
/** How long a new link is watched for encryption with stored keys: 40 × 250 ms. */
const ENCRYPT_POLL_MS = 250;
const ENCRYPT_POLLS = 40;

/** Advertising outside the window, as the power mode asks (power/strap-tasks.ts PowerPorts). */
export type AdvertisingMode = 'fast' | 'slow' | 'off';

export interface Pairing {
  /** The power mode's advertising; the window overrides it while open. */
  follow(mode: AdvertisingMode): void;
  /** Opens the window: its passkey, or 'full' when MAX_BONDS are stored. */
  open(): string;
  forget(): number;
  status(): BleStatus;
}

/** `onLink`: told when a central connects (true) and disconnects (false). */
export function startPairing(name: string, onLink: (up: boolean) => void): Pairing {
  const storage = require('Storage');
  let passkey: string | undefined = undefined;
  let windowTimer: number | undefined = undefined;
  let failures = 0;
  let backoffUntil = 0;
  let peer = '';
  let connected = false;
  let eraseOnDisconnect = false;
  let mode: AdvertisingMode = 'slow';
  let sync: number | undefined = undefined;

  const slot = function (i: number): string[] {
    const list = storage.readJSON(BONDS_FILES[i]!, true);
    return Array.isArray(list) ? (list as string[]) : [];
  };
  // the newer slot holds the longer list: lists only grow until ble.forget erases both
  const newer = function () {
    return slot(1).length > slot(0).length ? 1 : 0;
  };
  const bonds = function () {
    return slot(newer());
  };
  const remember = function (address: string) {
    const list = bonds();
    if (list.indexOf(address) >= 0) return;
    list.push(address);
    const n = newer();
    storage.writeJSON(BONDS_FILES[1 - n]!, list);
    storage.erase(BONDS_FILES[n]!);
  };
  const secure = function () {
    // encryptUart: the console on the Nordic UART Service only for an encrypted link (a bonded phone), in and out of the window
    const options: Parameters<typeof NRF.setSecurity>[0] = { display: true, mitm: true, lesc: true, bond: true, encryptUart: true };
    if (passkey) options.passkey = passkey;
    NRF.setSecurity(options);
  };
  const show = function (open: boolean) {
    NRF.setAdvertising({}, { name: name, showName: true, connectable: true, discoverable: open, interval: open || mode === 'fast' ? FAST_INTERVAL_MS : SLOW_INTERVAL_MS });
    NRF.wake();
  };
  const advertise = function (open: boolean) {
    if (sync !== undefined) clearTimeout(sync);
    sync = undefined;
    if (open || mode !== 'off') return show(open);
    // the power mode's 'off' is NRF.sleep(): no advertising, a link dropped (the power mode sleeps only with no link);
    // but every SYNC_MS a window of slow advertising where a bonded phone reconnects
    NRF.sleep();
    sync = setTimeout(function () {
      show(false);
      sync = setTimeout(function () {
        sync = undefined;
        if (!connected) advertise(false);
      }, SYNC_WINDOW_MS);
    }, SYNC_MS);
  };
  const newPasskey = function () {
    passkey = drawPasskey();
    secure();
    NRF.nfcRaw(pairingTag(NRF.getAddress(), passkey));
  };
  const close = function () {
    if (windowTimer !== undefined) clearTimeout(windowTimer);
    windowTimer = undefined;
    passkey = undefined;
    NRF.nfcStop();
    secure();
    advertise(false);
    print('[ble] pairing window closed');
  };
  const backingOff = function () {
    return getTime() < backoffUntil;
  };

  NRF.on('connect', function (address) {
    peer = address;
    connected = true;
    onLink(true);
    // Espruino moves the console to Bluetooth on any connect; the link earns it at encryption (below)
    E.setConsole('Serial1');
    if (backingOff()) return NRF.disconnect();
    // a bond the SoftDevice stored but the list missed (a power cut between the two writes): counted now
    if (NRF.getSecurityStatus().bonded) remember(address);
    // Espruino reports 'security' only when a pairing ends (BLE_GAP_EVT_AUTH_STATUS, targets/nrf5x/bluetooth.c):
    // a bonded phone's reconnect encrypts with the stored key in silence, so the link's status is looked at
    let polls = 0;
    const poll = setInterval(function () {
      const s = NRF.getSecurityStatus();
      if (s.connected && !s.encrypted && ++polls < ENCRYPT_POLLS) return;
      clearInterval(poll);
      if (s.encrypted && s.mitm_protected && s.bonded) E.setConsole('Bluetooth');
    }, ENCRYPT_POLL_MS);
  });
  NRF.on('disconnect', function () {
    connected = false;
    onLink(false);
    if (eraseOnDisconnect) NRF.eraseBonds();
    eraseOnDisconnect = false;
    // a phone that came in a sync window has gone: back to sleep and the next window
    if (mode === 'off' && passkey === undefined) advertise(false);
  });
  NRF.on('bond', function (what) {
    if (what === 'request' && (passkey === undefined || backingOff())) NRF.disconnect();
    if (what === 'fail' && passkey !== undefined) {
      failures++;
      backoffUntil = getTime() + Math.min(BACKOFF_S * Math.pow(2, failures - 1), BACKOFF_MAX_S);
      print('[ble] pairing failed (' + failures + ')');
      newPasskey();
    }
  });
  NRF.on('security', function (s) {
    // Espruino names the status it knows (bluetooth.c BLEP_TASK_AUTH_STATUS): "SUCCESS", not 0
    if (s.auth_status !== 'SUCCESS') return;
    // lv4: LESC with MITM (Core v5.4 Vol 3 Part C 10.2.1, mode 1 level 4)
    if (!s.lv4) return NRF.disconnect();
    // outside the window a pairing was refused at its request: an lv4 report there re-encrypts a bond
    if (passkey !== undefined && s.bonded) {
      remember(peer);
      print('[ble] bonded ' + peer);
      close();
    }
    // an authenticated, encrypted link: the console over the Nordic UART Service is the phone's now
    E.setConsole('Bluetooth');
  });
  secure();
  advertise(false);

  return {
    follow: function (m) {
      mode = m;
      if (passkey === undefined) advertise(false);
    },
    open: function () {
      if (bonds().length >= MAX_BONDS) return 'full';
      if (windowTimer !== undefined) clearTimeout(windowTimer);
      failures = 0;
      backoffUntil = 0;
      newPasskey();
      advertise(true);
      windowTimer = setTimeout(function () {
        // clearTimeout of a timer that has run throws "Unknown Timeout" on Espruino
        windowTimer = undefined;
        close();
      }, WINDOW_MS);
      print('[ble] pairing window open');
      return passkey!;
    },
    forget: function () {
      const n = bonds().length;
      BONDS_FILES.forEach(function (f) {
        storage.erase(f);
      });
      // not under a link (the SoftDevice model keeps a connected peer's bond): once it has gone
      if (connected) {
        eraseOnDisconnect = true;
        // a moment for this answer to reach a phone asking over the Nordic UART Service
        setTimeout(function () {
          NRF.disconnect();
        }, 500);
      } else NRF.eraseBonds();
      return n;
    },
    status: function () {
      return { window: passkey !== undefined, bonds: bonds().length, maxBonds: MAX_BONDS, connected: connected, backoffS: Math.max(0, Math.round(backoffUntil - getTime())) };
    },
  };
}
