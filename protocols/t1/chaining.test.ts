import { describe, expect, it } from 'vitest';
import { NAD_HOST_TO_SE, decodeBlock, encodeBlock } from './block';
import { nextSendSequence, reassembleChain, segmentApdu } from './chaining';

const apdu = (n: number) => Uint8Array.from({ length: n }, (_, i) => i & 0xff);

describe('T=1 chaining (UM11225 2.1.1.2.1, 2.1.2.1; ISO/IEC 7816-3:2006 11.6.2.1)', () => {
  it('cuts an APDU into I-blocks of at most IFS bytes, M on all but the last, N(S) alternating from the given one', () => {
    const blocks = segmentApdu(apdu(600), 254, 1, NAD_HOST_TO_SE);
    expect(blocks.map((b) => [b.ns, b.more, b.inf.length])).toEqual([[1, true, 254], [0, true, 254], [1, false, 92]]);
    expect(nextSendSequence(1, blocks.length)).toBe(0);
    expect(segmentApdu(apdu(254), 254, 0, NAD_HOST_TO_SE).map((b) => [b.ns, b.more, b.inf.length])).toEqual([[0, false, 254]]);
    expect(segmentApdu(new Uint8Array(0), 32, 0, NAD_HOST_TO_SE).map((b) => [b.more, b.inf.length])).toEqual([[false, 0]]);
    expect(() => segmentApdu(apdu(10), 255, 0, NAD_HOST_TO_SE)).toThrow(RangeError);
  });

  it('joins a chain back into the APDU, through the wire encoding', () => {
    const original = apdu(1000);
    const received = segmentApdu(original, 100, 0, NAD_HOST_TO_SE).map((b) => {
      const decoded = decodeBlock(encodeBlock(b));
      if (!decoded.ok || decoded.value.type !== 'I') throw new Error('not an I-block');
      return decoded.value;
    });
    expect(reassembleChain(received)).toEqual({ ok: true, value: original });
  });

  it('refuses chains that end early, do not end, repeat N(S) or grow too long', () => {
    const blocks = segmentApdu(apdu(30), 10, 0, NAD_HOST_TO_SE);
    const kind = (chain: Parameters<typeof reassembleChain>[0], max?: number) => {
      const result = reassembleChain(chain, max);
      return result.ok ? 'ok' : `${result.error.kind}@${result.error.index}`;
    };
    expect(kind(blocks)).toBe('ok');
    expect(kind([])).toBe('empty@0');
    expect(kind(blocks.slice(0, 2))).toBe('not-ended@1');
    expect(kind([{ ...blocks[0]!, more: false }, ...blocks.slice(1)])).toBe('ended-early@0');
    expect(kind([blocks[0]!, { ...blocks[1]!, ns: 0 }, blocks[2]!])).toBe('sequence@1');
    expect(kind(blocks, 25)).toBe('too-long@2');
  });
});
