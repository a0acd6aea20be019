// NRF's BLE members against the radio seam with a recording radio: what the board sends the SoftDevice,
// Espruino's restart rule, the console switch on connect, onWrite, argument errors.
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';
import type { AdvertisingParams, BoardRadio, RadioEvent, ServiceTable } from '../buses/radio-port';

class RecordingRadio implements BoardRadio {
  readonly address = 'c0:11:22:33:44:01 public';
  link = false;
  tables: ServiceTable[] = [];
  adverts: AdvertisingParams[] = [];
  updates: string[] = [];
  connected(): boolean {
    return this.link;
  }
  applyServices(table: ServiceTable): void {
    this.tables.push(table);
  }
  updateValue(s: string, c: string, value: Uint8Array, send: string): boolean {
    this.updates.push(`${s}/${c}=${Buffer.from(value).toString('latin1')} ${send}`);
    return true;
  }
  setAdvertising(params: AdvertisingParams): void {
    this.adverts.push(params);
  }
  setSecurity(): void {}
  securityStatus() {
    return { advertising: !this.link, connected: this.link, encrypted: false, mitm_protected: false, bonded: false };
  }
  disconnect(): void {}
  setConnectionInterval(): void {}
  sleep(): void {}
  wake(): void {}
  eraseBonds(): void {}
}

function withRadio() {
  const t = startBoard();
  const radio = new RecordingRadio();
  const report: (e: RadioEvent) => void = t.board.radio.attach(radio);
  return { t, radio, report };
}

