import { describe, expect, it } from 'vitest';
import { LeRole, externalRecord, leDeviceAddressData, leOobRecord } from './bluetooth-le-oob';
import { asciiBytes, decodeNdefMessage, encodeNdefMessage, uriOfRecord } from './ndef';

describe('NDEF message encoding', () => {
  it('writes the short URI record of the NDEF specification example shape: D1 01 08 55 01 "nfc.com" (MB, ME, SR, well-known)', () => {
    const bytes = encodeNdefMessage([{ tnf: 0x01, type: asciiBytes('U'), id: new Uint8Array(0), payload: Uint8Array.of(0x01, ...asciiBytes('nfc.com')) }]);
    expect([...bytes]).toEqual([0xd1, 0x01, 0x08, 0x55, 0x01, ...asciiBytes('nfc.com')]);
    expect(decodeNdefMessage(bytes)!.map(uriOfRecord)).toEqual(['http://www.nfc.com']);
  });

  it('sets MB on the first record and ME on the last only; a 256-octet payload takes the long form, an ID sets IL', () => {
    const bytes = encodeNdefMessage([
      { tnf: 0x04, type: asciiBytes('a.b:c'), id: Uint8Array.of(9), payload: new Uint8Array(2) },
      { tnf: 0x02, type: asciiBytes('x/y'), id: new Uint8Array(0), payload: new Uint8Array(256) },
    ]);
    expect(bytes[0]).toBe(0x80 | 0x10 | 0x08 | 0x04);
    const second = 4 + 5 + 1 + 2;
    expect([...bytes.subarray(second, second + 6)]).toEqual([0x40 | 0x02, 3, 0, 0, 1, 0]);
    expect(decodeNdefMessage(bytes)!.map((r) => [r.tnf, r.id.length, r.payload.length])).toEqual([[4, 1, 2], [2, 0, 256]]);
  });
});

describe('Bluetooth LE OOB record (Bluetooth Secure Simple Pairing Using NFC, LE)', () => {
  it('carries the LE Bluetooth Device Address LSB first with its type, and the LE Role, as AD structures', () => {
    expect([...leDeviceAddressData('C0:11:22:33:44:01', true)]).toEqual([0x01, 0x44, 0x33, 0x22, 0x11, 0xc0, 0x01]);
    const record = leOobRecord('C0:11:22:33:44:01', false, LeRole.PERIPHERAL_ONLY);
    expect(record.tnf).toBe(0x02);
    expect(String.fromCharCode(...record.type)).toBe('application/vnd.bluetooth.le.oob');
    expect([...record.payload]).toEqual([8, 0x1b, 0x01, 0x44, 0x33, 0x22, 0x11, 0xc0, 0x00, 2, 0x1c, 0x00]);
    expect(() => leDeviceAddressData('C0:11:22', false)).toThrow();
  });

  it('an external type record is TNF 0x04 with the domain:type name', () => {
    const r = externalRecord('paymentstrap.dev:passkey', asciiBytes('123456'));
    expect([r.tnf, String.fromCharCode(...r.type), String.fromCharCode(...r.payload)]).toEqual([4, 'paymentstrap.dev:passkey', '123456']);
  });
});
