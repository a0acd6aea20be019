// The board's NRF API over the virtual air: a phone (ble-host as central) scans, connects, discovers the
// service table the board's code set, reads, subscribes, writes; the console over the Nordic UART Service.
import { describe, expect, it } from 'vitest';
import { AdType, decodeAdStructures } from '../../protocols/ble/gap/advertising-data';
import { NordicUart } from '../../protocols/ble/gatt/uuid';
import { connect, discover, findCharacteristic as find, read, scanForStrap, strapAndPhone, write } from './testing/strap-and-phone';

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
