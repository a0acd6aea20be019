import { describe, expect, it } from 'vitest';
import { decodeLlControl, encodeLlControl } from './control-pdu';

describe('LL control PDUs (Vol 6 Part B 2.4.2)', () => {
  it('lays out LL_TERMINATE_IND as opcode 0x02 then the error code', () => {
    expect(encodeLlControl({ name: 'TERMINATE_IND', errorCode: 0x13 })).toEqual(Uint8Array.of(0x02, 0x13));
  });

  it('lays out LL_ENC_REQ as 23 octets: opcode, Rand, EDIV, SKDm, IVm', () => {
    const pdu = encodeLlControl({ name: 'ENC_REQ', rand: new Uint8Array(8).fill(1), ediv: 0x1234, skdm: new Uint8Array(8).fill(2), ivm: new Uint8Array(4).fill(3) });
    expect(pdu.length).toBe(23);
    expect([pdu[0], pdu[9], pdu[10]]).toEqual([0x03, 0x34, 0x12]);
  });

  it('decodes what it encodes', () => {
    const update = { name: 'CONNECTION_UPDATE_IND', winSize: 1, winOffset: 0, interval: 24, latency: 0, timeout: 400, instant: 7 } as const;
    expect(decodeLlControl(encodeLlControl(update))).toEqual({ ok: true, value: update });
  });

  it('answers an unknown opcode and a short PDU with errors, not throws', () => {
    expect(decodeLlControl(Uint8Array.of(0x7f))).toMatchObject({ ok: false, error: { reason: 'unknown-opcode', opcode: 0x7f } });
    expect(decodeLlControl(Uint8Array.of(0x02))).toMatchObject({ ok: false, error: { reason: 'length' } });
    expect(decodeLlControl(new Uint8Array(0))).toMatchObject({ ok: false, error: { reason: 'unknown-opcode' } });
  });
});
