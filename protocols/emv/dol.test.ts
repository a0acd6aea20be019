import { describe, expect, it } from 'vitest';
import { buildDolData, dolDataLength, parseDol, splitDolData } from './dol';
import { EMV_TAGS, emvTag, emvTagName, lengthAllowed } from './tags';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

// The PDOL a qVSDC card typically returns in its FCI: TTQ, amounts, country, TVR, currency, date, type, UN.
const QVSDC_PDOL = h('9F66 04 9F02 06 9F03 06 9F1A 02 95 05 5F2A 02 9A 03 9C 01 9F37 04');

describe('Data Object Lists (EMV 4.3 Book 3 5.4)', () => {
  it('reads a PDOL into its (tag, length) entries', () => {
    const parsed = parseDol(QVSDC_PDOL);
    expect(parsed.ok && parsed.value.map((e) => [e.tag.toString(16), e.length])).toEqual([
      ['9f66', 4], ['9f02', 6], ['9f03', 6], ['9f1a', 2], ['95', 5], ['5f2a', 2], ['9a', 3], ['9c', 1], ['9f37', 4],
    ]);
    expect(parsed.ok && dolDataLength(parsed.value)).toBe(33);
  });

  it('concatenates the terminal values in DOL order, zeros for what it does not have', () => {
    const parsed = parseDol(QVSDC_PDOL);
    if (!parsed.ok) throw new Error('PDOL did not parse');
    const terminal = new Map<number, Uint8Array>([
      [0x9f66, h('36004000')], [0x9f02, h('000000001234')], [0x9f1a, h('0276')], [0x95, h('0000000000')],
      [0x5f2a, h('0978')], [0x9a, h('250301')], [0x9c, h('00')], [0x9f37, h('CAFEBABE')],
    ]);
    const data = buildDolData(parsed.value, (tag) => terminal.get(tag));
    expect(hx(data)).toBe('36004000' + '000000001234' + '000000000000' + '0276' + '0000000000' + '0978' + '250301' + '00' + 'CAFEBABE');
    expect(splitDolData(parsed.value, data)?.get(0x9f37)).toEqual(h('CAFEBABE'));
    expect(splitDolData(parsed.value, data.subarray(1))).toBeUndefined();
  });

  it('truncates and pads by format: n keeps the rightmost bytes and pads left with 00, cn pads with FF, b and an keep the leftmost and pad right with 00', () => {
    const entries = [{ tag: 0x9f02, length: 4 }, { tag: 0x9f02, length: 8 }, { tag: 0x5a, length: 10 }, { tag: 0x9f37, length: 2 }, { tag: 0x9f37, length: 6 }, { tag: 0x50, length: 6 }];
    const values = new Map<number, Uint8Array>([[0x9f02, h('000000001234')], [0x5a, h('476173900101001F')], [0x9f37, h('CAFEBABE')], [0x50, new TextEncoder().encode('VISA')]]);
    expect(hx(buildDolData(entries, (tag) => values.get(tag)))).toBe(
      '00001234' + '0000000000001234' + '476173900101001FFFFF' + 'CAFE' + 'CAFEBABE0000' + '564953410000',
    );
  });

  it('sends zeros for a constructed tag whatever value is at hand, and honours a caller-supplied format', () => {
    expect(hx(buildDolData([{ tag: 0x70, length: 3 }], () => h('AABBCC')))).toBe('000000');
    expect(hx(buildDolData([{ tag: 0xdf01, length: 3 }], () => h('1234'), { formatOf: () => 'n' }))).toBe('001234');
    expect(hx(buildDolData([{ tag: 0xdf01, length: 3 }], () => h('1234')))).toBe('123400');
  });

  it('refuses a DOL cut inside a tag or a length, with the offset', () => {
    expect(parseDol(h('9F66 04 9F'))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'truncated-tag', offset: 4 }) });
    expect(parseDol(h('9F66'))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'truncated-length', offset: 2 }) });
    expect(parseDol(h('9F66 82 01 00'))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'length-too-long', offset: 2 }) });
  });
});

describe('EMV tag dictionary (EMV 4.3 Book 3 Annex A1, Book C-3 Annex A)', () => {
  it('knows every tag a qVSDC tap uses, with its format and length', () => {
    const qvsdc = [0x4f, 0x50, 0x57, 0x5a, 0x5f20, 0x5f24, 0x5f25, 0x5f28, 0x5f2a, 0x5f34, 0x61, 0x6f, 0x70, 0x77, 0x80, 0x82, 0x84, 0x87, 0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x92, 0x94, 0x95, 0x9a, 0x9c, 0x9f02, 0x9f03, 0x9f10, 0x9f1a, 0x9f26, 0x9f27, 0x9f36, 0x9f37, 0x9f38, 0x9f4b, 0x9f5d, 0x9f66, 0x9f69, 0x9f6c, 0x9f6e, 0xa5, 0xbf0c];
    expect(qvsdc.filter((t) => !EMV_TAGS.has(t)).map((t) => t.toString(16))).toEqual([]);
    expect(emvTag(0x9f02)).toMatchObject({ name: 'Amount, Authorised (Numeric)', format: 'n', minLength: 6, maxLength: 6, source: 'terminal', spec: 'B3' });
    expect(emvTag(0x9f66)).toMatchObject({ format: 'b', minLength: 4, source: 'terminal', spec: 'C-3' });
    expect(emvTag(0x5a)?.format).toBe('cn');
    expect(emvTagName(0x9f6c)).toBe('Card Transaction Qualifiers (CTQ)');
    expect(emvTagName(0xdf8101)).toBe('DF8101');
  });

  it('checks value lengths against the dictionary', () => {
    expect(lengthAllowed(0x9f26, 8)).toBe(true);
    expect(lengthAllowed(0x9f26, 7)).toBe(false);
    expect(lengthAllowed(0x94, 8)).toBe(true);
    expect(lengthAllowed(0x94, 6)).toBe(false);
    expect(lengthAllowed(0xdf8101, 300)).toBe(true);
  });
});
