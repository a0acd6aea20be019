/**
 * Bluetooth LE out-of-band data on an NFC tag (Bluetooth SIG application
 * document "Bluetooth Secure Simple Pairing Using NFC", 1.0.x, 3 "Bluetooth
 * LE"): an NDEF record of TNF media type (0x02) and type
 * `application/vnd.bluetooth.le.oob` whose payload is plain AD structures
 * (length, AD type, data; no leading OOB length as in the BR/EDR record).
 * The LE Bluetooth Device Address (0x1B) and the LE Role (0x1C) are the
 * mandatory ones; Security Manager TK, LE SC confirmation/random, appearance
 * and name are optional and not written here.
 */
import { AdType, encodeAdStructures } from '../ble/gap/advertising-data';
import { Tnf, asciiBytes } from './ndef';
import type { NdefRecord } from './ndef';

export const LE_OOB_MIME_TYPE = 'application/vnd.bluetooth.le.oob';

/** LE Role values (Core Specification Supplement Part A 1.17). */
export const LeRole = { PERIPHERAL_ONLY: 0x00, CENTRAL_ONLY: 0x01, PERIPHERAL_PREFERRED: 0x02, CENTRAL_PREFERRED: 0x03 } as const;

/** `AA:BB:CC:DD:EE:FF` (most significant first, as Espruino's NRF.getAddress prints it) → the 7-octet AD data. */
export function leDeviceAddressData(address: string, random: boolean): Uint8Array {
  const hex = address.split(':');
  if (hex.length !== 6 || hex.some((h) => !/^[0-9a-f]{2}$/i.test(h))) throw new Error(`not a BD_ADDR: ${address}`);
  const out = new Uint8Array(7);
  hex.forEach((h, i) => (out[5 - i] = parseInt(h, 16)));
  out[6] = random ? 1 : 0;
  return out;
}

export function leOobRecord(address: string, random: boolean, role: number): NdefRecord {
  const payload = encodeAdStructures([
    { type: AdType.LE_BLUETOOTH_DEVICE_ADDRESS, data: leDeviceAddressData(address, random) },
    { type: AdType.LE_ROLE, data: Uint8Array.of(role) },
  ]);
  return { tnf: Tnf.MEDIA, type: asciiBytes(LE_OOB_MIME_TYPE), id: new Uint8Array(0), payload };
}

/** An NFC Forum external type record (NFC RTD 1.0, 3.2: "domain:type", TNF 0x04). */
export function externalRecord(type: string, payload: Uint8Array): NdefRecord {
  return { tnf: Tnf.EXTERNAL, type: asciiBytes(type), id: new Uint8Array(0), payload };
}
