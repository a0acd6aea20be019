/**
 * The strap's tap-to-pair NDEF message: what its NFC tag carries while a
 * pairing window is open, and what a phone needs from it.
 *
 * 1. A MIME record `application/vnd.bluetooth.le.oob` (NFC Forum "Bluetooth
 *    Secure Simple Pairing Using NFC" 1.2, 3.3 "LE OOB record"): its payload
 *    is a sequence of AD structures (length, AD type, data; Core v5.4 Vol 3
 *    Part C 11) with
 *    - LE Bluetooth Device Address, AD type 0x1B: the 6 address octets least
 *      significant first, then 0x00 public / 0x01 random (Core Specification
 *      Supplement v11, Part A 1.16);
 *    - LE Role, AD type 0x1C: 0x00 peripheral only … 0x03 both, central
 *      preferred (CSS Part A 1.17).
 * 2. An NFC Forum external type record (TNF 0x04) `paymentstrap.dev:passkey`
 *    whose payload is the 6 ASCII digits of the LE Secure Connections passkey
 *    the strap displays (ours, not a standard).
 */
import { AdType } from '../ble/gap/advertising-data';
import { LE_OOB_MIME_TYPE, LeRole, externalRecord, leOobRecord } from './bluetooth-le-oob';
import { Tnf, asciiBytes, encodeNdefMessage } from './ndef';
import type { NdefRecord } from './ndef';

export { LeRole } from './bluetooth-le-oob';
export const PASSKEY_EXTERNAL_TYPE = 'paymentstrap.dev:passkey';

export interface TapToPairInfo {
  /** `AA:BB:CC:DD:EE:FF`, most significant octet first, upper case. */
  address: string;
  addressType: 'public' | 'random';
  role: number;
  /** Six decimal digits. */
  passkey: string;
}

export type TapToPairResult = ({ ok: true } & TapToPairInfo) | { ok: false; reason: string };

export function encodeTapToPairMessage(info: TapToPairInfo): Uint8Array {
  return encodeNdefMessage([leOobRecord(info.address, info.addressType === 'random', info.role), externalRecord(PASSKEY_EXTERNAL_TYPE, asciiBytes(info.passkey))]);
}

/** What a phone takes from a tag's records, or why it refuses them. */
export function decodeTapToPair(records: readonly NdefRecord[]): TapToPairResult {
  const oob = records.find((r) => r.tnf === Tnf.MEDIA && text(r.type).toLowerCase() === LE_OOB_MIME_TYPE);
  if (!oob) return { ok: false, reason: `no Bluetooth LE OOB record (${LE_OOB_MIME_TYPE}) on the tag` };
  const ad = adStructures(oob.payload);
  if (!ad) return { ok: false, reason: 'the LE OOB record is malformed (an AD structure runs past its end)' };
  const address = ad.get(AdType.LE_BLUETOOTH_DEVICE_ADDRESS);
  if (!address || address.length !== 7 || address[6]! > 1) return { ok: false, reason: 'the LE OOB record has no valid LE Bluetooth Device Address (AD type 0x1B)' };
  const role = ad.get(AdType.LE_ROLE);
  if (!role || role.length !== 1) return { ok: false, reason: 'the LE OOB record has no LE Role (AD type 0x1C)' };
  if (role[0] === LeRole.CENTRAL_ONLY) return { ok: false, reason: 'the tag says the device is a central only: nothing for a phone to connect to' };
  const passkeyRecord = records.find((r) => r.tnf === Tnf.EXTERNAL && text(r.type).toLowerCase() === PASSKEY_EXTERNAL_TYPE);
  if (!passkeyRecord) return { ok: false, reason: `no passkey record (${PASSKEY_EXTERNAL_TYPE}) on the tag: is the strap's pairing window open?` };
  const passkey = text(passkeyRecord.payload);
  if (!/^\d{6}$/.test(passkey)) return { ok: false, reason: `the passkey record does not hold 6 digits (${JSON.stringify(passkey)})` };
  const hex = [...address.subarray(0, 6)].reverse().map((b) => b.toString(16).padStart(2, '0').toUpperCase());
  return { ok: true, address: hex.join(':'), addressType: address[6] === 1 ? 'random' : 'public', role: role[0]!, passkey };
}

/** AD structures by type (a zero length ends the data, Core v5.4 Vol 3 Part C 11); undefined when one overruns. */
function adStructures(bytes: Uint8Array): Map<number, Uint8Array> | undefined {
  const out = new Map<number, Uint8Array>();
  let at = 0;
  while (at < bytes.length) {
    const length = bytes[at]!;
    if (length === 0) break;
    if (at + 1 + length > bytes.length) return undefined;
    out.set(bytes[at + 1]!, bytes.slice(at + 2, at + 1 + length));
    at += 1 + length;
  }
  return out;
}

function text(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
