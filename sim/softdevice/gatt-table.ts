/**
 * The firmware's service table (NRF.setServices, as the radio seam carries
 * it) as ble-host GATT server definitions, with the Nordic UART Service
 * when the UART is on. Values live here, as in the SoftDevice: reads answer
 * the stored value, writes store it and are reported to the board; each
 * read and write is first checked against the characteristic's requirement
 * with the model's own idea of the link's security (link-security.ts).
 */
import { GattDescriptor, NordicUart } from '../../protocols/ble/gatt/uuid';
import type { RadioCharacteristic, ServiceTable } from '../board/buses/radio-port';
import type { Connection } from '../radio/ble-host-api';
import type { ServerCharacteristic, ServerService } from './server-api';

/** ATT Invalid Attribute Value Length (Core v5.4 Vol 3 Part F 3.4.1.1). */
const ATT_INVALID_ATTRIBUTE_VALUE_LENGTH = 0x0d;

export interface GattHooks {
  /** 0 to allow, else the ATT error (the link's security against the requirement). */
  authorize(connection: Connection, requirement: RadioCharacteristic['read']): number;
  written(serviceUuid: string, characteristicUuid: string, data: Uint8Array): void;
  /** 0 to let this link use the Nordic UART Service, else the ATT error (see `uartRequirement` in softdevice.ts). */
  uartAuthorize(connection: Connection): number;
  uartReceived(data: Uint8Array): void;
  uartSubscribed(connection: Connection, on: boolean): void;
}

export interface BuiltTable {
  services: ServerService[];
  /** `${service}/${characteristic}` → the live definition (value, notify, indicate). */
  characteristics: Map<string, { spec: RadioCharacteristic; def: ServerCharacteristic }>;
  uartTx?: ServerCharacteristic;
}

/**
 * `uartMaxData`: Nordic's BLE_NUS_MAX_DATA_LEN, NRF_SDH_BLE_GATT_MAX_MTU_SIZE − 3 (ble_nus.h), the RX
 * characteristic's max_len in ble_nus.c; the SoftDevice answers a longer write with Invalid Attribute Value Length.
 */
export function buildGattTable(table: ServiceTable, hooks: GattHooks, uartMaxData: number): BuiltTable {
  const characteristics = new Map<string, { spec: RadioCharacteristic; def: ServerCharacteristic }>();
  const services: ServerService[] = table.services.map((service) => ({
    uuid: hostUuid(service.uuid),
    characteristics: service.characteristics.map((c) => {
      const spec: RadioCharacteristic = { ...c, value: c.value.slice() };
      const properties = [
        ...(c.broadcast ? ['broadcast'] : []),
        ...(c.readable ? ['read'] : []),
        ...(c.writable ? ['write', 'write-without-response'] : []),
        ...(c.notify ? ['notify'] : []),
        ...(c.indicate ? ['indicate'] : []),
      ];
      const def: ServerCharacteristic = {
        uuid: hostUuid(c.uuid),
        properties,
        maxLength: c.maxLen,
        ...(c.readable ? { readPerm: 'custom' as const, onAuthorizeRead: (conn: Connection, cb: (err: number) => void) => cb(hooks.authorize(conn, spec.read)) } : {}),
        ...(c.writable ? { writePerm: 'custom' as const, onAuthorizeWrite: (conn: Connection, cb: (err: number) => void) => cb(hooks.authorize(conn, spec.write)) } : {}),
        onRead: (_conn, cb) => cb(0, Buffer.from(spec.value)),
        onWrite: (_conn, _needsResponse, value, cb) => {
          if (value.length > spec.maxLen) return cb(ATT_INVALID_ATTRIBUTE_VALUE_LENGTH);
          spec.value = new Uint8Array(value);
          cb(0);
          hooks.written(service.uuid, c.uuid, new Uint8Array(value));
        },
        ...(c.description !== undefined ? { descriptors: [{ uuid: GattDescriptor.CHARACTERISTIC_USER_DESCRIPTION, value: c.description, readPerm: 'open', writePerm: 'not-permitted' }] } : {}),
      };
      characteristics.set(`${service.uuid}/${c.uuid}`, { spec, def });
      return def;
    }),
  }));
  let uartTx: ServerCharacteristic | undefined;
  if (table.uart) {
    uartTx = {
      uuid: NordicUart.TX.toUpperCase(),
      properties: ['notify'],
      maxLength: uartMaxData,
      // our own CCCD, so subscribing to TX is checked like an RX write (ble-host's automatic one is always open)
      descriptors: [{ uuid: GattDescriptor.CLIENT_CHARACTERISTIC_CONFIGURATION, value: Uint8Array.of(0, 0), maxLength: 2, readPerm: 'open', writePerm: 'custom', onAuthorizeWrite: (conn, cb) => cb(hooks.uartAuthorize(conn)) }],
      onSubscriptionChange: (conn, notification) => hooks.uartSubscribed(conn, notification),
    };
    services.push({
      uuid: NordicUart.SERVICE.toUpperCase(),
      characteristics: [
        {
          uuid: NordicUart.RX.toUpperCase(),
          properties: ['write', 'write-without-response'],
          maxLength: uartMaxData,
          writePerm: 'custom',
          onAuthorizeWrite: (conn, cb) => cb(hooks.uartAuthorize(conn)),
          onWrite: (_conn, _needsResponse, value, cb) => {
            if (value.length > uartMaxData) return cb(ATT_INVALID_ATTRIBUTE_VALUE_LENGTH);
            cb(0);
            hooks.uartReceived(new Uint8Array(value));
          },
        },
        uartTx,
      ],
    });
  }
  return { services, characteristics, ...(uartTx ? { uartTx } : {}) };
}

/** Canonical text (radio-port.ts) → what ble-host takes: a number for 16-bit UUIDs, the upper-case text otherwise. */
function hostUuid(uuid: string): string | number {
  return uuid.length === 4 ? parseInt(uuid, 16) : uuid.toUpperCase();
}
