import { describe, expect, it } from 'vitest';
import { CTQ, TTQ, decodeCryptogramInformation, encodeCryptogramInformation, hasBit, withBits } from './qualifiers';

describe('TTQ and CTQ bits (EMV Contactless Book C-3 Annex A)', () => {
  it('builds a qVSDC online reader TTQ and reads its bits back', () => {
    const ttq = withBits(4, [TTQ.EMV_MODE_SUPPORTED, TTQ.EMV_CONTACT_CHIP_SUPPORTED, TTQ.ONLINE_PIN_SUPPORTED, TTQ.SIGNATURE_SUPPORTED, TTQ.CVM_REQUIRED]);
    expect([...ttq]).toEqual([0x36, 0x40, 0x00, 0x00]);
    expect(hasBit(ttq, TTQ.EMV_MODE_SUPPORTED)).toBe(true);
    expect(hasBit(ttq, TTQ.OFFLINE_ONLY_READER)).toBe(false);
    expect(hasBit(new Uint8Array(1), TTQ.CONSUMER_DEVICE_CVM_SUPPORTED)).toBe(false);
  });

  it('reads a CTQ saying the device performed CDCVM', () => {
    const ctq = Uint8Array.of(0x00, 0x80);
    expect(hasBit(ctq, CTQ.CONSUMER_DEVICE_CVM_PERFORMED)).toBe(true);
    expect(hasBit(ctq, CTQ.ONLINE_PIN_REQUIRED)).toBe(false);
    expect(() => withBits(1, [CTQ.CONSUMER_DEVICE_CVM_PERFORMED])).toThrow(RangeError);
  });
});

describe('Cryptogram Information Data (EMV 4.3 Book 3 Table 15)', () => {
  it("reads '80' as an ARQC, '40' as a TC, '00' as an AAC, with advice and reason bits", () => {
    expect(decodeCryptogramInformation(0x80)).toEqual({ type: 'ARQC', adviceRequired: false, reason: 0, schemeBits: 0 });
    expect(decodeCryptogramInformation(0x40).type).toBe('TC');
    expect(decodeCryptogramInformation(0x0a)).toEqual({ type: 'AAC', adviceRequired: true, reason: 2, schemeBits: 0 });
    expect(decodeCryptogramInformation(0xc0).type).toBe('RFU');
    expect(encodeCryptogramInformation({ type: 'ARQC' })).toBe(0x80);
    expect(encodeCryptogramInformation({ type: 'AAC', adviceRequired: true, reason: 1 })).toBe(0x09);
  });
});
