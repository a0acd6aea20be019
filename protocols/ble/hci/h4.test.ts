import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes';
import { decodeH4, encodeH4, H4PacketType, H4Splitter } from './h4';

// An HCI Reset command, its Command Complete, and an ACL packet carrying an
// ATT Read Request (handle 0x0003) on connection 0x0040 (Vol 4 Part E 5.4).
const reset = fromHex('01 030c00');
const resetComplete = fromHex('04 0e04 01 030c 00');
const aclRead = fromHex('02 4020 0700 0300 0400 0a 0300');
const stream = Uint8Array.from([...reset, ...resetComplete, ...aclRead]);

describe('H4 framing (Core v5.4 Vol 4 Part A 2)', () => {
  it('puts the packet type octet before the HCI packet', () => {
    expect(toHex(encodeH4(H4PacketType.COMMAND, fromHex('030c00')))).toBe('01030c00');
  });

  it('reads one whole packet back and refuses one whose header disagrees with its length', () => {
    expect(decodeH4(resetComplete)).toEqual({ ok: true, value: { type: H4PacketType.EVENT, packet: resetComplete.slice(1) } });
    expect(decodeH4(resetComplete.slice(0, -1))).toMatchObject({ ok: false, error: { reason: 'length', expected: 6, got: 5 } });
    expect(decodeH4(fromHex('09 00'))).toMatchObject({ ok: false, error: { reason: 'unknown-packet-type', type: 9 } });
    expect(decodeH4(new Uint8Array(0))).toMatchObject({ ok: false, error: { reason: 'empty' } });
  });
});

describe('H4Splitter', () => {
  it('gives the same whole packets whatever the chunking', () => {
    const whole = new H4Splitter().push(stream).packets;
    expect(whole.map((p) => p.type)).toEqual([1, 4, 2]);
    expect(toHex(whole[2]!.packet)).toBe(toHex(aclRead.slice(1)));
    for (const size of [1, 2, 3, 5, 7]) {
      const splitter = new H4Splitter();
      const got = [];
      for (let at = 0; at < stream.length; at += size) got.push(...splitter.push(stream.slice(at, at + size)).packets);
      expect(got).toEqual(whole);
      expect(splitter.buffered).toBe(0);
    }
  });

  it('holds an incomplete packet until its last octet arrives', () => {
    const splitter = new H4Splitter();
    expect(splitter.push(aclRead.slice(0, 4)).packets).toEqual([]);
    expect(splitter.buffered).toBe(4);
    expect(splitter.push(aclRead.slice(4)).packets).toHaveLength(1);
  });

  it('reads the 14-bit length of an ISO data packet (Vol 4 Part E 5.4.5)', () => {
    const iso = fromHex('05 0100 02c0 aabb'); // length word 0xc002: top two bits are RFU
    expect(new H4Splitter().push(iso).packets).toEqual([{ type: H4PacketType.ISO_DATA, packet: iso.slice(1) }]);
  });

  it('stops at an unknown packet type with a typed error, keeping the packets before it', () => {
    const splitter = new H4Splitter();
    const out = splitter.push(Uint8Array.from([...reset, 0x07, 0x00]));
    expect(out.packets).toHaveLength(1);
    expect(out.error).toMatchObject({ reason: 'unknown-packet-type', type: 7, offset: 4 });
    expect(out.error?.message).toMatch(/unknown packet type 0x07 at stream offset 4/);
  });

  it('counts the error offset across chunks and refuses everything after it until reset', () => {
    const splitter = new H4Splitter();
    splitter.push(reset);
    expect(splitter.push(fromHex('ff')).error).toMatchObject({ offset: 4 });
    expect(splitter.push(reset)).toMatchObject({ packets: [], error: { reason: 'unknown-packet-type' } });
    splitter.reset();
    expect(splitter.push(reset)).toEqual({ packets: [{ type: 1, packet: reset.slice(1) }] });
  });
});
