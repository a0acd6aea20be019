import { describe, expect, it } from 'vitest';
import { Tnf, decodeNdefMessage, encodeNdefMessage } from './ndef';
import { LeRole, decodeTapToPair, encodeTapToPairMessage } from './tap-to-pair';

describe('the tap-to-pair NDEF message', () => {
  const info = { address: 'C0:11:22:33:44:01', addressType: 'public' as const, role: LeRole.PERIPHERAL_ONLY, passkey: '012345' };

  it('puts the address LSB first with its type octet (AD 0x1B) and the role (AD 0x1C) in the LE OOB record', () => {
    const records = decodeNdefMessage(encodeTapToPairMessage(info))!;
    expect(records).toHaveLength(2);
    expect(Buffer.from(records[0]!.type).toString()).toBe('application/vnd.bluetooth.le.oob');
    expect([...records[0]!.payload]).toEqual([8, 0x1b, 0x01, 0x44, 0x33, 0x22, 0x11, 0xc0, 0x00, 2, 0x1c, 0x00]);
    expect(records[1]).toMatchObject({ tnf: Tnf.EXTERNAL });
    expect(Buffer.from(records[1]!.payload).toString()).toBe('012345');
  });

  it('decodes what it encodes, leading zeros of the passkey kept', () => {
    expect(decodeTapToPair(decodeNdefMessage(encodeTapToPairMessage(info))!)).toEqual({ ok: true, ...info });
  });

  it('refuses a passkey that is not six digits, and an address record that overruns', () => {
    const bad = decodeNdefMessage(encodeTapToPairMessage({ ...info, passkey: '12a456' }))!;
    expect(decodeTapToPair(bad)).toMatchObject({ ok: false, reason: expect.stringContaining('6 digits') });
    const overrun = [{ tnf: Tnf.MEDIA, type: Buffer.from('application/vnd.bluetooth.le.oob'), id: new Uint8Array(0), payload: Uint8Array.of(9, 0x1b, 1, 2) }];
    expect(decodeTapToPair(overrun)).toMatchObject({ ok: false, reason: expect.stringContaining('malformed') });
  });

  it('encodes a long record (4-octet payload length) when the payload passes 255 octets', () => {
    const payload = new Uint8Array(300).fill(7);
    const bytes = encodeNdefMessage([{ tnf: Tnf.UNKNOWN, type: new Uint8Array(0), id: new Uint8Array(0), payload }]);
    expect(bytes[0]).toBe(0x80 | 0x40 | Tnf.UNKNOWN);
    expect(decodeNdefMessage(bytes)![0]!.payload).toEqual(payload);
  });
});
