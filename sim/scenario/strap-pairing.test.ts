// Tap to pair, with the built firmware (dist/strap.js) on the virtual board, the SoftDevice model
// and a phone (ble-host as central) on one air: the long press, the NFC tag's passkey and address,
// LESC passkey pairing and bonding, the reconnect, the policy (no window, wrong passkey, back-off),
// and the GATT table (battery, device information, the wallet control point).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResult } from '../../protocols/strap-rpc/contract';
import type { MethodName } from '../../protocols/strap-rpc/contract';
import type { ReplyFrame } from '../../protocols/strap-rpc/frame';
import { SYNC_MS, SYNC_WINDOW_MS } from '../../firmware/ble/sync-window';
import { readType2Tag } from '../nfc/type2-reader';
import { listBonds } from '../phone/bond-list';
import type { Connection } from '../radio/ble-host-api';
import { connect, discover, findCharacteristic, read, scanForStrap, write, STRAP_ADDRESS } from '../softdevice/testing/strap-and-phone';
import { strapWithPhone } from './testing/strap-with-phone';
import type { StrapWithPhone } from './testing/strap-with-phone';

const WALLET = '5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11';
const CONTROL_POINT = '5a7e0002-3c4f-4e9a-9b1d-2f6e8a0c7d11';
const KEYBOARD_ONLY = 2;
const ascii = (b: Uint8Array) => String.fromCharCode(...b);

/** Over the serial console; with `nus`, over the Nordic UART Service from that (bonded, encrypted) connection, which holds the console then. */
function rpc(s: StrapWithPhone, method: MethodName, nus?: Connection): Record<string, unknown> {
  const answer = nus ? s.callOverNus(nus, method) : s.call(method);
  if ('att' in answer) expect.fail(`${method} over NUS: ATT error ${answer.att}`);
  const frame: ReplyFrame = answer;
  expect(frame.ok, `${method} answered ${JSON.stringify(frame.value)}`).toBe(true);
  const result = readResult(method, frame.value, { exact: true });
  if (!result.ok) expect.fail(`${method}: ${result.misfit.message}`);
  return result.value as Record<string, unknown>;
}

/** What a phone tapping the strap reads: the passkey record's digits and the LE OOB record's address. */
function tapTag(s: StrapWithPhone): { passkey: string; oob: number[] } | undefined {
  const tag = readType2Tag(s.board.nfc);
  if (!tag.ok) return undefined;
  const oob = tag.records.find((r) => ascii(r.type) === 'application/vnd.bluetooth.le.oob');
  const key = tag.records.find((r) => ascii(r.type) === 'paymentstrap.dev:passkey');
  expect(oob?.tnf).toBe(0x02);
  expect(key?.tnf).toBe(0x04);
  return { passkey: ascii(key!.payload), oob: [...oob!.payload] };
}

interface Outcome {
  complete: boolean;
  failed?: number;
  dropped?: boolean;
}

function pair(s: StrapWithPhone, conn: Connection, passkey: string, request: Record<string, unknown> = { ioCap: KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true }): Outcome {
  const outcome: Outcome = { complete: false };
  conn.smp.on('passkeyExchange', (_model: number, _shown: string | null, enter: (p: string) => void) => enter(passkey));
  conn.smp.on('pairingComplete', () => (outcome.complete = true));
  conn.smp.on('pairingFail', (reason: number) => (outcome.failed = reason));
  conn.on('disconnect', () => (outcome.dropped = true));
  conn.smp.sendPairingRequest(request);
  s.until(() => outcome.complete || outcome.failed !== undefined || outcome.dropped === true, 'pairing finished');
  s.board.run(50);
  return outcome;
}

function disconnect(s: StrapWithPhone, conn: Connection): void {
  let gone = false;
  conn.on('disconnect', () => (gone = true));
  conn.disconnect();
  s.until(() => gone && !s.softDevice.connected(), 'the disconnect');
  s.board.run(50);
}

