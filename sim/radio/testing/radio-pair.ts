/**
 * Two ble-host devices on one virtual air, for the radio's tests: a
 * peripheral ("strap") that advertises one readable GATT service, a
 * central ("phone") that scans for it and connects.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../clock/virtual-clock';
import { Air } from '../air';
import type { AirOptions } from '../air';
import type { BleManager, Connection, GattCharacteristicDefinition } from '../ble-host-api';
import { createRadioDevice } from '../radio-device';
import type { RadioDevice } from '../radio-device';
import { runUntil } from '../run-until';

export const SERVICE_UUID = '22222222-3333-4444-5555-666666666666';
export const CHARACTERISTIC_UUID = '22222222-3333-4444-5555-666666666667';
export const STRAP_ADDRESS = 'C0:11:22:33:44:01';
export const PHONE_ADDRESS = 'C0:11:22:33:44:02';

export interface RadioPair {
  clock: VirtualClock;
  air: Air;
  strap: RadioDevice;
  phone: RadioDevice;
  strapManager: BleManager;
  phoneManager: BleManager;
  /** Runs virtual time until the condition holds; throws with `what` if `limitMs` passes first. */
  until(condition: () => boolean, what: string, limitMs?: number): void;
}

export function radioPair(options: Partial<Omit<AirOptions, 'clock'>> & { bondRoot?: string; strapAttMtu?: number } = {}): RadioPair {
  const clock = new VirtualClock();
  const air = new Air({ clock, seed: options.seed ?? 1, lossRate: options.lossRate, maxPayload: options.maxPayload, trace: true });
  const root = options.bondRoot ?? mkdtempSync(join(tmpdir(), 'radio-'));
  const strap = createRadioDevice({ air, name: 'strap', address: STRAP_ADDRESS, bondDir: join(root, 'strap'), attServerMtu: options.strapAttMtu });
  const phone = createRadioDevice({ air, name: 'phone', address: PHONE_ADDRESS, bondDir: join(root, 'phone') });
  const until = (condition: () => boolean, what: string, limitMs = 60_000): void => {
    if (!runUntil(clock, condition, limitMs)) throw new Error(`not within ${limitMs} ms of virtual time: ${what}`);
  };
  const strapManager = startHost(strap, until);
  const phoneManager = startHost(phone, until);
  return { clock, air, strap, phone, strapManager, phoneManager, until };
}

export function startHost(device: RadioDevice, until: RadioPair['until']): BleManager {
  let result: { err: Error | null; manager: BleManager } | undefined;
  device.startHost((err, manager) => (result = { err, manager }));
  until(() => result !== undefined, `${device.name}'s ble-host initialised`);
  if (result?.err) throw result.err;
  return result!.manager;
}

/** The strap's side: one service with a readable characteristic, advertising; resolves each connection. */
export function advertiseService(pair: RadioPair, characteristic: Partial<GattCharacteristicDefinition> = {}, manager = pair.strapManager): { connections: Connection[] } {
  const host = pair.strap.bleHost;
  // Fresh after a power cycle: the new copy has its own GATT database.
  const connections: Connection[] = [];
  manager.gattDb.setDeviceName('strap');
  manager.gattDb.addServices([{ uuid: SERVICE_UUID, characteristics: [{ uuid: CHARACTERISTIC_UUID, properties: ['read'], value: 'hello strap', ...characteristic }] }]);
  manager.setAdvertisingData(new host.AdvertisingDataBuilder().addFlags(['leGeneralDiscoverableMode', 'brEdrNotSupported']).addLocalName(true, 'strap').build());
  manager.setScanResponseData(new host.AdvertisingDataBuilder().add128BitServiceUUIDs(true, [SERVICE_UUID]).build());
  const start = (): void =>
    manager.startAdvertising({}, (status, conn) => {
      if (status !== 0) return;
      connections.push(conn);
      // As ble-host's README does: advertise again once the connection ends.
      conn.on('disconnect', start);
    });
  start();
  return { connections };
}

/** The phone's side: scan until the strap is heard, then connect to it. */
export function scanAndConnect(pair: RadioPair, manager = pair.phoneManager, connectOptions: Record<string, unknown> = {}): Connection {
  let found: { addressType: 'public' | 'random'; address: string } | undefined;
  const scanner = manager.startScan({});
  scanner.on('report', (report: { address: string; addressType: 'public' | 'random'; connectable: boolean }) => {
    if (report.address === STRAP_ADDRESS && report.connectable) found ??= report;
  });
  pair.until(() => found !== undefined, 'the phone heard the strap advertise');
  scanner.stopScan();
  let conn: Connection | undefined;
  manager.connect(found!.addressType, found!.address, connectOptions, (c) => (conn = c));
  pair.until(() => conn !== undefined, 'the phone connected to the strap');
  return conn!;
}

/**
 * Connects until the strap's side has the connection too: under packet loss the strap may miss
 * CONNECT_IND, and the phone's attempt then fails to be established (0x3E); a phone app tries again.
 */
export function connectDespiteLoss(pair: RadioPair, strap: { connections: Connection[] }, attempts = 5): { conn: Connection; strapConn: Connection } {
  for (let i = 0; i < attempts; i++) {
    const before = strap.connections.length;
    const conn = scanAndConnect(pair);
    let failed = false;
    conn.on('disconnect', () => (failed = true));
    pair.until(() => failed || strap.connections.length > before, 'the connection was established or failed');
    if (!failed) return { conn, strapConn: strap.connections.at(-1)! };
  }
  throw new Error(`no connection in ${attempts} attempts`);
}

/** Reads the test characteristic through discovery, as a phone app would. */
export function discoverAndRead(pair: RadioPair, conn: Connection): { err: number; value: string } {
  let result: { err: number; value: string } | undefined;
  conn.gatt.discoverServicesByUuid(SERVICE_UUID, 1, (services) => {
    const service = services[0];
    if (!service) {
      result = { err: -1, value: 'no service' };
      return;
    }
    service.discoverCharacteristics((characteristics) => {
      const c = characteristics.find((x) => x.uuid === CHARACTERISTIC_UUID);
      if (!c) {
        result = { err: -1, value: 'no characteristic' };
        return;
      }
      c.read((err, value) => (result = { err, value: value ? value.toString('utf8') : '' }));
    });
  });
  pair.until(() => result !== undefined, 'the GATT read completed');
  return result!;
}
