// The board's NRF API over the virtual air: a phone (ble-host as central) scans, connects, discovers the
// service table the board's code set, reads, subscribes, writes; the console over the Nordic UART Service.
import { describe, expect, it } from 'vitest';
import { AdType, decodeAdStructures } from '../../protocols/ble/gap/advertising-data';
import { NordicUart } from '../../protocols/ble/gatt/uuid';
import type { Connection, GattClientCharacteristic } from '../radio/ble-host-api';
import { STOCK_ESPRUINO } from './espruino-build';
import { connect, discover, findCharacteristic as find, read, scanForStrap, strapAndPhone, write } from './testing/strap-and-phone';
import type { PhoneSide } from './testing/strap-and-phone';

type Notifying = GattClientCharacteristic & { on(e: 'change', l: (v: Buffer) => void): void; writeCCCD(n: boolean, i: boolean, cb: () => void): void };

function exchangeMtu(s: PhoneSide, conn: Connection): number {
  let mtu = 0;
  conn.gatt.exchangeMtu(() => (mtu = conn.gatt.currentMtu));
  s.until(() => mtu > 0, 'the MTU exchange');
  return mtu;
}

function subscribe(s: PhoneSide, c: GattClientCharacteristic): string[] {
  const heard: string[] = [];
  (c as Notifying).on('change', (v) => heard.push(v.toString('latin1')));
  let subscribed = false;
  (c as Notifying).writeCCCD(true, false, () => (subscribed = true));
  s.until(() => subscribed, 'the subscription');
  return heard;
}

const SERVICE = 'b7920001-3c1b-4b40-869f-3c0db9be80c6';
const CHAR = 'b7920002-3c1b-4b40-869f-3c0db9be80c6';

