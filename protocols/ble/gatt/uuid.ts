/**
 * UUIDs as ATT carries them (Core v5.4 Vol 3 Part B 2.5.1, Vol 3 Part F
 * 3.2.1): 16-bit UUIDs stand for `0000xxxx-0000-1000-8000-00805F9B34FB`
 * (the Bluetooth Base UUID) and travel as 2 octets; any other UUID travels
 * as its 16 octets. On the wire both are LSB first: the text form's last
 * octet comes first.
 *
 * The numbers of the strap's services come from the Bluetooth SIG's
 * Assigned Numbers (GATT services, declarations, descriptors,
 * characteristics); the Nordic UART Service is Nordic's own 128-bit UUID,
 * the service Espruino's BLE console uses.
 */
import { fromHex, toHex } from '../bytes';

/** 0000xxxx-0000-1000-8000-00805F9B34FB with xxxx = 0000 (Vol 3 Part B 2.5.1). */
export const BLUETOOTH_BASE_UUID = '00000000-0000-1000-8000-00805f9b34fb';

/** GATT services (Assigned Numbers). */
export const GattService = {
  GENERIC_ACCESS: 0x1800,
  GENERIC_ATTRIBUTE: 0x1801,
  DEVICE_INFORMATION: 0x180a,
  BATTERY: 0x180f,
} as const;

/** Attribute types of GATT's declarations (Vol 3 Part G 3.1–3.3). */
export const GattDeclaration = {
  PRIMARY_SERVICE: 0x2800,
  SECONDARY_SERVICE: 0x2801,
  INCLUDE: 0x2802,
  CHARACTERISTIC: 0x2803,
} as const;

/** Characteristic descriptors (Vol 3 Part G 3.3.3). */
export const GattDescriptor = {
  CHARACTERISTIC_EXTENDED_PROPERTIES: 0x2900,
  CHARACTERISTIC_USER_DESCRIPTION: 0x2901,
  CLIENT_CHARACTERISTIC_CONFIGURATION: 0x2902,
  SERVER_CHARACTERISTIC_CONFIGURATION: 0x2903,
  CHARACTERISTIC_PRESENTATION_FORMAT: 0x2904,
} as const;

/** Characteristics of GAP (Vol 3 Part C 12), GATT (Vol 3 Part G 7), Battery and Device Information services. */
export const GattCharacteristic = {
  DEVICE_NAME: 0x2a00,
  APPEARANCE: 0x2a01,
  PERIPHERAL_PREFERRED_CONNECTION_PARAMETERS: 0x2a04,
  SERVICE_CHANGED: 0x2a05,
  BATTERY_LEVEL: 0x2a19,
  SYSTEM_ID: 0x2a23,
  MODEL_NUMBER_STRING: 0x2a24,
  SERIAL_NUMBER_STRING: 0x2a25,
  FIRMWARE_REVISION_STRING: 0x2a26,
  HARDWARE_REVISION_STRING: 0x2a27,
  SOFTWARE_REVISION_STRING: 0x2a28,
  MANUFACTURER_NAME_STRING: 0x2a29,
  PNP_ID: 0x2a50,
  CENTRAL_ADDRESS_RESOLUTION: 0x2aa6,
  CLIENT_SUPPORTED_FEATURES: 0x2b29,
  DATABASE_HASH: 0x2b2a,
  SERVER_SUPPORTED_FEATURES: 0x2b3a,
} as const;

/**
 * Nordic UART Service. RX: the peer writes to it (Write, Write Without
 * Response); TX: the device notifies on it.
 */
export const NordicUart = {
  SERVICE: '6e400001-b5a3-f393-e0a9-e50e24dcca9e',
  RX: '6e400002-b5a3-f393-e0a9-e50e24dcca9e',
  TX: '6e400003-b5a3-f393-e0a9-e50e24dcca9e',
} as const;

/** Characteristic Properties bits of a characteristic declaration (Vol 3 Part G 3.3.1.1). */
export const CharacteristicProperty = {
  BROADCAST: 0x01,
  READ: 0x02,
  WRITE_WITHOUT_RESPONSE: 0x04,
  WRITE: 0x08,
  NOTIFY: 0x10,
  INDICATE: 0x20,
  AUTHENTICATED_SIGNED_WRITES: 0x40,
  EXTENDED_PROPERTIES: 0x80,
} as const;

/** Client Characteristic Configuration bits (Vol 3 Part G 3.3.3.3). */
export const ClientCharacteristicConfiguration = {
  NOTIFICATION: 0x0001,
  INDICATION: 0x0002,
} as const;

/** A 16-bit UUID's 2 octets, LSB first. Throws RangeError outside 0–0xFFFF. */
export function uuid16(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`0x${value.toString(16)} is not a 16-bit UUID`);
  return Uint8Array.of(value & 0xff, value >> 8);
}

/**
 * Text → the octets ATT carries: `180f`, `0x180F` or a base-derived
 * `0000180f-0000-1000-8000-00805f9b34fb` → 2 octets; any other 128-bit UUID →
 * 16 octets. Throws RangeError on anything else.
 */
export function uuidFromString(text: string): Uint8Array {
  const hex = text.toLowerCase().replace(/^0x/, '');
  if (/^[0-9a-f]{4}$/.test(hex)) return uuid16(parseInt(hex, 16));
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(hex)) throw new RangeError(`not a UUID: ${text}`);
  if (hex.startsWith('0000') && hex.slice(8) === BLUETOOTH_BASE_UUID.slice(8)) return uuid16(parseInt(hex.slice(4, 8), 16));
  return fromHex(hex).reverse();
}

/** ATT octets (2 or 16, LSB first) → `180f` or the 128-bit text form, lower case. Throws RangeError on other lengths. */
export function uuidToString(uuid: Uint8Array): string {
  if (uuid.length === 2) return toHex(uuid.slice().reverse());
  if (uuid.length !== 16) throw new RangeError(`a UUID is 2 or 16 octets, not ${uuid.length}`);
  return toHex(uuid.slice().reverse()).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

/** The 16 octets (LSB first) of any UUID, expanding a 16-bit one over the Base UUID. */
export function uuidTo128(uuid: Uint8Array): Uint8Array {
  if (uuid.length === 16) return uuid.slice();
  if (uuid.length !== 2) throw new RangeError(`a UUID is 2 or 16 octets, not ${uuid.length}`);
  const full = fromHex(BLUETOOTH_BASE_UUID.replace(/-/g, '')).reverse();
  full[12] = uuid[0] ?? 0;
  full[13] = uuid[1] ?? 0;
  return full;
}

/** Whether two UUIDs are the same, whatever their sizes on the wire (Vol 3 Part B 2.5.1). */
export function uuidEquals(a: Uint8Array, b: Uint8Array): boolean {
  const x = uuidTo128(a);
  const y = uuidTo128(b);
  return x.every((v, i) => v === y[i]);
}
