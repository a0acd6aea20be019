/**
 * NRF's arguments read the way Espruino 2v29 reads them
 * (libs/bluetooth/jswrap_bluetooth.c, bluetooth_utils.c): UUIDs, the service
 * table of NRF.setServices, the advertising data of NRF.setAdvertising, the
 * options of NRF.setSecurity. Each returns plain data for the radio seam
 * (../buses/radio-port.ts) or an error message Espruino would throw.
 *
 * UUIDs (bleVarToUUID): an integer 0–0xFFFF is a 16-bit UUID; a string of 4
 * hex digits too ("180D"), or "0x" and 4 hex digits ("0x180D"); any other
 * string is 16 octets of hex digits, one dash allowed before each octet
 * ("5a7e0001-3c4f-…", "5a7e00013c4f…"). An object key that is all decimal
 * digits is an integer key on Espruino (as `0x180F` written in code becomes
 * 6159): it is read as a number, so `{"1800": …}` means 0x0708 there as here.
 */
import { toBytes } from '../runtime/bytes';
import type { AdvertisingParams, LinkRequirement, RadioCharacteristic, RadioService, SecuritySettings } from '../buses/radio-port';

export type Parsed<T> = { ok: true; value: T } | { ok: false; kind: 'Error' | 'TypeError'; message: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string, kind: 'Error' | 'TypeError' = 'Error'): Parsed<T> => ({ ok: false, kind, message });

/** A UUID (value or object key) → canonical text, or the reason it is not one. */
export function readUuid(value: unknown, isKey = false): Parsed<string> {
  if (isKey && typeof value === 'string' && /^\d+$/.test(value)) value = Number(value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) return fail('UUID integer must be 16 bits');
    return ok(value.toString(16).padStart(4, '0'));
  }
  if (typeof value !== 'string') return fail("UUID must be integer or string");
  const text = value.toLowerCase();
  // libs/bluetooth/bluetooth_utils.c bleVarToUUID: "0x" then 2 octets, 4 characters 2 octets, else 16
  // octets, each pair of hex digits read after skipping one dash; a character left over is too long.
  const short = value.startsWith('0x') ? text.slice(2) : text.length === 4 ? text : undefined;
  if (short !== undefined) return /^[0-9a-f]{4}$/.test(short) ? ok(short) : fail("UUID string should be of the form 'ABCD' or 'ABCDABCD-ABCD-ABCD-ABCD-ABCDABCDABCD'");
  const hex = /^(?:-?[0-9a-f]{2}){16}$/.test(text) ? text.replace(/-/g, '') : '';
  if (!hex) return fail("UUID string should be of the form 'ABCD' or 'ABCDABCD-ABCD-ABCD-ABCD-ABCDABCDABCD'");
  return ok(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
}

export interface ParsedCharacteristic extends RadioCharacteristic {
  onWrite?: unknown;
}