describe('NRF on the virtual radio', () => {
  it('advertises what NRF.setAdvertising asked, and the NUS UUID in the scan response', () => {
    const s = strapAndPhone(1);
    s.t.value(`NRF.setAdvertising({0x180F: [95]}, {name: "strap", interval: 100})`);
    const report = scanForStrap(s);
    const items = report.rawDataItems as { type: number; data: Buffer }[];
    expect(items.find((i) => i.type === AdType.COMPLETE_LOCAL_NAME)?.data.toString()).toBe('strap');
    expect([...(items.find((i) => i.type === AdType.SERVICE_DATA_16BIT)?.data ?? [])]).toEqual([0x0f, 0x18, 95]);
    const nus = items.find((i) => i.type === AdType.COMPLETE_128BIT_UUIDS);
    expect(nus && decodeAdStructures(Uint8Array.of(nus.data.length + 1, nus.type, ...nus.data))).toBeDefined();
    expect(Buffer.from(nus!.data).reverse().toString('hex')).toBe(NordicUart.SERVICE.replace(/-/g, ''));
  });

  it('refuses advertising data over 31 octets as the SoftDevice does (DATA_SIZE)', () => {
    const s = strapAndPhone(2);
    expect(() => s.t.value(`NRF.setAdvertising({}, {name: "a name far too long for one advertising packet"})`)).toThrow(/DATA_SIZE/);
  });

  it('serves the table from setServices: read, notify after subscribe, write → onWrite', () => {
    const s = strapAndPhone(3);
    s.t.value(`var got = []; NRF.on('connect', function (a) { got.push('connect ' + a); });
      NRF.setServices({ "${SERVICE}": { "${CHAR}": { value: "hello", maxLen: 20, readable: true, writable: true, notify: true,
        onWrite: function (evt) { got.push('write ' + E.toString(evt.data)); } } } }, { uart: false })`);
    const conn = connect(s);
    s.until(() => (s.t.value('got.length') as number) >= 1, 'the connect event');
    expect(s.t.value('got[0]')).toBe('connect c0:11:22:33:44:02 public');
    const c = find(discover(s, conn, SERVICE), CHAR);
    expect(c.properties).toMatchObject({ read: true, write: true, notify: true });
    expect(read(s, c)).toEqual({ err: 0, value: 'hello' });

    const notes: string[] = [];
    (c as unknown as { on(e: string, l: (v: Buffer) => void): void }).on('change', (v) => notes.push(v.toString('latin1')));
    s.t.value(`NRF.updateServices({ "${SERVICE}": { "${CHAR}": { value: "quiet", notify: true } } })`);
    s.t.board.run(200);
    expect(notes).toEqual([]); // not subscribed: no notification, but the value changed
    expect(read(s, c)).toEqual({ err: 0, value: 'quiet' });
    let subscribed = false;
    (c as unknown as { writeCCCD(n: boolean, i: boolean, cb: () => void): void }).writeCCCD(true, false, () => (subscribed = true));
    s.until(() => subscribed, 'the subscription');
    s.t.value(`NRF.updateServices({ "${SERVICE}": { "${CHAR}": { value: "world!", notify: true } } })`);
    s.until(() => notes.length === 1, 'the notification');
    expect(notes).toEqual(['world!']);
    // at most MTU − 3 = 20 octets go in a notification
    s.t.value(`NRF.updateServices({ "${SERVICE}": { "${CHAR}": { value: "0123456789abcdefghij", notify: true } } })`);
    s.until(() => notes.length === 2, 'the second notification');
    expect(notes[1]).toHaveLength(20);

    expect(write(s, c, 'ping')).toBe(0);
    s.until(() => (s.t.value('got.length') as number) >= 2, 'onWrite');
    expect(s.t.value('got[1]')).toBe('write ping');
    expect(write(s, c, 'x'.repeat(21))).toBe(0x0d); // longer than maxLen: Invalid Attribute Value Length
  });

  it('queues a new service table until the central disconnects ("BLE restart")', () => {
    const s = strapAndPhone(4);
    s.t.value(`NRF.setServices({ 0xBCDE: { 0xABCD: { value: "one", readable: true } } }, { uart: false })`);
    const conn = connect(s);
    s.t.value(`NRF.setServices({ 0xBCDE: { 0xABCD: { value: "two", readable: true } } }, { uart: false })`);
    expect(() => s.t.value(`NRF.updateServices({ 0xBCDE: { 0xABCD: { value: "x" } } })`)).toThrow("Can't update services until BLE restart");
    expect(read(s, find(discover(s, conn, 'bcde'), 'abcd'))).toEqual({ err: 0, value: 'one' });
    let gone = false;
    conn.on('disconnect', () => (gone = true));
    conn.disconnect();
    s.until(() => gone, 'the disconnect');
    const again = connect(s);
    expect(read(s, find(discover(s, again, 'bcde'), 'abcd'))).toEqual({ err: 0, value: 'two' });
  });

  it('moves the console to Bluetooth on connect and evaluates 1+2 written to NUS RX', () => {
    const s = strapAndPhone(5);
    const conn = connect(s);
    const cs = discover(s, conn, NordicUart.SERVICE);
    const tx = find(cs, NordicUart.TX);
    const rx = find(cs, NordicUart.RX);
    let text = '';
    (tx as unknown as { on(e: string, l: (v: Buffer) => void): void }).on('change', (v) => (text += v.toString('latin1')));
    let subscribed = false;
    (tx as unknown as { writeCCCD(n: boolean, i: boolean, cb: () => void): void }).writeCCCD(true, false, () => (subscribed = true));
    s.until(() => subscribed, 'the NUS subscription');
    expect(s.t.board.consoleDeviceName).toBe('Bluetooth');
    write(s, rx, '1+2\n');
    s.until(() => text.includes('=3'), 'the answer over NUS');
    expect(text).toContain('=3');
    let gone = false;
    conn.on('disconnect', () => (gone = true));
    conn.disconnect();
    s.until(() => gone, 'the disconnect');
    s.t.board.run(10);
    expect(s.t.board.consoleDeviceName).toBe('Serial1');
  });

  // targets/nrf5x/bluetooth.c answers BLE_GATTS_EVT_EXCHANGE_MTU_REQUEST with NRF_BLE_MAX_MTU_SIZE =
  // NRF_SDH_BLE_GATT_MAX_MTU_SIZE, 23 in targetlibs/nrf5x_15/nrf52_config/sdk_config.h (a Puck.js's board file sets none)
  it('answers an MTU exchange with 23 as Espruino on a Puck.js does: 20-octet notifications and NUS writes', () => {
    const s = strapAndPhone(7, { build: STOCK_ESPRUINO });
    const conn = connect(s);
    expect(exchangeMtu(s, conn)).toBe(23); // the phone offered ble-host's 517
    const cs = discover(s, conn, NordicUart.SERVICE);
    const text = subscribe(s, find(cs, NordicUart.TX));
    const rx = find(cs, NordicUart.RX);
    // Nordic's BLE_NUS_MAX_DATA_LEN = NRF_SDH_BLE_GATT_MAX_MTU_SIZE − 3 (ble_nus.h) is RX's max_len: 20 fit, 21 are refused
    expect(write(s, rx, 'x'.repeat(20))).toBe(0);
    expect(write(s, rx, 'x'.repeat(21))).toBe(0x0d);
    for (const part of ['\x03', 'print("b".repeat(', '50))\n']) expect(write(s, rx, part)).toBe(0); // Ctrl-C clears the x's
    s.until(() => text.join('').includes('b'.repeat(50)), 'the long answer');
    expect(Math.max(...text.map((t) => t.length))).toBe(20); // bluetooth.c: MIN(m_peripheral_effective_mtu − 3, BLE_NUS_MAX_DATA_LEN)
  });

  it('a build with NRF_SDH_BLE_GATT_MAX_MTU_SIZE=131 answers 131: 128-octet notifications, NUS RX takes 128', () => {
    const s = strapAndPhone(8, { build: { ...STOCK_ESPRUINO, attMtu: 131 } });
    const conn = connect(s);
    expect(exchangeMtu(s, conn)).toBe(131);
    const cs = discover(s, conn, NordicUart.SERVICE);
    const text = subscribe(s, find(cs, NordicUart.TX));
    const rx = find(cs, NordicUart.RX);
    expect(write(s, rx, 'x'.repeat(129))).toBe(0x0d);
    expect(write(s, rx, 'print("c".repeat(300))\n')).toBe(0);
    s.until(() => text.join('').includes('c'.repeat(300)), 'the long answer');
    expect(Math.max(...text.map((t) => t.length))).toBe(128);
  });

  // targets/nrf5x/bluetooth.c nus_transmit_string(): ble_nus_data_send() fails with NRF_ERROR_INVALID_STATE while
  // notifications are off, and Espruino then clears nusTxBuf and the Bluetooth queue (jshTransmitClearDevice)
  it('drops console output made before the phone subscribes to NUS TX, as Espruino does', () => {
    const s = strapAndPhone(9);
    const conn = connect(s);
    const cs = discover(s, conn, NordicUart.SERVICE);
    expect(s.t.board.consoleDeviceName).toBe('Bluetooth');
    expect(write(s, find(cs, NordicUart.RX), 'print("early")\n')).toBe(0);
    s.t.board.run(100);
    const text = subscribe(s, find(cs, NordicUart.TX));
    expect(write(s, find(cs, NordicUart.RX), 'print("late")\n')).toBe(0);
    s.until(() => text.join('').includes('late'), 'the answer after subscribing');
    s.t.board.run(100);
    expect(text.join('')).not.toContain('early');
  });

  it('the same seed gives the same air trace and console bytes (connection, discovery, the NUS console)', () => {
    const run = () => {
      const s = strapAndPhone(6, {}, true);
      s.t.value('NRF.setSecurity({display: true, mitm: true, lesc: true})');
      const conn = connect(s);
      const cs = discover(s, conn, NordicUart.SERVICE);
      let text = '';
      (find(cs, NordicUart.TX) as unknown as { on(e: string, l: (v: Buffer) => void): void }).on('change', (v) => (text += v.toString('latin1')));
      let subscribed = false;
      (find(cs, NordicUart.TX) as unknown as { writeCCCD(n: boolean, i: boolean, cb: () => void): void }).writeCCCD(true, false, () => (subscribed = true));
      s.until(() => subscribed, 'the subscription');
      write(s, find(cs, NordicUart.RX), 'print(E.hwRand())\n');
      s.until(() => text.includes('>'), 'the answer');
      s.t.board.run(200);
      return { trace: s.air.trace.join('\n'), text };
    };
    const a = run();
    const b = run();
    expect(a.trace.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
  });
});
