/**
 * Advertising and scan response data: a sequence of AD structures, each
 * length (1 octet, counting type + data), AD type (1 octet), data (Core v5.4
 * Vol 3 Part C 11, "Advertising and Scan Response Data Format"). The AD types
 * are the Bluetooth SIG's Assigned Numbers ("Common Data Types"); their data
 * formats are in the Core Specification Supplement Part A. Legacy advertising
 * carries at most 31 octets (Vol 6 Part B 2.3.1.1, AdvData 0–31).
 */
import { uuidFromString } from '../gatt/uuid';

export const AdType = {
  FLAGS: 0x01,
  INCOMPLETE_16BIT_UUIDS: 0x02,
  COMPLETE_16BIT_UUIDS: 0x03,
  INCOMPLETE_128BIT_UUIDS: 0x06,
  COMPLETE_128BIT_UUIDS: 0x07,
  SHORTENED_LOCAL_NAME: 0x08,
  COMPLETE_LOCAL_NAME: 0x09,
  TX_POWER_LEVEL: 0x0a,
  SERVICE_DATA_16BIT: 0x16,
  SERVICE_DATA_128BIT: 0x21,
  /** 6 octets LSB first + address type (0 public, 1 random): Supplement Part A 1.16; used in OOB data. */
  LE_BLUETOOTH_DEVICE_ADDRESS: 0x1b,
  /** 1 octet (0x00 peripheral only … 0x03 both, central preferred): Supplement Part A 1.17. */
  LE_ROLE: 0x1c,
  MANUFACTURER_SPECIFIC: 0xff,
} as const;

/** Flags bits (Supplement Part A 1.3). */
export const AdFlags = {
  LE_LIMITED_DISCOVERABLE: 0x01,
  LE_GENERAL_DISCOVERABLE: 0x02,
  BR_EDR_NOT_SUPPORTED: 0x04,
} as const;

export const LEGACY_ADV_DATA_MAX = 31;

export interface AdStructure {
  type: number;
  data: Uint8Array;
}

/** AD structures → bytes (no length check: the caller knows its limit). */
export function encodeAdStructures(structures: readonly AdStructure[]): Uint8Array {
  const total = structures.reduce((n, s) => n + 2 + s.data.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const s of structures) {
    out[at++] = s.data.length + 1;
    out[at++] = s.type;
    out.set(s.data, at);
    at += s.data.length;
  }
  return out;
}

/**
 * Bytes → AD structures. A zero length octet ends the significant part (Vol 3
 * Part C 11: the rest is padding); a structure running past the end makes the
 * whole undecodable (undefined).
 */
export function decodeAdStructures(bytes: Uint8Array): AdStructure[] | undefined {
  const out: AdStructure[] = [];
  let at = 0;
  while (at < bytes.length) {
    const length = bytes[at]!;
    if (length === 0) break;
    if (at + 1 + length > bytes.length) return undefined;
    out.push({ type: bytes[at + 1]!, data: bytes.slice(at + 2, at + 1 + length) });
    at += 1 + length;
  }
  return out;
}

/** A service UUID list structure (16- or 128-bit, by the UUIDs' size; one size per call). */
export function serviceUuidsStructure(uuids: readonly string[], complete = true): AdStructure {
  const octets = uuids.map((u) => uuidFromString(u));
  const wide = octets.some((o) => o.length === 16);
  const data = new Uint8Array(octets.reduce((n, o) => n + o.length, 0));
  let at = 0;
  for (const o of octets) {
    data.set(o, at);
    at += o.length;
  }
  const type = wide ? (complete ? AdType.COMPLETE_128BIT_UUIDS : AdType.INCOMPLETE_128BIT_UUIDS) : complete ? AdType.COMPLETE_16BIT_UUIDS : AdType.INCOMPLETE_16BIT_UUIDS;
  return { type, data };
}
