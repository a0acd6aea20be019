/**
 * A virtual board with the SoftDevice model on one virtual air, and a phone:
 * a second ble-host copy as a central (sim/radio's createRadioDevice), for
 * the NRF API's over-the-air tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBoard } from '../../board/board-test-kit';
import type { TestBoard } from '../../board/board-test-kit';
import { Air } from '../../radio/air';
import type { BleManager, Connection, GattClientCharacteristic, ScanReport } from '../../radio/ble-host-api';
import { createRadioDevice } from '../../radio/radio-device';
import type { RadioDevice } from '../../radio/radio-device';
import { runUntil } from '../../radio/run-until';
import type { EspruinoBuild } from '../espruino-build';
import { SoftDevice } from '../softdevice';

export const STRAP_ADDRESS = 'C0:11:22:33:44:01';
export const PHONE_ADDRESS = 'C0:11:22:33:44:02';

export interface StrapAndPhone {
  t: TestBoard;
  air: Air;
  softDevice: SoftDevice;
  phone: RadioDevice;
  phoneManager: BleManager;
  until(condition: () => boolean, what: string, limitMs?: number): void;
}

export function strapAndPhone(seed = 1, softDeviceOptions: { build?: EspruinoBuild } = {}, trace = false): StrapAndPhone {
  // the busy-loop limit is wall time; NRF calls run the SoftDevice model inside it, slow on a loaded machine
  const t = startBoard({ busyLoopLimitMs: 5000 });
  const air = new Air({ clock: t.clock, seed, lossRate: 0, trace });
  const root = mkdtempSync(join(tmpdir(), 'softdevice-'));
  const softDevice = new SoftDevice({ air, board: t.board, name: 'strap', address: STRAP_ADDRESS, bondDir: join(root, 'strap'), ...softDeviceOptions });
  const phone = createRadioDevice({ air, name: 'phone', address: PHONE_ADDRESS, bondDir: join(root, 'phone') });
  const until = (condition: () => boolean, what: string, limitMs = 60_000): void => {
    if (!runUntil(t.clock, condition, limitMs)) throw new Error(`not within ${limitMs} ms of virtual time: ${what}`);
  };
  let phoneManager: BleManager | undefined;
  phone.startHost((err, m) => {
    if (err) throw err;
    phoneManager = m;
  });
  until(() => softDevice.ready && phoneManager !== undefined, 'both hosts initialised');
  return { t, air, softDevice, phone, phoneManager: phoneManager!, until };
}

/** Scans until the strap's scan response arrives (active scanning reports after it). */
/** What the helpers below use: any board with a SoftDevice and a phone (sim/scenario runs the firmware bundle with them). */
export type PhoneSide = Pick<StrapAndPhone, 'softDevice' | 'phoneManager' | 'until'>;

export function scanForStrap(s: PhoneSide): ScanReport {
  let found: ScanReport | undefined;
  const scanner = s.phoneManager.startScan({});
  scanner.on('report', (r: ScanReport) => {
    if (r.address === STRAP_ADDRESS) found ??= r;
  });
  s.until(() => found !== undefined, 'the phone heard the strap');
  scanner.stopScan();
  return found!;
}

export function connect(s: PhoneSide): Connection {
  const report = scanForStrap(s);
  let conn: Connection | undefined;
  s.phoneManager.connect(report.addressType, report.address, {}, (c) => (conn = c));
  s.until(() => conn !== undefined && s.softDevice.connected(), 'the phone connected');
  return conn!;
}

export function discover(s: PhoneSide, conn: Connection, serviceUuid: string): GattClientCharacteristic[] {
  let out: GattClientCharacteristic[] | undefined;
  const uuid = (serviceUuid.length === 4 ? parseInt(serviceUuid, 16) : serviceUuid) as string;
  conn.gatt.discoverServicesByUuid(uuid, 1, (services) => {
    const service = services[0];
    if (!service) out = [];
    else service.discoverCharacteristics((cs) => (out = cs));
  });
  s.until(() => out !== undefined, `discovery of ${serviceUuid}`);
  return out!;
}

export function read(s: PhoneSide, c: GattClientCharacteristic): { err: number; value: string } {
  let result: { err: number; value: string } | undefined;
  c.read((err, value) => (result = { err, value: value ? value.toString('latin1') : '' }));
  s.until(() => result !== undefined, 'a read');
  return result!;
}

export function write(s: PhoneSide, c: GattClientCharacteristic, value: string): number {
  let result: number | undefined;
  c.write(Buffer.from(value, 'latin1'), (err) => (result = err));
  s.until(() => result !== undefined, 'a write');
  return result!;
}

/** A discovered characteristic by UUID (16-bit ones as "abcd"). */
export function findCharacteristic(cs: GattClientCharacteristic[], uuid: string): GattClientCharacteristic {
  const full = uuid.length === 4 ? `0000${uuid}-0000-1000-8000-00805f9b34fb` : uuid;
  const c = cs.find((x) => x.uuid.toLowerCase() === full.toLowerCase());
  if (!c) throw new Error(`no characteristic ${uuid} among ${cs.map((x) => x.uuid).join(', ')}`);
  return c;
}
