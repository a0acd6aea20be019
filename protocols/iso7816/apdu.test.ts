import { describe, expect, it } from 'vitest';
import { decodeClassByte, encodeCommandApdu, encodeResponseApdu, parseCommandApdu, parseResponseApdu, statusWord } from './apdu';
import type { CommandApdu } from './apdu';
import { SW, describeStatusWord, errorStatusWord, statusCategory } from './status-words';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

describe('command APDUs (ISO/IEC 7816-3:2006 12.1.3, ISO/IEC 7816-4:2005 5.1)', () => {
  it('decodes the PPSE SELECT a contactless terminal sends first (EMV Contactless Book B, Entry Point: SELECT "2PAY.SYS.DDF01") as case 4S, Le 00 = 256', () => {
    const parsed = parseCommandApdu(h('00 A4 04 00 0E 325041592E5359532E4444463031 00'));
    expect(parsed.ok && parsed.value).toMatchObject({ case: '4S', cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, ne: 256 });
    expect(parsed.ok && new TextDecoder().decode(parsed.value.data)).toBe('2PAY.SYS.DDF01');
  });

  it('tells the seven cases apart by the body length alone', () => {
    const cases = {
      '80 CA 9F 36': { case: '1', nc: 0, ne: undefined },
      '00 B2 01 0C 00': { case: '2S', nc: 0, ne: 256 },
      '00 B2 01 0C 1D': { case: '2S', nc: 0, ne: 29 },
      '80 A8 00 00 02 83 00': { case: '3S', nc: 2, ne: undefined },
      '80 A8 00 00 02 83 00 00': { case: '4S', nc: 2, ne: 256 },
      '00 B0 00 00 00 00 00': { case: '2E', nc: 0, ne: 65536 },
      '00 B0 00 00 00 01 2C': { case: '2E', nc: 0, ne: 300 },
      '00 D6 00 00 00 00 02 AA BB': { case: '3E', nc: 2, ne: undefined },
      '00 D6 00 00 00 00 02 AA BB 00 00': { case: '4E', nc: 2, ne: 65536 },
      '00 D6 00 00 00 00 02 AA BB 01 00': { case: '4E', nc: 2, ne: 256 },
    } as const;
    for (const [hex, want] of Object.entries(cases)) {
      const parsed = parseCommandApdu(h(hex));
      expect(parsed.ok, hex).toBe(true);
      if (parsed.ok) expect({ case: parsed.value.case, nc: parsed.value.data.length, ne: parsed.value.ne }, hex).toEqual(want);
    }
  });

  it('refuses bodies that fit no case as wrong length (6700), and says which', () => {
    for (const hex of ['80 A8 00', '80 A8 00 00 03 83 00', '80 A8 00 00 02 83 00 00 00', '00 D6 00 00 00 00', '00 D6 00 00 00 00 02 AA', '00 D6 00 00 00 00 00 AA']) {
      const parsed = parseCommandApdu(h(hex));
      expect(parsed.ok, hex).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.kind, hex).toBe('wrong-length');
        expect(errorStatusWord(parsed.error.kind)).toBe(0x6700);
      }
    }
  });

  it("refuses CLA 'FF' (6E00) and INS '6X'/'9X' (6D00) before an applet sees them", () => {
    const cla = parseCommandApdu(h('FF A4 04 00'));
    expect(!cla.ok && errorStatusWord(cla.error.kind)).toBe(SW.CLA_NOT_SUPPORTED);
    for (const ins of ['60', '6F', '90', '9F']) {
      const parsed = parseCommandApdu(h(`00 ${ins} 00 00`));
      expect(!parsed.ok && errorStatusWord(parsed.error.kind), ins).toBe(SW.INS_NOT_SUPPORTED);
    }
  });

  it('maps every refusal kind to its ISO/IEC 7816-4 status word', () => {
    expect(errorStatusWord('wrong-p1p2')).toBe(0x6b00);
    expect(errorStatusWord('incorrect-p1p2')).toBe(0x6a86);
    expect(errorStatusWord('wrong-data')).toBe(0x6a80);
    expect(errorStatusWord('conditions-not-satisfied')).toBe(0x6985);
    expect(errorStatusWord('security-status-not-satisfied')).toBe(0x6982);
    expect(errorStatusWord('file-not-found')).toBe(0x6a82);
    expect(errorStatusWord('function-not-supported')).toBe(0x6a81);
    expect(errorStatusWord('wrong-le', 0x1d)).toBe(0x6c1d);
  });

  it('encodes short fields when they fit and extended fields when they do not, and reads its own bytes back', () => {
    const gpo: CommandApdu = { cla: 0x80, ins: 0xa8, p1: 0, p2: 0, data: h('83 00'), ne: 256 };
    expect(hx(encodeCommandApdu(gpo))).toBe('80A8000002830000');
    expect(hx(encodeCommandApdu({ ...gpo, data: new Uint8Array(0), ne: undefined }))).toBe('80A80000');
    expect(hx(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 65536 }))).toBe('00B00000000000');
    expect(hx(encodeCommandApdu({ cla: 0, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 257 }))).toBe('00B00000000101');
    expect(hx(encodeCommandApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: h('AABB'), ne: 256 }, { extended: true }))).toBe('00D60000000002AABB0100');
    const big = new Uint8Array(300).fill(7);
    const round = parseCommandApdu(encodeCommandApdu({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: big, ne: 2 }));
    expect(round.ok && round.value.case).toBe('4E');
    expect(round.ok && round.value.data).toEqual(big);
    expect(() => encodeCommandApdu({ ...gpo, ne: 0 })).toThrow(RangeError);
    expect(() => encodeCommandApdu({ ...gpo, p1: 256 })).toThrow(RangeError);
  });
});