describe('NRF over the radio seam', () => {
  it('off the air (no radio attached yet), keeps what the firmware sets and hands it to the radio when it attaches; only the address and the bonds refuse', () => {
    const t = startBoard();
    t.value('NRF.setServices({0x180F: {0x2A19: {value: [80], readable: true}}}, {uart: false}); NRF.setAdvertising({}, {name: "Strap"}); NRF.setSecurity({mitm: 1, lesc: 1})');
    expect(t.value('NRF.getSecurityStatus().connected')).toBe(false);
    expect(() => t.value('NRF.setAdvertising({}, {name: "' + 'x'.repeat(40) + '"})')).toThrow('Got BLE error 0xc DATA_SIZE');
    expect(() => t.value('NRF.getAddress()')).toThrow('not modelled by the virtual board: NRF.getAddress (no radio attached to the board)');
    expect(() => t.value('NRF.nfcURL("http://a.b")')).not.toThrow();
    const radio = new RecordingRadio();
    t.board.radio.attach(radio);
    expect(radio.tables).toEqual([{ services: [{ uuid: '180f', characteristics: [expect.objectContaining({ uuid: '2a19', value: Uint8Array.of(80) })] }], uart: false }]);
    expect(Buffer.from(radio.adverts.at(-1)!.advertisingData).toString('latin1')).toContain('Strap');
  });

  it("once a radio has attached, its address (the chip's) answers while it is detached, as during a power cycle's restart", () => {
    const { t } = withRadio();
    t.board.radio.detach();
    expect(t.value('NRF.getAddress()')).toBe('c0:11:22:33:44:01 public');
    expect(() => t.value('NRF.eraseBonds()')).toThrow('no radio attached to the board');
  });

  it('configures an attached radio at once: NUS on, Puck.js name, flags, the NUS UUID in the scan response', () => {
    const { radio } = withRadio();
    expect(radio.tables).toEqual([{ services: [], uart: true }]);
    const adv = Buffer.from(radio.adverts.at(-1)!.advertisingData);
    expect([...adv.subarray(0, 3)]).toEqual([2, 0x01, 0x06]);
    expect(adv.subarray(5).toString('latin1')).toBe('Puck.js 4401');
    expect(radio.adverts.at(-1)!.scanResponse).toHaveLength(18);
    expect(radio.adverts.at(-1)).toMatchObject({ intervalMs: 375, connectable: true, scannable: true });
  });

  it('advertises LE Limited Discoverable for discoverable: false, never without the flag (jswrap_ble_getAdvertisingData); keeps the name and interval given before', () => {
    const { t, radio } = withRadio();
    t.value('NRF.setAdvertising({}, {name: "Strap 4401", interval: 100, discoverable: false})');
    expect([...radio.adverts.at(-1)!.advertisingData.subarray(0, 3)]).toEqual([2, 0x01, 0x05]);
    t.value('NRF.setAdvertising({}, {discoverable: true})');
    expect([...radio.adverts.at(-1)!.advertisingData.subarray(0, 3)]).toEqual([2, 0x01, 0x06]);
    expect(Buffer.from(radio.adverts.at(-1)!.advertisingData.subarray(5)).toString('latin1')).toBe('Strap 4401');
    expect(radio.adverts.at(-1)).toMatchObject({ intervalMs: 100, connectable: true });
  });

  it('reads UUIDs as Espruino: decimal keys are numbers (0x180F written as a number), 4 hex digits, 128-bit; errors named', () => {
    const { t, radio } = withRadio();
    t.value('NRF.setServices({0x180F: {0x2A19: {value: [95], readable: true}}, "ABCD": {"b7920002-3c1b-4b40-869f-3c0db9be80c6": {}}})');
    const table = radio.tables.at(-1)!;
    expect(table.services.map((s) => [s.uuid, s.characteristics.map((c) => c.uuid)])).toEqual([['180f', ['2a19']], ['abcd', ['b7920002-3c1b-4b40-869f-3c0db9be80c6']]]);
    expect(table.services[0]!.characteristics[0]).toMatchObject({ value: Uint8Array.of(95), maxLen: 1, readable: true, writable: false });
    expect(() => t.value('NRF.setServices({"XYZ": {}})')).toThrow(/^Invalid Service UUID/);
    expect(() => t.value('NRF.setServices({0xBCDE: {"70000": {}}})')).toThrow(/^Invalid Characteristic UUID: UUID integer must be 16 bits/);
    expect(() => t.value('NRF.setServices(5)')).toThrow('Expecting Object or undefined, got Number');
  });

  it('queues a changed table while connected, applies it on disconnect; updateServices refuses meanwhile', () => {
    const { t, radio, report } = withRadio();
    t.value('NRF.setServices({0xBCDE: {0xABCD: {value: "a", maxLen: 4, notify: true}}})');
    radio.link = true;
    report({ kind: 'connect', address: 'c0:11:22:33:44:02 public' });
    t.value('NRF.updateServices({0xBCDE: {0xABCD: {value: "b", notify: true}}})');
    expect(radio.updates).toEqual(['bcde/abcd=b notify']);
    expect(() => t.value('NRF.updateServices({0xBCDE: {0xABCD: {value: "toolong"}}})')).toThrow('Got BLE error 0x7 INVALID_PARAM');
    const before = radio.tables.length;
    t.value('NRF.setServices({0xBCDE: {0xABCD: {value: "c"}}})');
    expect(radio.tables).toHaveLength(before);
    expect(() => t.value('NRF.updateServices({0xBCDE: {0xABCD: {value: "d"}}})')).toThrow("Can't update services until BLE restart");
    radio.link = false;
    report({ kind: 'disconnect', reason: 0x13 });
    expect(radio.tables).toHaveLength(before + 1);
    expect(Buffer.from(radio.tables.at(-1)!.services[0]!.characteristics[0]!.value).toString()).toBe('c');
  });

  it('moves the console to Bluetooth on connect and back on disconnect, not with uart:false or a forced console', () => {
    const { t, radio, report } = withRadio();
    radio.link = true;
    report({ kind: 'connect', address: 'x' });
    expect(t.board.consoleDeviceName).toBe('Bluetooth');
    report({ kind: 'disconnect', reason: 0x13 });
    expect(t.board.consoleDeviceName).toBe('Serial1');
    radio.link = false;
    t.value('NRF.setServices({}, {uart: false})');
    report({ kind: 'connect', address: 'x' });
    expect(t.board.consoleDeviceName).toBe('Serial1');
    report({ kind: 'disconnect', reason: 0x13 });
    t.value('NRF.setServices({}, {uart: true}); E.setConsole("Serial1", {force: true})');
    report({ kind: 'connect', address: 'x' });
    expect(t.board.consoleDeviceName).toBe('Serial1');
  });

  it('calls onWrite with evt.data as an ArrayBuffer, and emits connect/disconnect/passkey/bond/security', () => {
    const { t, report } = withRadio();
    t.value(`var got = []; NRF.setServices({0xBCDE: {0xABCD: {writable: true, onWrite: function (e) { got.push(e.data instanceof ArrayBuffer, E.toString(e.data)); }}}});
      ['connect', 'disconnect', 'passkey', 'bond', 'security'].forEach(function (n) { NRF.on(n, function (v) { got.push(n + ':' + JSON.stringify(v)); }); });`);
    report({ kind: 'connect', address: 'c0:11:22:33:44:02 public' });
    report({ kind: 'write', serviceUuid: 'bcde', characteristicUuid: 'abcd', data: Uint8Array.of(0x68, 0x69) });
    report({ kind: 'passkey', passkey: '123456' });
    report({ kind: 'bond', status: 'success' });
    report({ kind: 'security', status: { auth_status: 0, bonded: true, lv4: 1, kdist_own: 3, kdist_peer: 3 } });
    report({ kind: 'disconnect', reason: 19 });
    t.board.run(10);
    expect(t.value('got')).toEqual(['connect:"c0:11:22:33:44:02 public"', true, 'hi', 'passkey:"123456"', 'bond:"success"',
      'security:{"auth_status":0,"bonded":true,"lv4":1,"kdist_own":3,"kdist_peer":3}', 'disconnect:19']);
  });
});
