import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Hex, crc32OfLatin1 } from './crc32';

describe('CRC-32 (CRC-32/ISO-HDLC, as E.CRC32)', () => {
  it('gives the catalogue check value for "123456789" (reveng CRC catalogue, CRC-32/ISO-HDLC: check=0xcbf43926)', () => {
    expect(crc32OfLatin1('123456789')).toBe(0xcbf43926);
    expect(crc32([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39])).toBe(0xcbf43926);
  });

  it('gives 0 for no bytes and the published values for single bytes', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
    // The widely quoted single-byte values of this CRC (gzip's and zlib's): one zero byte 0xd202ef8d, "a" 0xe8b7be43.
    expect(crc32([0])).toBe(0xd202ef8d);
    expect(crc32OfLatin1('a')).toBe(0xe8b7be43);
  });

  it('equals node:zlib crc32 on random data of every length up to 300 and on a 64 KB block', () => {
    let seed = 12345;
    const random = (n: number) => {
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
      return bytes;
    };
    for (let n = 0; n <= 300; n++) {
      const bytes = random(n);
      expect(crc32(bytes)).toBe(zlibCrc32(bytes) >>> 0);
    }
    const block = random(65536);
    expect(crc32(block)).toBe(zlibCrc32(block) >>> 0);
  });

  it('takes a string one char per byte, as Espruino strings are 8-bit', () => {
    const text = 'caf\u00e9 \u00ff\x00\x1e';
    expect(crc32OfLatin1(text)).toBe(zlibCrc32(Buffer.from(text, 'latin1')) >>> 0);
  });

  it('writes the CRC as 8 lower-case hex digits, also a signed one', () => {
    expect(crc32Hex(0xcbf43926)).toBe('cbf43926');
    expect(crc32Hex(0xcbf43926 | 0)).toBe('cbf43926');
    expect(crc32Hex(0x1f)).toBe('0000001f');
  });
});