describe('tap to pair: the strap firmware with the SoftDevice and a phone', () => {
  it('a long press opens the window: the tag carries address and passkey, the phone pairs LESC passkey, bonds, and reconnects without pairing', () => {
    const s = strapWithPhone(41);
    expect(readType2Tag(s.board.nfc)).toEqual({ ok: false, error: 'no tag' });
    s.board.pressButton(1500);
    s.board.run(1600);
    expect(s.lines()).toContain('[ble] pairing window open');
    const tag = tapTag(s)!;
    expect(tag.passkey).toMatch(/^\d{6}$/);
    // LE Bluetooth Device Address (0x1B) LSB first, public; LE Role (0x1C) peripheral only
    expect(tag.oob).toEqual([8, 0x1b, 0x01, 0x44, 0x33, 0x22, 0x11, 0xc0, 0x00, 2, 0x1c, 0x00]);
    expect(rpc(s, 'ble.status')).toMatchObject({ window: true, bonds: 0, connected: false });

    const conn = connect(s);
    expect(pair(s, conn, tag.passkey)).toEqual({ complete: true });
    expect(conn.smp.currentEncryptionLevel).toMatchObject({ mitm: true, sc: true });
    // the first bond closes the window: tag cleared, passkey forgotten
    // the encrypted, bonded link holds the console now: the RPC goes over the Nordic UART Service
    expect(rpc(s, 'ble.status', conn)).toEqual({ window: false, bonds: 1, maxBonds: 4, connected: true, backoffS: 0 });
    expect(readType2Tag(s.board.nfc)).toEqual({ ok: false, error: 'no tag' });
    expect(s.lines()).toContain('[ble] bonded c0:11:22:33:44:02 public');

    // the wallet control point answers status with the request's sequence number
    const cp = findCharacteristic(discover(s, conn, WALLET), CONTROL_POINT);
    const notes: number[][] = [];
    (cp as unknown as { on(e: string, l: (v: Buffer) => void): void }).on('change', (v) => notes.push([...v]));
    let subscribed = false;
    (cp as unknown as { writeCCCD(n: boolean, i: boolean, cb: () => void): void }).writeCCCD(true, false, () => (subscribed = true));
    s.until(() => subscribed, 'the subscription');
    expect(write(s, cp, '\x07\x01')).toBe(0);
    s.until(() => notes.length === 1, 'the status answer');
    const battPct = s.value('strap.status().battPct') as number;
    expect(notes[0]).toEqual([7, 0x81, 0, 0, 1, battPct]);
    expect(write(s, cp, '\x08\x42')).toBe(0);
    s.until(() => notes.length === 2, 'the unknown-op answer');
    expect(notes[1]).toEqual([8, 0xc2, 1]);

    disconnect(s, conn);
    const again = connect(s);
    const bondEvents = s.lines().length;
    let status: number | undefined;
    again.smp.on('encrypt', (st: number) => (status = st));
    again.smp.startEncryption();
    s.until(() => status !== undefined, 'encryption with the stored key');
    s.board.run(50);
    expect(status).toBe(0);
    expect(s.lines().slice(bondEvents).filter((l) => l.startsWith('[ble]'))).toEqual([]);
    expect(read(s, findCharacteristic(discover(s, again, WALLET), CONTROL_POINT)).err).toBe(0);
  });

  it('the console over the Nordic UART Service: refused to an unpaired central (0x05) while the serial console stays; a bonded phone\'s encrypted link gets it', () => {
    const s = strapWithPhone(48);
    s.call('ble.pair');
    const passkey = tapTag(s)!.passkey;
    const stranger = connect(s);
    expect(s.callOverNus(stranger, 'ble.status')).toEqual({ att: 0x05 }); // Insufficient Authentication (Core v5.4 Vol 3 Part F 3.4.1.1)
    expect(s.board.consoleDeviceName).toBe('Serial1');
    expect(rpc(s, 'ble.status')).toMatchObject({ connected: true, bonds: 0 });
    expect(pair(s, stranger, passkey)).toEqual({ complete: true });
    expect(s.board.consoleDeviceName).toBe('Bluetooth');
    expect(rpc(s, 'ble.status', stranger)).toMatchObject({ connected: true, bonds: 1 });
    disconnect(s, stranger);
    expect(s.board.consoleDeviceName).toBe('Serial1');
  });

  // Espruino reports `security` only at the end of a pairing (BLE_GAP_EVT_AUTH_STATUS, targets/nrf5x/bluetooth.c);
  // a bonded reconnect encrypts with the stored key (PM_EVT_CONN_SEC_SUCCEEDED) and JavaScript hears nothing of it.
  it('a bonded phone reconnecting on its stored keys gets the console over NUS, although no security event comes; a Just Works bond does not', () => {
    const s = strapWithPhone(49);
    s.call('ble.pair');
    const passkey = tapTag(s)!.passkey;
    const first = connect(s);
    expect(pair(s, first, passkey)).toEqual({ complete: true });
    disconnect(s, first);
    const since = s.lines().length;
    const again = connect(s);
    s.board.run(50);
    expect(s.board.consoleDeviceName).toBe('Serial1');
    let status: number | undefined;
    again.smp.on('encrypt', (st: number) => (status = st));
    again.smp.startEncryption();
    s.until(() => status !== undefined, 'encryption with the stored key');
    s.board.run(600);
    expect(status).toBe(0);
    expect(s.board.consoleDeviceName).toBe('Bluetooth');
    expect(rpc(s, 'ble.status', again)).toMatchObject({ connected: true, bonds: 1 });
    expect(s.lines().slice(since).filter((l) => l.startsWith('[ble]'))).toEqual([]);
    disconnect(s, again);
    expect(s.board.consoleDeviceName).toBe('Serial1');

    // a Just Works bond (the strap drops that link, but the SoftDevice keeps its key) encrypts at a reconnect without MITM
    const j = strapWithPhone(50);
    j.call('ble.pair');
    const jw = connect(j);
    expect(pair(j, jw, '', { ioCap: 3, bondingFlags: 1, mitm: false, sc: true }).failed).toBeUndefined();
    j.until(() => !j.softDevice.connected(), 'the strap dropped the Just Works link');
    const back = connect(j);
    let jwStatus: number | undefined;
    back.smp.on('encrypt', (st: number) => (jwStatus = st));
    back.smp.startEncryption();
    j.until(() => jwStatus !== undefined, 'encryption with the Just Works key');
    j.board.run(600);
    expect(jwStatus).toBe(0);
    expect(j.value('NRF.getSecurityStatus().mitm_protected')).toBe(false);
    expect(j.board.consoleDeviceName).toBe('Serial1');
  });

  it('refuses pairing with no window open: the link is dropped and nothing is bonded', () => {
    const s = strapWithPhone(42);
    const conn = connect(s);
    const outcome = pair(s, conn, '123456');
    expect(outcome.complete).toBe(false);
    s.until(() => !s.softDevice.connected(), 'the strap dropped the link');
    expect(rpc(s, 'ble.status')).toMatchObject({ window: false, bonds: 0 });
  });

  it('ble.pair answers the passkey the tag shows; a wrong passkey fails, the strap backs off (connections dropped at once) and draws a new passkey; after the delay the phone pairs', () => {
    const s = strapWithPhone(43);
    const opened = rpc(s, 'ble.pair');
    const first = tapTag(s)!;
    // the console that opened the window is told the passkey the tag shows (strap pair --console)
    expect(opened).toEqual({ window: true, why: '', passkey: first.passkey });
    const wrong = first.passkey === '000000' ? '000001' : '000000';
    const conn = connect(s);
    expect(pair(s, conn, wrong).failed).toBe(0x04); // Confirm Value Failed (Core v5.4 Vol 3 Part H 3.5.5)
    disconnect(s, conn);
    expect((rpc(s, 'ble.status').backoffS as number) > 0).toBe(true);
    const second = tapTag(s)!;
    expect(second.passkey).not.toBe(first.passkey);

    // during the back-off a connection is dropped at once
    const report = scanForStrap(s);
    let dropped = false;
    s.phoneManager.connect(report.addressType, report.address, {}, (c: Connection) => c.on('disconnect', () => (dropped = true)));
    s.until(() => dropped, 'the strap dropped the connection in its back-off');
    expect(rpc(s, 'ble.status')).toMatchObject({ bonds: 0, window: true });

    s.board.run(3000);
    const later = connect(s);
    expect(pair(s, later, second.passkey)).toEqual({ complete: true });
    expect(rpc(s, 'ble.status', later)).toMatchObject({ window: false, bonds: 1 });
  });

  it('in the window, Just Works (no MITM) ends with the link dropped and no bond counted (until that phone connects again); legacy pairing is refused (0x03)', () => {
    const s = strapWithPhone(46);
    expect(rpc(s, 'ble.pair')).toMatchObject({ window: true, why: '' });
    const conn = connect(s);
    // a phone with no input and no output: Just Works (Core v5.4 Vol 3 Part H 2.3.5.1)
    // (the phone's ble-host 1.0.3 calls it MITM-protected; the SoftDevice model reports lv4 0 to the firmware)
    expect(pair(s, conn, '', { ioCap: 3, bondingFlags: 1, mitm: false, sc: true }).failed).toBeUndefined();
    s.until(() => !s.softDevice.connected(), 'the strap dropped the Just Works link');
    expect(rpc(s, 'ble.status')).toMatchObject({ window: true, bonds: 0 });
    const legacy = connect(s);
    // ble-host always asks Secure Connections: the tap clears the SC bit (AuthReq 0x08) of the phone's Pairing
    // Request (L2CAP length, CID 0x0006, code 0x01, IO, OOB, AuthReq; Core v5.4 Vol 3 Part H 3.5.1)
    s.air.tap = (pdu) => {
      const p = pdu.kind === 'data' ? pdu.payload : undefined;
      if (!p || pdu.from !== 'phone' || p[2] !== 0x06 || p[3] !== 0x00 || p[4] !== 0x01) return undefined;
      const changed = p.slice();
      changed[7] = changed[7]! & ~0x08;
      return { ...pdu, payload: changed };
    };
    expect(pair(s, legacy, tapTag(s)!.passkey).failed).toBe(0x03);
    // the Just Works bond the SoftDevice kept (Espruino cannot erase one bond) is counted once that phone connects again
    expect(rpc(s, 'ble.status')).toMatchObject({ bonds: 1 });
  });

  it('key size 7: in the window a phone offering at most 7-octet keys gets Pairing Failed 0x06 (the strap\'s Espruino build asks 16); no bond on either side', () => {
    const s = strapWithPhone(51);
    expect(rpc(s, 'ble.pair')).toMatchObject({ window: true, why: '' });
    const conn = connect(s);
    expect(pair(s, conn, tapTag(s)!.passkey, { ioCap: KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true, maxKeySize: 7 }).failed).toBe(0x06); // Encryption Key Size (Core v5.4 Vol 3 Part H 3.5.5)
    expect(conn.smp.isEncrypted).toBe(false);
    expect(rpc(s, 'ble.status')).toMatchObject({ bonds: 0 });
    expect(listBonds(join(s.root, 'strap'))).toEqual([]);
    expect(listBonds(join(s.root, 'phone'))).toEqual([]);
    expect(s.lines().filter((l) => l.startsWith('[ble] bonded'))).toEqual([]);
  });

  it('ble.forget erases the bond: the phone\'s stored key no longer encrypts; with 4 bonds listed the window stays shut', () => {
    const s = strapWithPhone(47);
    s.call('ble.pair');
    const conn = connect(s);
    expect(pair(s, conn, tapTag(s)!.passkey)).toEqual({ complete: true });
    let gone = false;
    conn.on('disconnect', () => (gone = true));
    expect(rpc(s, 'ble.forget', conn)).toEqual({ forgotten: 1 });
    s.until(() => gone && !s.softDevice.connected(), 'the strap dropped the forgotten phone');
    s.board.run(50);
    expect(rpc(s, 'ble.status')).toMatchObject({ bonds: 0, connected: false });
    const again = connect(s);
    let status: number | undefined;
    let dropped = false;
    again.smp.on('encrypt', (st: number) => (status = st));
    again.on('disconnect', () => (dropped = true));
    again.smp.startEncryption();
    s.until(() => status !== undefined || dropped, 'the encryption attempt');
    expect(status === 0 && !dropped).toBe(false);

    s.board.writeFile('ble.bonds', JSON.stringify(['a public', 'b public', 'c public', 'd public']));
    expect(rpc(s, 'ble.pair')).toEqual({ window: false, why: 'full' });
    expect(readType2Tag(s.board.nfc)).toEqual({ ok: false, error: 'no tag' });
  });

  it('outside the window advertising follows the power mode: a connected phone keeps the link past the idle timeout; alone the strap stops advertising in its sleep, a press brings it back', () => {
    const s = strapWithPhone(48);
    const conn = connect(s);
    let dropped = false;
    conn.on('disconnect', () => (dropped = true));
    s.board.run(400_000); // past the power mode's active (10 s) and idle (300 s) timeouts
    expect(dropped).toBe(false);
    disconnect(s, conn);
    s.board.run(400_000);
    const heard = (ms: number) => {
      let found = false;
      const scanner = s.phoneManager.startScan({});
      scanner.on('report', (r: { address: string }) => (found ||= r.address === STRAP_ADDRESS));
      s.board.run(ms);
      scanner.stopScan();
      return found;
    };
    expect(heard(3000)).toBe(false);
    s.board.pressButton(200);
    s.board.run(500);
    expect(heard(3000)).toBe(true);
  });

  it('asleep, the strap advertises only in a sync window (1.5 s every 3 min): the bonded phone reconnects in the next one, and the strap sleeps again when it leaves', () => {
    const s = strapWithPhone(52);
    s.call('ble.pair');
    const conn = connect(s);
    expect(pair(s, conn, tapTag(s)!.passkey)).toEqual({ complete: true });
    disconnect(s, conn);
    s.board.run(400_000); // past the power mode's active (10 s) and idle (300 s) timeouts: asleep
    expect(rpc(s, 'ble.status')).toMatchObject({ connected: false, bonds: 1 });
    const advertising: number[] = [];
    s.softDevice.device.controller.onActivity = (a) => a.kind === 'advertising-event' && advertising.push(a.startMs);
    s.board.run(3 * SYNC_MS);
    // three windows in three periods, each a few slow (375 ms) advertising events, nothing in between
    const windows = advertising.filter((t, i) => i === 0 || t - advertising[i - 1]! > 10_000);
    expect(windows.length).toBe(3);
    expect(windows[1]! - windows[0]!).toBeGreaterThanOrEqual(SYNC_MS);
    expect(windows[1]! - windows[0]!).toBeLessThanOrEqual(SYNC_MS + SYNC_WINDOW_MS + 100);
    expect(advertising.length).toBeLessThanOrEqual(3 * Math.ceil(SYNC_WINDOW_MS / 375 + 1));

    // the phone wants the strap now: it connects in the next window and encrypts with its bond
    const patient = { ...s, until: (c: () => boolean, what: string) => s.until(c, what, SYNC_MS + SYNC_WINDOW_MS + 1000) };
    const from = s.clock.nowMs();
    const again = connect(patient);
    expect(s.clock.nowMs() - from).toBeLessThanOrEqual(SYNC_MS + SYNC_WINDOW_MS);
    let status: number | undefined;
    again.smp.on('encrypt', (st: number) => (status = st));
    again.smp.startEncryption();
    s.until(() => status !== undefined, 'encryption with the bond');
    expect(status).toBe(0);
    disconnect(s, again);
    advertising.length = 0;
    s.board.run(SYNC_MS - 1000);
    expect(advertising).toEqual([]); // asleep again until the next window
    s.board.run(SYNC_WINDOW_MS + 2000);
    expect(advertising.length).toBeGreaterThan(0);
  });

  it('the passkey comes from E.hwRand: the same seed draws the same one, another seed another', () => {
    const drawn = (seed: number) => {
      const s = strapWithPhone(seed);
      s.call('ble.pair');
      return tapTag(s)!.passkey;
    };
    expect(drawn(49)).toBe(drawn(49));
    expect(drawn(49)).not.toBe(drawn(50));
  });

  it('an unbonded central reading the wallet control point gets Insufficient Authentication; the battery level reads the cell', () => {
    const s = strapWithPhone(44);
    const conn = connect(s);
    expect(read(s, findCharacteristic(discover(s, conn, WALLET), CONTROL_POINT)).err).toBe(0x05);
    s.board.cell.setPercent(50);
    s.call('heartbeat');
    const battPct = s.value('strap.status().battPct') as number;
    expect(battPct).toBeLessThan(90);
    const level = read(s, findCharacteristic(discover(s, conn, '180f'), '2a19'));
    expect(level.err).toBe(0);
    expect(level.value.charCodeAt(0)).toBe(battPct);
    const info = discover(s, conn, '180a');
    expect(read(s, findCharacteristic(info, '2a26')).value).toBe('0.1.0');
    expect(read(s, findCharacteristic(info, '2a29')).value).toBe('paymentstrap.dev');
  });

  it('the window closes after 60 s with the tag cleared; ble.forget empties the bond list', () => {
    const s = strapWithPhone(45);
    s.board.pressButton(1500);
    s.board.run(1600);
    expect(tapTag(s)).toBeDefined();
    s.board.run(60_000);
    expect(readType2Tag(s.board.nfc)).toEqual({ ok: false, error: 'no tag' });
    expect(rpc(s, 'ble.status')).toMatchObject({ window: false });
    expect(s.lines()).toContain('[ble] pairing window closed');
    expect(rpc(s, 'ble.forget')).toEqual({ forgotten: 0 });
    expect(STRAP_ADDRESS).toBe('C0:11:22:33:44:01');
  });
});
