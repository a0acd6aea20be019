/**
 * The phone's GATT client calls on one connection: read, write and subscribe
 * by service and characteristic UUID (16-bit ones as "180f"), discovery
 * cached per connection. `GattAccess` is what the wallet client will be
 * written against, so it can be pointed at the wallet service's UUIDs later.
 */
import type { Connection, GattClientCharacteristic, GattClientService } from '../radio/ble-host-api';
import type { PhoneDriver } from './phone-driver';
import type { PhoneLog } from './phone-log';

export interface GattAccess {
  read(serviceUuid: string, charUuid: string): Promise<Uint8Array>;
  write(serviceUuid: string, charUuid: string, value: Uint8Array): Promise<void>;
  /** Enables notifications (CCCD) and calls `listener` with each value. */
  subscribe(serviceUuid: string, charUuid: string, listener: (value: Uint8Array) => void): Promise<void>;
}

const ATT_LIMIT_MS = 35_000;
/** ATT Insufficient Authentication (Core v5.4 Vol 3 Part F 3.4.1.1). */
const ATT_INSUFFICIENT_AUTHENTICATION = 0x05;

/** Device Information characteristics (Bluetooth Assigned Numbers, 3.8 GATT Characteristic UUIDs). */
const DEVICE_INFO: Record<string, string> = {
  '2a29': 'manufacturer',
  '2a24': 'model',
  '2a25': 'serial',
  '2a27': 'hardware',
  '2a26': 'firmware',
  '2a28': 'software',
};

/** "180f" → the Bluetooth Base UUID form (Core v5.4 Vol 3 Part B 2.5.1); 128-bit ones lower-cased. */
export function fullUuid(uuid: string): string {
  return (uuid.length === 4 ? `0000${uuid}-0000-1000-8000-00805f9b34fb` : uuid).toLowerCase();
}

export class PhoneGatt implements GattAccess {
  private readonly services = new Map<string, GattClientCharacteristic[]>();

  constructor(
    private readonly conn: Connection,
    private readonly driver: PhoneDriver,
    private readonly log: PhoneLog,
  ) {}

  async read(serviceUuid: string, charUuid: string): Promise<Uint8Array> {
    const c = await this.characteristic(serviceUuid, charUuid);
    const { err, value } = await this.driver
      .wait<{ err: number; value: Buffer | undefined }>(`read ${charUuid}`, ATT_LIMIT_MS, (done) => c.read((err, value) => done({ err, value })))
      .catch((e: unknown) => {
        throw this.log.fail('read', (e as Error).message);
      });
    if (err !== 0) throw this.log.fail('read', `${charUuid}: ${this.explain(err)}`, err);
    return Uint8Array.from(value ?? []);
  }

  async write(serviceUuid: string, charUuid: string, value: Uint8Array): Promise<void> {
    const c = await this.characteristic(serviceUuid, charUuid);
    const err = await this.driver.wait<number>(`write ${charUuid}`, ATT_LIMIT_MS, (done) => c.write(Buffer.from(value), done)).catch((e: unknown) => {
      throw this.log.fail('write', (e as Error).message);
    });
    if (err !== 0) throw this.log.fail('write', `${charUuid}: ${this.explain(err)}`, err);
    this.log.ok('write', `${charUuid}: ${value.length} octets`);
  }

  async subscribe(serviceUuid: string, charUuid: string, listener: (value: Uint8Array) => void): Promise<void> {
    const c = await this.characteristic(serviceUuid, charUuid);
    c.on('change', (value, isIndication, confirm) => {
      if (isIndication) confirm();
      listener(Uint8Array.from(value));
    });
    const indicate = !c.properties.notify && !!c.properties.indicate;
    const err = await this.driver.wait<number>(`subscribe ${charUuid}`, ATT_LIMIT_MS, (done) => c.writeCCCD(!indicate, indicate, done)).catch((e: unknown) => {
      throw this.log.fail('subscribe', (e as Error).message);
    });
    if (err !== 0) throw this.log.fail('subscribe', `${charUuid}: ${this.explain(err)}`, err);
    this.log.ok('subscribe', `${charUuid}: ${indicate ? 'indications' : 'notifications'} on`);
  }

  async readDeviceInfo(): Promise<Record<string, string>> {
    const cs = await this.discover('180a');
    const info: Record<string, string> = {};
    for (const c of cs) {
      const short = /^0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb$/.exec(c.uuid.toLowerCase())?.[1];
      if (!short || !c.properties.read) continue;
      const value = await this.read('180a', short);
      info[DEVICE_INFO[short] ?? short] = Buffer.from(value).toString('utf8');
    }
    this.log.ok('read', `device information: ${Object.entries(info).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ') || 'empty'}`);
    return info;
  }

  /** An ATT error for a person; Insufficient Authentication on a link encrypted with our stored keys means the strap lost the bond. */
  private explain(err: number): string {
    const text = attErrorText(err);
    if (err === ATT_INSUFFICIENT_AUTHENTICATION && this.conn.smp.hasLtk && !this.conn.smp.isEncrypted) return `${text}: the strap no longer knows this phone's bond (forgotten): tap and pair again`;
    return text;
  }

  private async characteristic(serviceUuid: string, charUuid: string): Promise<GattClientCharacteristic> {
    const cs = await this.discover(serviceUuid);
    const c = cs.find((x) => x.uuid.toLowerCase() === fullUuid(charUuid));
    if (!c) throw this.log.fail('discover', `no characteristic ${charUuid} in service ${serviceUuid}`);
    return c;
  }

  private async discover(serviceUuid: string): Promise<GattClientCharacteristic[]> {
    const known = this.services.get(fullUuid(serviceUuid));
    if (known) return known;
    const uuid = (serviceUuid.length === 4 ? parseInt(serviceUuid, 16) : serviceUuid) as string;
    const services = await this.driver
      .wait<GattClientService[]>(`discovery of ${serviceUuid}`, ATT_LIMIT_MS, (done) => this.conn.gatt.discoverServicesByUuid(uuid, 1, done))
      .catch((e: unknown) => {
        throw this.log.fail('discover', (e as Error).message);
      });
    const service = services[0];
    if (!service) throw this.log.fail('discover', `the strap has no service ${serviceUuid}`);
    const cs = await this.driver.wait<GattClientCharacteristic[]>(`characteristics of ${serviceUuid}`, ATT_LIMIT_MS, (done) => service.discoverCharacteristics(done)).catch((e: unknown) => {
      throw this.log.fail('discover', (e as Error).message);
    });
    this.services.set(fullUuid(serviceUuid), cs);
    return cs;
  }
}

/** ATT error codes (Core v5.4 Vol 3 Part F 3.4.1.1) a phone meets. */
export function attErrorText(code: number): string {
  const names: Record<number, string> = {
    0x02: 'read not permitted',
    0x03: 'write not permitted',
    0x05: 'insufficient authentication (not paired with MITM)',
    0x08: 'insufficient authorization',
    0x0a: 'attribute not found',
    0x0c: 'insufficient encryption key size',
    0x0d: 'invalid attribute value length',
    0x0f: 'insufficient encryption (bonded but not encrypted)',
  };
  return `${names[code] ?? 'ATT error'} (0x${code.toString(16).padStart(2, '0')})`;
}