export interface ParsedService extends RadioService {
  characteristics: ParsedCharacteristic[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';

/**
 * A characteristic's `security.read` or `.write` as the SoftDevice gets it (targets/nrf5x/bluetooth.c
 * set_security_mode): `signed` first (with or without `mitm`), else `lesc`, which is LESC with MITM
 * whatever `encrypted` and `mitm` say, else `encrypted` (with or without `mitm`), else open: `mitm` alone
 * asks nothing.
 */
function requirement(v: unknown): LinkRequirement {
  const o = isObject(v) ? v : {};
  if (o.signed) return { encrypted: false, mitm: !!o.mitm, lesc: false, signed: true };
  if (o.lesc) return { encrypted: true, mitm: true, lesc: true, signed: false };
  return { encrypted: !!o.encrypted, mitm: !!o.encrypted && !!o.mitm, lesc: false, signed: false };
}

/** NRF.setServices's first argument (an object of services of characteristics, or undefined). */
export function readServices(data: unknown): Parsed<ParsedService[]> {
  if (data === undefined) return ok([]);
  if (!isObject(data) || Array.isArray(data)) return fail(`Expecting Object or undefined, got ${typeName(data)}`, 'TypeError');
  const services: ParsedService[] = [];
  for (const serviceKey of Object.keys(data)) {
    const su = readUuid(serviceKey, true);
    if (!su.ok) return fail(`Invalid Service UUID: ${su.message}`);
    const service = data[serviceKey];
    const characteristics: ParsedCharacteristic[] = [];
    for (const charKey of isObject(service) ? Object.keys(service) : []) {
      const cu = readUuid(charKey, true);
      if (!cu.ok) return fail(`Invalid Characteristic UUID: ${cu.message}`);
      const c = (service as Record<string, unknown>)[charKey];
      const o = isObject(c) ? c : {};
      const value = o.value === undefined ? new Uint8Array(0) : toBytes(o.value);
      const maxLen = o.maxLen === undefined ? Math.max(1, value.length) : Math.trunc(Number(o.maxLen));
      if (!(maxLen >= 1 && maxLen <= 512)) return fail('maxLen must be between 1 and 512');
      if (value.length > maxLen) return fail('Characteristic value is longer than maxLen');
      const security = isObject(o.security) ? o.security : {};
      characteristics.push({
        uuid: cu.value,
        value,
        maxLen,
        broadcast: !!o.broadcast,
        readable: !!o.readable,
        writable: !!o.writable,
        notify: !!o.notify,
        indicate: !!o.indicate,
        ...(typeof o.description === 'string' ? { description: o.description } : {}),
        read: requirement(security.read),
        write: requirement(security.write),
        ...(typeof o.onWrite === 'function' ? { onWrite: o.onWrite } : {}),
      });
    }
    services.push({ uuid: su.value, characteristics });
  }
  return ok(services);
}

export interface AdvertisingRequest {
  /** Raw advertising bytes, when the firmware gave an array of numbers. */
  raw?: Uint8Array;
  serviceData: { uuid: string; data: Uint8Array }[];
  options: {
    name?: string;
    showName: boolean;
    discoverable: boolean;
    connectable: boolean;
    scannable: boolean;
    intervalMs: number;
    manufacturer?: number;
    manufacturerData?: Uint8Array;
  };
}

/** Espruino's default advertising interval (BLE_DEFAULT_ADVERTISING_INTERVAL, 375 ms). */
export const DEFAULT_ADVERTISING_INTERVAL_MS = 375;

/**
 * NRF.setAdvertising(data, options), after `previous` (libs/bluetooth/jswrap_bluetooth.c
 * jswrap_ble_setAdvertising): `interval`, `connectable`, `scannable` and `name` set the radio's state
 * (bleAdvertisingInterval, bleStatus, the SoftDevice's device name) and stay until given again;
 * `showName` and `discoverable` are read for this advertising data alone, from Espruino's defaults
 * (targets/nrf5x/bluetooth.c jsble_setup_advdata: the full name, LE General Discoverable); `discoverable:
 * false` gives LE Limited Discoverable (jswrap_ble_getAdvertisingData), not an advert without the flag.
 * Several packets (an array of arrays/objects) are not modelled: the caller throws.
 */
export function readAdvertising(data: unknown, options: unknown, previous?: AdvertisingRequest['options']): Parsed<AdvertisingRequest> | 'several-packets' {
  const request: AdvertisingRequest = {
    serviceData: [],
    options: {
      showName: true,
      discoverable: true,
      connectable: previous ? previous.connectable : true,
      scannable: previous ? previous.scannable : true,
      intervalMs: previous ? previous.intervalMs : DEFAULT_ADVERTISING_INTERVAL_MS,
      ...(previous?.name !== undefined ? { name: previous.name } : {}),
    },
  };
  if (Array.isArray(data) || ArrayBuffer.isView(data)) {
    const items = data as ArrayLike<unknown>;
    if (Array.isArray(data) && data.some((d) => isObject(d))) return 'several-packets';
    request.raw = toBytes(items);
  } else if (isObject(data)) {
    for (const key of Object.keys(data)) {
      const u = readUuid(key, true);
      if (!u.ok) return fail(`Invalid UUID: ${u.message}`);
      const v = data[key];
      if (v === undefined) continue;
      request.serviceData.push({ uuid: u.value, data: toBytes(v) });
    }
  } else if (data !== undefined) {
    return fail(`Expecting object, array or undefined, got ${typeName(data)}`, 'TypeError');
  }
  if (options !== undefined) {
    if (!isObject(options)) return fail(`Expecting Object or undefined, got ${typeName(options)}`, 'TypeError');
    const o = request.options;
    if (options.name !== undefined) o.name = String(options.name);
    if (options.showName !== undefined) o.showName = !!options.showName;
    if (options.discoverable !== undefined) o.discoverable = !!options.discoverable;
    if (options.connectable !== undefined) o.connectable = !!options.connectable;
    if (options.scannable !== undefined) o.scannable = !!options.scannable;
    if (options.interval !== undefined) {
      const ms = Number(options.interval);
      // BLE_GAP_ADV_INTERVAL_MIN/MAX: 0x20–0x4000 units of 0.625 ms (Core Vol 6 Part B 4.4.2.2)
      if (!(ms >= 20 && ms <= 10240)) return fail('Invalid advertising interval');
      o.intervalMs = ms;
    }
    if (options.manufacturer !== undefined) o.manufacturer = Number(options.manufacturer) & 0xffff;
    if (options.manufacturerData !== undefined) o.manufacturerData = toBytes(options.manufacturerData);
  }
  return ok(request);
}

/** NRF.setSecurity(options) (jswrap_ble_setSecurity): `bond` defaults to true, the others to false; `encryptUart` kept only when given. */
export function readSecurity(options: unknown): Parsed<SecuritySettings> {
  const o = isObject(options) ? options : {};
  const settings: SecuritySettings = { display: !!o.display, keyboard: !!o.keyboard, bond: o.bond === undefined ? true : !!o.bond, mitm: !!o.mitm, lesc: !!o.lesc };
  if (o.passkey !== undefined && o.passkey !== null) {
    const passkey = String(o.passkey);
    if (!/^\d{6}$/.test(passkey)) return fail('Passkey must be 6 digits');
    settings.passkey = passkey;
  }
  if (o.oob !== undefined) {
    const key = toBytes(o.oob);
    if (key.length !== 16) return fail('oob must be a 16 byte array');
    settings.oob = key;
  }
  if (o.encryptUart !== undefined) settings.encryptUart = !!o.encryptUart;
  return ok(settings);
}

export type AdvertisingForRadio = Omit<AdvertisingParams, 'scanResponse'>;

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (typeof v === 'function') return 'Function';
  if (typeof v === 'object') return 'Object';
  return typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Number' : typeof v === 'boolean' ? 'Boolean' : 'undefined';
}
