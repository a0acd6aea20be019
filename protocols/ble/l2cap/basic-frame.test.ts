import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes';
import { PacketBoundary } from '../hci/packets';
import { decodeBasicFrame, EMPTY_REASSEMBLY, encodeBasicFrame, LeChannel, reassemble, toAclFragments } from './basic-frame';
import type { ReassemblyState } from './basic-frame';

const attRead = { channelId: LeChannel.ATT, payload: fromHex('0a0300') };
const longWrite = { channelId: LeChannel.ATT, payload: Uint8Array.from({ length: 60 }, (_, i) => i) };

describe('L2CAP basic frame (Core v5.4 Vol 3 Part A 3.1)', () => {
  it('puts the payload length and the channel ID before the payload', () => {
    expect(toHex(encodeBasicFrame(attRead))).toBe('030004000a0300');
    expect(decodeBasicFrame(fromHex('030004000a0300'))).toEqual({ ok: true, value: attRead });
  });

  it('uses the fixed LE channels 4 (ATT), 5 (LE signalling), 6 (SMP)', () => {
    expect(LeChannel).toEqual({ ATT: 4, LE_SIGNALING: 5, SMP: 6 });
  });

  it('refuses a frame whose length field disagrees with its payload', () => {
    expect(decodeBasicFrame(fromHex('040004000a0300'))).toMatchObject({ ok: false, error: { reason: 'length', declared: 4, got: 3 } });
    expect(decodeBasicFrame(fromHex('0300'))).toMatchObject({ ok: false, error: { reason: 'short-header' } });
  });
});

describe('fragmentation into ACL packets', () => {
  it('starts with PB 0b10 from a controller and 0b00 from a host, then continues with 0b01', () => {
    const fromController = toAclFragments(0x40, longWrite, 27, 'controller');
    expect(fromController.map((f) => [f.packetBoundary, f.data.length])).toEqual([[0b10, 27], [0b01, 27], [0b01, 10]]);
    expect(toAclFragments(0x40, longWrite, 27, 'host')[0]!.packetBoundary).toBe(PacketBoundary.FIRST_NON_FLUSHABLE);
    expect(toAclFragments(0x40, attRead, 27, 'host')).toHaveLength(1);
  });
});

describe('reassembly', () => {
  const feed = (state: ReassemblyState, fragments: { packetBoundary: 0 | 1 | 2 | 3; data: Uint8Array }[]) => {
    const frames = [];
    const errors = [];
    for (const f of fragments) {
      const step = reassemble(state, f);
      state = step.state;
      if (step.frame) frames.push(step.frame);
      if (step.error) errors.push(step.error.reason);
    }
    return { state, frames, errors };
  };

  it('gives back the frame that was fragmented, whatever the fragment size, even with a split header', () => {
    for (const size of [1, 2, 3, 5, 27, 64]) {
      const out = feed(EMPTY_REASSEMBLY, toAclFragments(0x40, longWrite, size, 'controller'));
      expect(out.frames, `size ${size}`).toEqual([longWrite]);
      expect(out.errors).toEqual([]);
      expect(out.state.received).toEqual([]);
    }
  });

  it('drops a continuation with no PDU started', () => {
    expect(feed(EMPTY_REASSEMBLY, [{ packetBoundary: 1, data: fromHex('0a0300') }]).errors).toEqual(['unexpected-continuation']);
  });

  it('drops an unfinished PDU when a new one starts, and still delivers the new one', () => {
    const [first] = toAclFragments(0x40, longWrite, 27, 'controller');
    const out = feed(EMPTY_REASSEMBLY, [first!, ...toAclFragments(0x40, attRead, 27, 'controller')]);
    expect(out.errors).toEqual(['interrupted']);
    expect(out.frames).toEqual([attRead]);
  });

  it('drops a PDU whose fragments carry more than its length field says, and a PB 0b11 fragment', () => {
    expect(feed(EMPTY_REASSEMBLY, [{ packetBoundary: 2, data: fromHex('020004000a0300') }]).errors).toEqual(['overflow']);
    expect(feed(EMPTY_REASSEMBLY, [{ packetBoundary: 3, data: fromHex('030004000a0300') }]).errors).toEqual(['boundary-flag']);
  });
});
