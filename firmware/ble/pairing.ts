/**
 * Tap to pair (firmware/ble/README.md): a pairing window opened by a long
 * press or `ble.pair`, the strap's pairing policy, and its bond list.
 *
 * The window (60 s, or until the first bond): a fresh passkey from the
 * hardware RNG, set as the SoftDevice's static passkey with display, MITM,
 * LESC and bonding; the passkey and the strap's LE address on the NFC tag;
 * discoverable connectable advertising with the strap's name. Closing it
 * clears the tag, forgets the passkey and puts advertising back to what the
 * power mode asks (fast, slow, or off in its sleep: `advertiseFor`, `stopAdvertising`).
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
// The bond list: two slots in turn, `ble.bonds` and `ble.bonds2` (Storage deletes a file before rewriting it,
// so a power cut mid-write leaves the other), their names written out where used (kept in a variable, a name
// costs Espruino's variables).
const FAST_INTERVAL_MS = 100;
const SLOW_INTERVAL_MS = 375;
/** How long a new link is watched for encryption with stored keys: 40 × 250 ms. */
const ENCRYPT_POLL_MS = 250;
const ENCRYPT_POLLS = 40;

/** Advertising outside the window, as the power mode asks (power/strap-tasks.ts PowerPorts): a number, kept in its name. */
const OFF = 0;
const SLOW = 1;
const FAST = 2;

// One strap, one radio: the window's state is the module's (its functions sit at the bundle's top scope,
// the cheapest closures on Espruino: firmware/ble/README.md, "Memory").
let onLink: (up: boolean) => void;
let passkey: string | undefined = undefined;
let windowTimer: number | undefined = undefined;
let failures = 0;
let backoffUntil = 0;
/** The connected central's address (for its bond, at the end of a pairing). */
let peer: string | undefined = undefined;
/** 0 no central; 1 one connected; 2 connected, and every bond to erase once it has gone (ble.forget under a link). */
let link = 0;
let mode = SLOW;
let sync: number | undefined = undefined;
/**
 * The bond list: the longer slot's (lists only grow until ble.forget erases both). `add`, when not in it, is
 * appended and stored: the new list to the other slot, then the current one erased.
 */
function bonds(add?: string): string[] {
  let list: string[] = [];
  // the slot holding it: 0 `ble.bonds`, 1 `ble.bonds2`
  let held = 0;
  for (let i = 0; i < 2; i++) {
    const l = require('Storage').readJSON(i ? 'ble.bonds2' : 'ble.bonds', true);
    if (Array.isArray(l) && l.length > list.length) {
      list = l as string[];
      held = i;
    }
  }
  if (add !== undefined && list.indexOf(add) < 0) {
    list.push(add);
    require('Storage').writeJSON(held ? 'ble.bonds' : 'ble.bonds2', list);
    require('Storage').erase(held ? 'ble.bonds2' : 'ble.bonds');
  }
  return list;
}
/** The SoftDevice's security; `draw`: a new passkey first (the window's), then published on the tag. */
function secure(draw?: boolean) {
  if (draw) passkey = drawPasskey();
  // encryptUart: the console on the Nordic UART Service only for an encrypted link (a bonded phone), in and out of the window.
  // Espruino keeps these options (hidden root, jswrap_ble_setSecurity): flags as 1, `bond` left at its default (true).
  const options: Parameters<typeof NRF.setSecurity>[0] = { display: 1, mitm: 1, lesc: 1, encryptUart: 1 };
  if (passkey) options.passkey = passkey;
  NRF.setSecurity(options);
  if (draw) NRF.nfcRaw(pairingTag(NRF.getAddress(), passkey!));
}
function show(open: boolean) {
  // `Strap xxxx`: the last two octets of the address, `c0:11:22:33:44:01 public`
  const a = NRF.getAddress();
  // Espruino keeps these options (hidden root, jswrap_ble_setAdvertising): its defaults left out, the full name
  // shown and connectable (nothing here sets it false); discoverable by default (LE General), `0` for LE Limited
  const options: NonNullable<Parameters<typeof NRF.setAdvertising>[1]> = { name: 'Strap ' + a.substr(12, 2) + a.substr(15, 2), interval: open || mode === FAST ? FAST_INTERVAL_MS : SLOW_INTERVAL_MS };
  if (!open) options.discoverable = 0;
  NRF.setAdvertising({}, options);
  NRF.wake();
}
function advertise(open: boolean) {
  if (sync !== undefined) clearTimeout(sync);
  sync = undefined;
  if (open || mode !== OFF) return show(open);
  // the power mode's 'off' is NRF.sleep(): no advertising, a link dropped (the power mode sleeps only with no link);
  // but every SYNC_MS a window of slow advertising where a bonded phone reconnects
  NRF.sleep();
  sync = setTimeout(function () {
    show(false);
    sync = setTimeout(function () {
      sync = undefined;
      if (!link) advertise(false);
    }, SYNC_WINDOW_MS);
  }, SYNC_MS);
}
function close() {
  if (windowTimer !== undefined) clearTimeout(windowTimer);
  windowTimer = undefined;
  passkey = undefined;
  NRF.nfcStop();
  secure();
  advertise(false);
  print('[ble] pairing window closed');
}
/**
 * 'connect' (the central's address) and 'disconnect' (a reason code): one listener for both, as one kept
 * function costs fewer variables than two.
 */
