import { describe, expect, it } from 'vitest';
import { decodeNdefMessage, encodeNdefMessage } from '../../protocols/nfc/ndef';
import { LeRole, externalRecord, leOobRecord } from '../../protocols/nfc/bluetooth-le-oob';
import { pairingTag } from './pairing-tag';

describe("the strap's pairing tag", () => {
  it('equals the protocols codec: LE OOB record (address, peripheral-only role) then the passkey external record', () => {
    const bytes = pairingTag('c0:11:22:33:44:01 public', '042917');
    const expected = encodeNdefMessage([leOobRecord('C0:11:22:33:44:01', false, LeRole.PERIPHERAL_ONLY), externalRecord('paymentstrap.dev:passkey', Uint8Array.from('042917', (c) => c.charCodeAt(0)))]);
    expect([...bytes]).toEqual([...expected]);
  });

  it('carries the address least significant octet first, with its type', () => {
    const records = decodeNdefMessage(pairingTag('c0:11:22:33:44:01 random', '000001'))!;
    expect(records).toHaveLength(2);
    // AD: length 8, type 0x1B, 01 44 33 22 11 C0, 01 random; length 2, type 0x1C, 00
    expect([...records[0]!.payload]).toEqual([8, 0x1b, 0x01, 0x44, 0x33, 0x22, 0x11, 0xc0, 0x01, 2, 0x1c, 0x00]);
    expect(String.fromCharCode(...records[1]!.payload)).toBe('000001');
  });
});
