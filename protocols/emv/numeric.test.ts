import { describe, expect, it } from 'vitest';
import { CurrencyCode, decodeAmount, decodeCode3, decodeCompressedNumeric, decodeDate, decodeNumeric, encodeAmount, encodeCode3, encodeCompressedNumeric, encodeDate, encodeNumeric } from './numeric';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

describe('EMV numeric formats (EMV 4.3 Book 3 4.3)', () => {
  it('writes amounts as n12: 12.34 in minor units → 00 00 00 00 12 34, and reads them back', () => {
    expect(hx(encodeAmount(1234))).toBe('000000001234');
    expect(hx(encodeAmount(999_999_999_999n))).toBe('999999999999');
    expect(decodeAmount(h('000000001234'))).toBe(1234);
    expect(decodeAmount(h('00000000123A'))).toBeUndefined();
    expect(decodeAmount(h('0000001234'))).toBeUndefined();
    expect(() => encodeAmount(1_000_000_000_000)).toThrow(RangeError);
    expect(() => encodeAmount(-1)).toThrow(RangeError);
    expect(() => encodeAmount(12.5)).toThrow(RangeError);
  });

  it('right-justifies n with leading zeros and left-justifies cn with trailing Fs (the PAN in 5A)', () => {
    expect(hx(encodeNumeric('5', 1))).toBe('05');
    expect(decodeNumeric(h('0005'))).toBe('0005');
    expect(hx(encodeCompressedNumeric('4761739001010010', 8))).toBe('4761739001010010');
    expect(hx(encodeCompressedNumeric('476173900101001', 8))).toBe('476173900101001F');
    expect(hx(encodeCompressedNumeric('12345', 4))).toBe('12345FFF');
    expect(decodeCompressedNumeric(h('476173900101001F'))).toBe('476173900101001');
    expect(decodeCompressedNumeric(h('12F4'))).toBeUndefined();
    expect(() => encodeNumeric('123', 1)).toThrow(RangeError);
  });

  it('writes dates as n6 YYMMDD and refuses what is not a calendar date', () => {
    expect(hx(encodeDate({ year: 2025, month: 12, day: 31 }))).toBe('251231');
    expect(decodeDate(h('251231'))).toEqual({ year: 2025, month: 12, day: 31 });
    expect(decodeDate(h('991231'))).toEqual({ year: 1999, month: 12, day: 31 });
    expect(decodeDate(h('240229'))).toEqual({ year: 2024, month: 2, day: 29 });
    for (const bad of ['250229', '251301', '250100', '25123A', '2512']) expect(decodeDate(h(bad)), bad).toBeUndefined();
    expect(() => encodeDate({ year: 2050, month: 1, day: 1 })).toThrow(RangeError);
  });

  it('writes ISO 4217 / ISO 3166-1 numeric codes as n3 in two bytes (EUR 978 → 09 78)', () => {
    expect(hx(encodeCode3(CurrencyCode.EUR))).toBe('0978');
    expect(decodeCode3(h('0840'))).toBe(840);
    expect(decodeCode3(h('1840'))).toBeUndefined();
    expect(() => encodeCode3(1000)).toThrow(RangeError);
  });
});