function onLinkEvent(address: string | number) {
  if (typeof address !== 'string') {
    const erase = link > 1;
    link = 0;
    onLink(false);
    if (erase) NRF.eraseBonds();
    // a phone that came in a sync window has gone: back to sleep and the next window
    if (mode === OFF && passkey === undefined) advertise(false);
    return;
  }
  peer = address;
  link = 1;
  onLink(true);
  // Espruino moves the console to Bluetooth on any connect; the link earns it at encryption (below)
  E.setConsole('Serial1');
  if (getTime() < backoffUntil) return NRF.disconnect();
  // a bond the SoftDevice stored but the list missed (a power cut between the two writes): counted now
  if (NRF.getSecurityStatus().bonded) bonds(address);
  // Espruino reports 'security' only when a pairing ends (BLE_GAP_EVT_AUTH_STATUS, targets/nrf5x/bluetooth.c):
  // a bonded phone's reconnect encrypts with the stored key in silence, so the link's status is looked at
  let polls = 0;
  const poll = setInterval(function () {
    const s = NRF.getSecurityStatus();
    if (s.connected && !s.encrypted && ++polls < ENCRYPT_POLLS) return;
    clearInterval(poll);
    if (s.encrypted && s.mitm_protected && s.bonded) E.setConsole('Bluetooth');
  }, ENCRYPT_POLL_MS);
}
/** 'bond' (a string: request, start, success, fail) and 'security' (the pairing's outcome): one listener for both. */
function onPairingEvent(s: string | { auth_status: string | number; bonded: boolean; lv4: number }) {
  if (typeof s === 'string') {
    if (s === 'request' && (passkey === undefined || getTime() < backoffUntil)) NRF.disconnect();
    if (s === 'fail' && passkey !== undefined) {
      failures++;
      backoffUntil = getTime() + Math.min(BACKOFF_S * Math.pow(2, failures - 1), BACKOFF_MAX_S);
      print('[ble] pairing failed (' + failures + ')');
      secure(true);
    }
    return;
  }
  // Espruino names the status it knows (bluetooth.c BLEP_TASK_AUTH_STATUS): "SUCCESS", not 0
  if (s.auth_status !== 'SUCCESS') return;
  // lv4: LESC with MITM (Core v5.4 Vol 3 Part C 10.2.1, mode 1 level 4)
  if (!s.lv4) return NRF.disconnect();
  // outside the window a pairing was refused at its request: an lv4 report there re-encrypts a bond
  if (passkey !== undefined && s.bonded) {
    bonds(peer);
    print('[ble] bonded ' + peer);
    close();
  }
  // an authenticated, encrypted link: the console over the Nordic UART Service is the phone's now
  E.setConsole('Bluetooth');
}

/** Starts the policy; `link`: told when a central connects (true) and disconnects (false). */
export function startPairing(link: (up: boolean) => void): void {
  onLink = link;
  secure();
  // first the address (show): a board without a radio throws here, before any handler is set (boot runs on without BLE)
  advertise(false);
  NRF.on('connect', onLinkEvent);
  NRF.on('disconnect', onLinkEvent);
  NRF.on('bond', onPairingEvent);
  NRF.on('security', onPairingEvent);
}

/** `ble.pair`: opens the window and answers its passkey, or `full` when MAX_BONDS are stored. */
export function openWindow(): { window: boolean; why: '' | 'full'; passkey?: string } {
  if (bonds().length >= MAX_BONDS) return { window: false, why: 'full' };
  if (windowTimer !== undefined) clearTimeout(windowTimer);
  failures = 0;
  backoffUntil = 0;
  secure(true);
  advertise(true);
  windowTimer = setTimeout(function () {
    // clearTimeout of a timer that has run throws "Unknown Timeout" on Espruino
    windowTimer = undefined;
    close();
  }, WINDOW_MS);
  print('[ble] pairing window open');
  // the passkey the tag shows, to whoever opened the window from the console (firmware/ble/README.md)
  return { window: true, why: '', passkey: passkey };
}

/** `ble.forget`: erases every bond, answering how many the list held. */
export function forgetBonds(): { forgotten: number } {
  const n = bonds().length;
  require('Storage').erase('ble.bonds');
  require('Storage').erase('ble.bonds2');
  // not under a link (the SoftDevice model keeps a connected peer's bond): once it has gone
  if (link) {
    link = 2;
    // a moment for this answer to reach a phone asking over the Nordic UART Service
    setTimeout(function () {
      NRF.disconnect();
    }, 500);
  } else NRF.eraseBonds();
  return { forgotten: n };
}

export function pairingStatus(): BleStatus {
  return { window: passkey !== undefined, bonds: bonds().length, maxBonds: MAX_BONDS, connected: link > 0, backoffS: Math.max(0, Math.round(backoffUntil - getTime())) };
}

/** The power mode's advertising (power/strap-tasks.ts PowerPorts): fast or slow. */
export function advertiseFor(fast: boolean): void {
  mode = fast ? FAST : SLOW;
  // the window overrides the power mode while open
  if (passkey === undefined) advertise(false);
}
/** The power mode's sleep: NRF.sleep() with its sync windows. */
export function stopAdvertising(): void {
  mode = OFF;
  if (passkey === undefined) advertise(false);
}
