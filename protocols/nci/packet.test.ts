import { describe, expect, it } from 'vitest';
import { EMPTY_REASSEMBLY, MessageType, decodePacket, encodeControl, encodePacket, packetLength, reassemble, segmentMessage } from './packet';
import type { Message, Reassembly } from './packet';
import { Gid, messageName, statusName } from './identifiers';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ').toUpperCase();

describe('NCI packet headers (NCI 2.0 3.4)', () => {
  it('reads the CORE_RESET_CMD hosts send a PN7150 (NXP community, ElectronicCats PN7150 library: 20 00 01 01)', () => {
    const packet = decodePacket(h('20 00 01 01'));
    expect(packet).toEqual({ ok: true, value: { kind: 'control', mt: MessageType.COMMAND, pbf: false, gid: Gid.CORE, oid: 0, payload: h('01') } });
    expect(packet.ok && packet.value.kind === 'control' && messageName(packet.value.gid, packet.value.oid)).toBe('CORE_RESET');
    expect(hx(encodeControl(MessageType.COMMAND, Gid.CORE, 0, h('01')))).toBe('20 00 01 01');
  });

  it('reads the CORE_RESET_NTF a PN7150 sends after an internal reboot (NXP community: 60 00 06 A0 00 F7 9F 20 00)', () => {
    const packet = decodePacket(h('60 00 06 A0 00 F7 9F 20 00'));
    expect(packet.ok && packet.value).toMatchObject({ kind: 'control', mt: MessageType.NOTIFICATION, gid: 0, oid: 0 });
    expect(packet.ok && packet.value.payload.length).toBe(6);
  });

  it('codes data packet headers: MT 000, PBF, Conn ID, CR', () => {
    const data = { kind: 'data' as const, pbf: true, connId: 0, credits: 1, payload: h('00 A4 04 00') };
    expect(hx(encodePacket(data))).toBe('10 01 04 00 A4 04 00');
    expect(decodePacket(h('10 01 04 00 A4 04 00'))).toEqual({ ok: true, value: data });
    expect(decodePacket(h('03 00 02 90 00'))).toEqual({ ok: true, value: { kind: 'data', pbf: false, connId: 3, credits: 0, payload: h('90 00') } });
  });

  it('refuses packets whose length disagrees with the header, or of an RFU message type', () => {
    const kind = (hex: string) => { const p = decodePacket(h(hex)); return p.ok ? 'ok' : p.error.kind; };
    expect(kind('20 00')).toBe('truncated');
    expect(kind('20 00 02 01')).toBe('bad-length');
    expect(kind('20 00 00 01')).toBe('bad-length');
    expect(kind('80 00 00')).toBe('bad-mt');
    expect(packetLength(h('40 01 19'))).toBe(28);
    expect(packetLength(h('40'))).toBeUndefined();
  });

  it('names messages and status codes, and says when it does not know them', () => {
    expect(messageName(1, 5)).toBe('RF_INTF_ACTIVATED');
    expect(messageName(2, 1)).toBe('NFCEE_MODE_SET');
    expect(messageName(0xf, 0)).toBe('NXP_CORE_SET_POWER_MODE');
    expect(messageName(5, 0x12)).toBe('GID_5_OID_0x12');
    expect([0x00, 0x06, 0xa1, 0xc3].map(statusName)).toEqual(['STATUS_OK', 'STATUS_SEMANTIC_ERROR', 'STATUS_DISCOVERY_TARGET_ACTIVATION_FAILED', 'STATUS_NFCEE_TIMEOUT_ERROR']);
    expect(statusName(0x0e)).toBe('STATUS_RFU_0x0e');
    expect(statusName(0xe5)).toBe('STATUS_PROPRIETARY_0xe5');
  });
});

describe('segmentation and reassembly (NCI 2.0 3.5)', () => {
  const apdu: Message = { kind: 'data', connId: 0, credits: 0, payload: Uint8Array.from({ length: 600 }, (_, i) => i & 0xff) };

  it('cuts a message by the receiver\'s max payload, PBF on all but the last, and joins it back', () => {
    const packets = segmentMessage(apdu, 252);
    expect(packets.map((p) => [p[0]! & 0x10, p[2]])).toEqual([[0x10, 252], [0x10, 252], [0, 96]]);
    let state: Reassembly = EMPTY_REASSEMBLY;
    const messages: Message[] = [];
    for (const bytes of packets) {
      const packet = decodePacket(bytes);
      if (!packet.ok) throw new Error(packet.error.detail);
      const step = reassemble(state, packet.value);
      if (!step.ok) throw new Error(step.error.detail);
      state = step.state;
      if (step.message) messages.push(step.message);
    }
    expect(messages).toEqual([apdu]);
    expect(state.size).toBe(0);
  });

  it('lets a control message pass between data segments, and refuses interleaved control segments', () => {
    const packetsOf = (message: Message) => segmentMessage(message).map((b) => {
      const p = decodePacket(b);
      if (!p.ok) throw new Error(p.error.detail);
      return p.value;
    });
    const fold = (state: Reassembly, packet: Parameters<typeof reassemble>[1]) => {
      const step = reassemble(state, packet);
      if (!step.ok) throw new Error(step.error.detail);
      return step;
    };
    const [dataFirst, ...dataRest] = packetsOf(apdu);
    const [credits] = packetsOf({ kind: 'control', mt: 3, gid: 0, oid: 6, payload: h('01 00 01') });
    let step = fold(EMPTY_REASSEMBLY, dataFirst!);
    step = fold(step.state, credits!);
    expect(step.message).toEqual({ kind: 'control', mt: 3, gid: 0, oid: 6, payload: h('01 00 01') });
    for (const packet of dataRest) step = fold(step.state, packet);
    expect(step.message).toEqual(apdu);

    const [setConfigFirst] = packetsOf({ kind: 'control', mt: 1, gid: 0, oid: 2, payload: new Uint8Array(300) });
    const [getConfig] = packetsOf({ kind: 'control', mt: 1, gid: 0, oid: 3, payload: h('01 80') });
    expect(reassemble(fold(EMPTY_REASSEMBLY, setConfigFirst!).state, getConfig!)).toEqual({ ok: false, error: expect.objectContaining({ kind: 'interleaved' }) });
  });

  it('refuses payloads beyond 255 bytes in one packet', () => {
    expect(() => encodeControl(1, 0, 2, new Uint8Array(256))).toThrow(RangeError);
    expect(() => segmentMessage(apdu, 0)).toThrow(RangeError);
  });
});
