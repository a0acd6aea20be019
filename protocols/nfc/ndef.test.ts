import { describe, expect, it } from 'vitest';
import { decodeNdefMessage, espruinoUriRecord, uriOfRecord } from './ndef';
import { T2T_READ, Tlv, decodeTlvBlocks, type2TagAnswer, type2TagMemory } from './type2-tag';

describe('NDEF URI records', () => {
  it('builds the bytes Espruino documents for NRF.nfcURL("http://espruino.com") (jswrap_bluetooth.c, nfcRaw example)', () => {
    expect([...espruinoUriRecord('http://espruino.com')]).toEqual([193, 1, 0, 0, 0, 13, 85, 3, 101, 115, 112, 114, 117, 105, 110, 111, 46, 99, 111, 109]);
  });

  it('decodes short records (SR) with the URI RTD prefixes, and refuses a record running past the end', () => {
    // D1 01 08 55 01 "nfc.com": well-known "U", prefix 0x01 = "http://www." (URI RTD Table 3)
    const message = Uint8Array.of(0xd1, 0x01, 0x08, 0x55, 0x01, ...Array.from('nfc.com', (c) => c.charCodeAt(0)));
    const records = decodeNdefMessage(message)!;
    expect(records.map(uriOfRecord)).toEqual(['http://www.nfc.com']);
    expect(decodeNdefMessage(message.subarray(0, 6))).toBeUndefined();
  });
});

describe('Type 2 tag memory', () => {
  const uid = Uint8Array.of(0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66);

  it('lays out UID with its check bytes (BCC0 = 0x88^UID0^UID1^UID2), the CC, and the NDEF TLV then Terminator', () => {
    const memory = type2TagMemory(uid, Uint8Array.of(0xd0, 0, 0), 48)!;
    expect([...memory.subarray(0, 9)]).toEqual([0x04, 0x11, 0x22, 0x88 ^ 0x04 ^ 0x11 ^ 0x22, 0x33, 0x44, 0x55, 0x66, 0x33 ^ 0x44 ^ 0x55 ^ 0x66]);
    expect([...memory.subarray(12, 16)]).toEqual([0xe1, 0x10, 6, 0x0f]);
    expect(decodeTlvBlocks(memory.subarray(16))).toEqual([{ tag: Tlv.NDEF, value: Uint8Array.of(0xd0, 0, 0) }]);
  });

  it('READ answers four pages, rolling over past the end; a block past the end or another command gets NAK', () => {
    const memory = type2TagMemory(uid, Uint8Array.of(0xd0, 0, 0), 16)!; // 8 pages
    expect([...type2TagAnswer(memory, Uint8Array.of(T2T_READ, 6))]).toEqual([...memory.subarray(24, 32), ...memory.subarray(0, 8)]);
    expect([...type2TagAnswer(memory, Uint8Array.of(T2T_READ, 8))]).toEqual([0]);
    expect([...type2TagAnswer(memory, Uint8Array.of(0x60))]).toEqual([0]);
    expect(type2TagMemory(uid, new Uint8Array(20), 16)).toBeUndefined();
  });
});
