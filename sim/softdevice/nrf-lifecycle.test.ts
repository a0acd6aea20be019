// The rest of NRF's radio members over the virtual air: address, advertising on/off, sleep/wake,
// connection interval, bonded reconnects at the stored level, eraseBonds, a power cycle.
import { describe, expect, it } from 'vitest';
import type { Connection } from '../radio/ble-host-api';
import { STRAP_ADDRESS, connect, discover, findCharacteristic, read, scanForStrap, strapAndPhone, write } from './testing/strap-and-phone';
import type { StrapAndPhone } from './testing/strap-and-phone';

const IO = { KEYBOARD_ONLY: 2, NO_INPUT_NO_OUTPUT: 3 };

function disconnect(s: StrapAndPhone, conn: Connection): number {
  let reason: number | undefined;
  conn.on('disconnect', (r: number) => (reason = r));
  conn.disconnect();
  s.until(() => reason !== undefined && !s.softDevice.connected(), 'the disconnect');
  return reason!;
}

function pairWith(s: StrapAndPhone, conn: Connection, ioCap: number): void {
  let done = false;
  conn.smp.on('passkeyExchange', (_m: number, _p: string | null, enter: (p: string) => void) => enter('123456'));
  conn.smp.on('pairingComplete', () => (done = true));
  conn.smp.sendPairingRequest({ ioCap, bondingFlags: 1, mitm: true, sc: true });
  s.until(() => done, 'pairing');
  s.t.board.run(10);
}

function encryptAgain(s: StrapAndPhone, conn: Connection): void {
  let status: number | undefined;
  conn.smp.on('encrypt', (st: number) => (status = st));
  conn.smp.startEncryption();
  s.until(() => status !== undefined, 'encryption with the stored key');
  s.t.board.run(10);
  expect(status).toBe(0);
}

const status = (s: StrapAndPhone) => JSON.parse(s.t.value('JSON.stringify(NRF.getSecurityStatus())') as string) as Record<string, unknown>;

