import { describe, expect, it } from 'vitest';
import { NAD_HOST_TO_SE, NAD_SE_TO_HOST, crc16X25, decodeBlock, encodeBlock, encodePcb, rBlockErrorFor } from './block';
import type { Block } from './block';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ').toUpperCase();

describe('T=1 over I2C blocks (NXP UM11225 rev 1.2, 2.1.1)', () => {
  it('computes CRC-16/X-25 (reveng catalogue check value 906E for "123456789")', () => {
    expect(crc16X25(new TextEncoder().encode('123456789'))).toBe(0x906e);
  });

  it('reads a frame a host sent a real SE050 (NXP community, "SE050 evaluation with S32K148 board"): a chained I-block', () => {
    // The host set PCB '20' (M = 1), so the SE took the GET VERSION APDU for the first of a chain...
    const sent = decodeBlock(h('5A 20 05 80 04 00 20 09 66 AA'), { expectNad: NAD_HOST_TO_SE });
    expect(sent).toEqual({ ok: true, value: { type: 'I', nad: 0x5a, ns: 0, more: true, inf: h('80 04 00 20 09') } });
    // ...and acknowledged it with R(N(R) = 1), asking for the next block: the SE's answer in the same thread.
    const answer = decodeBlock(h('A5 90 00 FB E9'), { expectNad: NAD_SE_TO_HOST });
    expect(answer).toEqual({ ok: true, value: { type: 'R', nad: 0xa5, nr: 1, error: 'none' } });
  });

  it('encodes the same frames byte for byte, and the interface soft reset NXP community posts show (5A CF 00 37 7F)', () => {
    expect(hx(encodeBlock({ type: 'I', nad: NAD_HOST_TO_SE, ns: 0, more: true, inf: h('80 04 00 20 09') }))).toBe('5A 20 05 80 04 00 20 09 66 AA');
    expect(hx(encodeBlock({ type: 'R', nad: NAD_SE_TO_HOST, nr: 1, error: 'none' }))).toBe('A5 90 00 FB E9');
    expect(hx(encodeBlock({ type: 'S', nad: NAD_HOST_TO_SE, kind: 'soft-reset', response: false, inf: new Uint8Array(0) }))).toBe('5A CF 00 37 7F');
  });

  it('refuses a frame with one byte changed as a CRC error, answered by R(CRC error)', () => {
    const frame = h('5A 20 05 80 04 00 20 09 66 AA');
    for (let i = 0; i < frame.length; i++) {
      const mutated = frame.slice();
      mutated[i]! ^= 0x01;
      const decoded = decodeBlock(mutated);
      expect(decoded.ok, `byte ${i}`).toBe(false);
    }
    const mutated = frame.slice();
    mutated[4] = 0x05;
    const decoded = decodeBlock(mutated);
    expect(!decoded.ok && decoded.error.kind).toBe('bad-crc');
    expect(!decoded.ok && rBlockErrorFor(decoded.error.kind)).toBe('crc');
  });

  it('codes every PCB of UM11225 2.1.1.2 (I: 0 N(S) M; R: 100 N(R) 00 EE; S: 11 response type)', () => {
    const nad = NAD_HOST_TO_SE;
    const none = new Uint8Array(0);
    const pcbs: Array<[Block, number]> = [
      [{ type: 'I', nad, ns: 0, more: false, inf: none }, 0x00],
      [{ type: 'I', nad, ns: 1, more: false, inf: none }, 0x40],
      [{ type: 'I', nad, ns: 1, more: true, inf: none }, 0x60],
      [{ type: 'R', nad, nr: 0, error: 'none' }, 0x80],
      [{ type: 'R', nad, nr: 1, error: 'crc' }, 0x91],
      [{ type: 'R', nad, nr: 0, error: 'other' }, 0x82],
      [{ type: 'S', nad, kind: 'resynch', response: false, inf: none }, 0xc0],
      [{ type: 'S', nad, kind: 'resynch', response: true, inf: none }, 0xe0],
      [{ type: 'S', nad, kind: 'ifs', response: false, inf: h('FE') }, 0xc1],
      [{ type: 'S', nad, kind: 'abort', response: true, inf: none }, 0xe2],
      [{ type: 'S', nad, kind: 'wtx', response: false, inf: h('01') }, 0xc3],
      [{ type: 'S', nad, kind: 'wtx', response: true, inf: h('01') }, 0xe3],
      [{ type: 'S', nad, kind: 'end-of-apdu-session', response: false, inf: none }, 0xc5],
      [{ type: 'S', nad, kind: 'chip-reset', response: false, inf: none }, 0xc6],
      [{ type: 'S', nad, kind: 'get-atr', response: false, inf: none }, 0xc7],
      [{ type: 'S', nad, kind: 'soft-reset', response: true, inf: h('00 A0 00 00 03 96') }, 0xef],
    ];
    for (const [block, pcb] of pcbs) {
      expect(encodePcb(block), JSON.stringify(block.type === 'S' ? block.kind : block)).toBe(pcb);
      expect(decodeBlock(encodeBlock(block))).toEqual({ ok: true, value: block });
    }
  });

  it('refuses unknown PCBs, LEN that does not match, and a wrong NAD, with typed errors', () => {
    const kinds = (frame: Uint8Array, nad?: number) => {
      const decoded = decodeBlock(frame, nad === undefined ? {} : { expectNad: nad });
      return decoded.ok ? 'ok' : decoded.error.kind;
    };
    const withCrc = (hex: string) => {
      const body = h(hex);
      const crc = crc16X25(body);
      return Uint8Array.from([...body, crc & 0xff, crc >> 8]);
    };
    expect(kinds(withCrc('5A C4 00'))).toBe('unknown-pcb'); // S-block type 04 is not in Table 10
    expect(kinds(withCrc('5A 01 00'))).toBe('unknown-pcb'); // I-block RFU bit
    expect(kinds(withCrc('5A A0 00'))).toBe('unknown-pcb'); // R-block b6
    expect(kinds(withCrc('5A 80 01 00'))).toBe('bad-len'); // R-block with INF
    expect(kinds(withCrc('5A C3 00'))).toBe('bad-len'); // WTX request without its multiplier
    expect(kinds(withCrc('5A 00 03 00 A4'))).toBe('bad-len'); // LEN 3, two INF bytes
    expect(kinds(withCrc('5A 00 FF'))).toBe('bad-len');
    expect(kinds(h('5A 00'))).toBe('truncated');
    expect(kinds(withCrc('A5 00 00'), NAD_HOST_TO_SE)).toBe('bad-nad');
    expect(rBlockErrorFor('unknown-pcb')).toBe('other');
    expect(() => encodeBlock({ type: 'I', nad: 0x5a, ns: 0, more: false, inf: new Uint8Array(255) })).toThrow(RangeError);
  });
});