describe('response APDUs and status words (ISO/IEC 7816-4:2005 5.1.3)', () => {
  it('splits data from SW1 SW2 and joins them back', () => {
    const response = parseResponseApdu(h('6F 00 90 00'));
    expect(response && { data: hx(response.data), sw: statusWord(response) }).toEqual({ data: '6F00', sw: 0x9000 });
    expect(hx(encodeResponseApdu(h('6F00'), SW.OK))).toBe('6F009000');
    expect(parseResponseApdu(h('90'))).toBeUndefined();
  });

  it('names and classifies status words, including the ones that carry a number', () => {
    expect(describeStatusWord(0x6a82)).toBe('6A82 file not found');
    expect(describeStatusWord(0x6110)).toBe('6110: 16 response bytes still available');
    expect(describeStatusWord(0x6c00)).toBe('6C00: wrong Le, exact length 256');
    expect(describeStatusWord(0x63c2)).toBe('63C2: counter 2');
    expect([0x9000, 0x6283, 0x6581, 0x6d00, 0x1234].map(statusCategory)).toEqual(['normal', 'warning', 'execution-error', 'checking-error', 'unknown']);
  });
});

describe('class byte (ISO/IEC 7816-4:2005 5.1.1, Tables 2-3)', () => {
  it('reads chaining, secure messaging and logical channel', () => {
    expect(decodeClassByte(0x00)).toEqual({ kind: 'interindustry', chaining: false, secureMessaging: 'none', channel: 0 });
    expect(decodeClassByte(0x13)).toEqual({ kind: 'interindustry', chaining: true, secureMessaging: 'none', channel: 3 });
    expect(decodeClassByte(0x0c)).toMatchObject({ secureMessaging: 'header-authenticated' });
    expect(decodeClassByte(0x45)).toEqual({ kind: 'interindustry', chaining: false, secureMessaging: 'none', channel: 9 });
    expect(decodeClassByte(0x80)).toEqual({ kind: 'proprietary' });
    expect(decodeClassByte(0x84)).toEqual({ kind: 'proprietary' });
    expect(decodeClassByte(0xff)).toEqual({ kind: 'invalid' });
  });
});