describe('NRF radio members', () => {
  it('getAddress, getSecurityStatus while advertising, the connect/disconnect events with the HCI reason', () => {
    const s = strapAndPhone(31);
    expect(s.t.value('NRF.getAddress()')).toBe(`${STRAP_ADDRESS.toLowerCase()} public`);
    expect(status(s)).toEqual({ advertising: true, connected: false, encrypted: false, mitm_protected: false, bonded: false });
    s.t.value(`var ev = []; NRF.on('disconnect', function (r) { ev.push(r); });`);
    const conn = connect(s);
    expect(status(s)).toMatchObject({ advertising: false, connected: true });
    expect(disconnect(s, conn)).toBe(0x16); // the phone's host ended it: Connection Terminated By Local Host on its side
    s.t.board.run(10);
    expect(s.t.value('ev[0]')).toBe(0x13); // Remote User Terminated Connection, as the strap hears it
    expect(status(s)).toMatchObject({ advertising: true, connected: false });
  });

  it('NRF.sleep stops advertising (advertising event false), NRF.wake starts it again', () => {
    const s = strapAndPhone(32);
    s.t.value(`var adv = []; NRF.on('advertising', function (on) { adv.push(on); }); NRF.sleep();`);
    s.t.board.run(10);
    expect(s.t.value('adv.join()')).toBe('false');
    let heard = false;
    const scanner = s.phoneManager.startScan({});
    scanner.on('report', () => (heard = true));
    s.t.board.run(2000);
    expect(heard).toBe(false);
    scanner.stopScan();
    s.t.value('NRF.wake()');
    s.t.board.run(10);
    expect(s.t.value('adv.join()')).toBe('false,true');
    expect(scanForStrap(s).address).toBe(STRAP_ADDRESS);
  });

  it('NRF.disconnect ends the link; setConnectionInterval asks the central for a new interval', () => {
    const s = strapAndPhone(33);
    const conn = connect(s);
    const intervals: number[] = [];
    conn.on('connectionUpdate', (interval: number) => intervals.push(interval));
    s.t.value('NRF.setConnectionInterval(100)');
    s.until(() => intervals.length > 0, 'the connection update');
    expect(intervals).toEqual([80]); // 100 ms in units of 1.25 ms
    let reason: number | undefined;
    conn.on('disconnect', (r: number) => (reason = r));
    s.t.value('NRF.disconnect()');
    s.until(() => reason !== undefined, 'the disconnect');
    expect(reason).toBe(0x13);
  });

  it('Espruino\'s dynamic interval: 16,000 idle radio events after the connect the link goes to 200 ms; a write restarts the count; NRF.setConnectionInterval(value) turns it off', () => {
    const s = strapAndPhone(36);
    s.t.value('NRF.setServices({ 0xBCDE: { 0xABCD: { value: "x", writable: true, onWrite: function () {} } } }, { uart: false });');
    const conn = connect(s);
    const link = () => [...s.air.links][0]!;
    const chosenMs = link().intervalMs; // the phone's choice
    expect(chosenMs).toBeLessThan(100);
    const intervals: number[] = [];
    conn.on('connectionUpdate', (interval: number) => intervals.push(interval));
    s.t.board.run(16_000 * chosenMs * 0.9);
    const c = findCharacteristic(discover(s, conn, 'bcde'), 'abcd');
    expect(write(s, c, 'y')).toBe(0); // activity: the count starts again
    s.t.board.run(16_000 * chosenMs * 0.9);
    expect(intervals).toEqual([]);
    s.t.board.run(16_000 * chosenMs * 0.2);
    expect(intervals).toEqual([160]); // BLE_DYNAMIC_INTERVAL_LOW_RATE 200 ms, in units of 1.25 ms
    expect(link().intervalMs).toBe(200);

    const fixed = strapAndPhone(37);
    const conn2 = connect(fixed);
    const updates: number[] = [];
    conn2.on('connectionUpdate', (interval: number) => updates.push(interval));
    fixed.t.value('NRF.setConnectionInterval(50)');
    fixed.t.board.run(16_000 * 50 * 1.2);
    expect(updates).toEqual([40]);
  });

  it('a bonded reconnect gets the level of its bond: MITM after passkey pairing, none after Just Works', () => {
    for (const [seed, ioCap, mitm] of [[34, IO.KEYBOARD_ONLY, true], [35, IO.NO_INPUT_NO_OUTPUT, false]] as const) {
      const s = strapAndPhone(seed);
      s.t.value(`NRF.setSecurity({display: true, mitm: true, lesc: true, passkey: "123456"});
        NRF.setServices({ 0xBCDE: { 0xABCD: { value: "secret", readable: true, security: { read: { encrypted: true, mitm: true } } } } }, { uart: false });`);
      const first = connect(s);
      pairWith(s, first, ioCap);
      disconnect(s, first);
      const again = connect(s);
      expect(status(s)).toMatchObject({ encrypted: false, bonded: true });
      // before encryption a bonded peer is told Insufficient Encryption (0x0F), so it encrypts rather than pairs
      expect(read(s, findCharacteristic(discover(s, again, 'bcde'), 'abcd')).err).toBe(0x0f);
      encryptAgain(s, again);
      expect(status(s)).toMatchObject({ encrypted: true, mitm_protected: mitm, bonded: true });
      expect(read(s, findCharacteristic(discover(s, again, 'bcde'), 'abcd')).err).toBe(mitm ? 0 : 0x05);
    }
  });

  it('NRF.eraseBonds forgets the phone: its reconnect finds no key (PIN or Key Missing)', () => {
    const s = strapAndPhone(36);
    s.t.value(`NRF.setSecurity({display: true, mitm: true, lesc: true, passkey: "123456"})`);
    const first = connect(s);
    pairWith(s, first, IO.KEYBOARD_ONLY);
    disconnect(s, first);
    s.t.value('NRF.eraseBonds()');
    const again = connect(s);
    expect(status(s)).toMatchObject({ bonded: false });
    let st: number | undefined;
    again.smp.on('encrypt', (x: number) => (st = x));
    again.smp.startEncryption();
    s.until(() => st !== undefined, 'the encryption attempt');
    expect(st).toBe(0x06);
  });

  it('a board power cycle drops the link (supervision timeout) and the SoftDevice comes back advertising', () => {
    const s = strapAndPhone(37);
    const conn = connect(s);
    let reason: number | undefined;
    conn.on('disconnect', (r: number) => (reason = r));
    s.t.board.run(500); // a few connection events: the link is established (Core v5.4 Vol 6 Part B 4.5.2)
    s.t.board.powerCycle(500);
    s.until(() => reason !== undefined, 'the phone noticed');
    expect(reason).toBe(0x08);
    s.until(() => s.softDevice.ready, 'the SoftDevice restarted');
    expect(scanForStrap(s).address).toBe(STRAP_ADDRESS);
  });
});
