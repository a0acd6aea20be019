import { describe, expect, it } from 'vitest';
import { encodeLength, encodeTag, encodeTlv, findTag, isConstructed, parseTlv, readLength, readTag, tagClass, tlvErrorStatusWord } from './tlv';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

// A PPSE FCI in the layout EMV Contactless Book B (Entry Point) gives it: 6F { 84 DF name, A5 { BF0C { 61 { 4F AID, 87 priority } } } }.
const PPSE_FCI = h('6F 23 84 0E 325041592E5359532E4444463031 A5 11 BF0C 0E 61 0C 4F 07 A0000000031010 87 01 01');

describe('BER-TLV trees (EMV Book 3 Annex B)', () => {
  it('parses a PPSE FCI into its nested templates with the offset of each tag', () => {
    const parsed = parseTlv(PPSE_FCI);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const fci = parsed.value[0]!;
    expect(fci).toMatchObject({ tag: 0x6f, constructed: true, offset: 0 });
    expect(fci.children!.map((c) => c.tag)).toEqual([0x84, 0xa5]);
    expect(hx(findTag(parsed.value, 0x4f)!.value)).toBe('A0000000031010');
    expect(findTag(parsed.value, 0xbf0c)).toMatchObject({ constructed: true, offset: 20 });
    expect(findTag(parsed.value, 0x87)!.value).toEqual(h('01'));
    expect(findTag(parsed.value, 0x9f38)).toBeUndefined();
  });

  it('encodes the same tree back to the same bytes', () => {
    const tree = {
      tag: 0x6f,
      children: [
        { tag: 0x84, value: new TextEncoder().encode('2PAY.SYS.DDF01') },
        { tag: 0xa5, children: [{ tag: 0xbf0c, children: [{ tag: 0x61, children: [{ tag: 0x4f, value: h('A0000000031010') }, { tag: 0x87, value: h('01') }] }] }] },
      ],
    };
    expect(hx(encodeTlv(tree))).toBe(hx(PPSE_FCI));
  });

  it('reads a mutated length as the truncation it is, at the byte where it fails', () => {
    const mutated = PPSE_FCI.slice();
    mutated[1] = 0x24; // 6F claims one byte more than there is
    const parsed = parseTlv(mutated);
    expect(parsed).toEqual({ ok: false, error: expect.objectContaining({ kind: 'truncated-value', offset: 2 }) });
    const inner = PPSE_FCI.slice();
    inner[22] = 0x0f; // BF0C claims more than its parent A5 holds
    expect(parseTlv(inner)).toEqual({ ok: false, error: expect.objectContaining({ kind: 'truncated-value', offset: 23 }) });
  });

  it('refuses malformed input with typed errors and the status word an applet answers', () => {
    const cases: Array<[string, string, number, number]> = [
      ['9F', 'truncated-tag', 1, 0x6700],
      ['9F 81', 'truncated-tag', 2, 0x6700],
      ['9F 81 81 01 00', 'tag-too-long', 0, 0x6a80],
      ['9F 80 01 00', 'invalid-tag', 1, 0x6a80],
      ['5A', 'truncated-length', 1, 0x6700],
      ['5A 82 01', 'truncated-length', 1, 0x6700],
      ['70 80 5A 00 00 00', 'indefinite-length', 1, 0x6a80],
      ['5A 85 00 00 00 00 01 00', 'length-too-long', 1, 0x6a80],
      ['5A 08 47 61', 'truncated-value', 2, 0x6700],
      ['00 5A 01 00', 'invalid-tag', 0, 0x6a80],
    ];
    for (const [hex, kind, offset, sw] of cases) {
      const parsed = parseTlv(h(hex));
      expect(parsed.ok, hex).toBe(false);
      if (!parsed.ok) {
        expect({ kind: parsed.error.kind, offset: parsed.error.offset }, hex).toEqual({ kind, offset });
        expect(tlvErrorStatusWord(parsed.error), hex).toBe(sw);
      }
    }
  });

  it("skips '00'/'FF' between objects only when asked (ISO/IEC 7816-4:2005 5.2.2.1)", () => {
    const padded = h('00 5A 01 47 FF FF 9F36 02 0001 00');
    const parsed = parseTlv(padded, { allowPadding: true });
    expect(parsed.ok && parsed.value.map((n) => [n.tag, n.offset])).toEqual([[0x5a, 1], [0x9f36, 6]]);
    expect(parseTlv(padded).ok).toBe(false);
  });

  it('stops at a nesting depth instead of recursing without end', () => {
    let nested: Uint8Array = h('5A 01 47');
    for (let i = 0; i < 40; i++) nested = encodeTlv({ tag: 0x70, value: nested });
    expect(parseTlv(nested)).toEqual({ ok: false, error: expect.objectContaining({ kind: 'too-deep' }) });
    expect(parseTlv(nested, { maxDepth: 64 }).ok).toBe(true);
  });

  it('never throws on arbitrary bytes', () => {
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      const bytes = Uint8Array.from({ length: (n % 40) + 1 }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
      expect(() => parseTlv(bytes, { allowPadding: n % 2 === 0 })).not.toThrow();
    }
  });
});

describe('tag and length fields (ISO/IEC 8825-1 8.1.2, 8.1.3)', () => {
  it('encodes lengths in the shortest form, as the examples of ISO/IEC 8825-1 8.1.3 (L = 38 → 26, L = 201 → 81 C9)', () => {
    expect(hx(encodeLength(38))).toBe('26');
    expect(hx(encodeLength(201))).toBe('81C9');
    expect(hx(encodeLength(0x0100))).toBe('820100');
    expect(hx(encodeLength(0x01000000))).toBe('8401000000');
    expect(readLength(h('84 FF FF FF FF'), 0)).toEqual({ ok: true, value: { length: 0xffffffff, size: 5 } });
    expect(readLength(h('81 05'), 0)).toEqual({ ok: true, value: { length: 5, size: 2 } });
  });

  it('reads 1-3 byte tags with their class and constructed bit', () => {
    expect(readTag(h('9F 02'), 0)).toEqual({ ok: true, value: { tag: 0x9f02, size: 2 } });
    expect(readTag(h('5F 2A'), 0)).toEqual({ ok: true, value: { tag: 0x5f2a, size: 2 } });
    expect(readTag(h('DF 81 01'), 0)).toEqual({ ok: true, value: { tag: 0xdf8101, size: 3 } });
    expect([tagClass(0x6f), isConstructed(0x6f)]).toEqual(['application', true]);
    expect([tagClass(0xbf0c), isConstructed(0xbf0c)]).toEqual(['context-specific', true]);
    expect([tagClass(0x9f36), isConstructed(0x9f36)]).toEqual(['context-specific', false]);
    expect([tagClass(0xdf8101), isConstructed(0xdf8101)]).toEqual(['private', false]);
    expect(hx(encodeTag(0xdf8101))).toBe('DF8101');
    expect(() => encodeTag(0x01000000)).toThrow(RangeError);
  });
});
