import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes';
import { decodeAcl, decodeCommand, decodeEvent, encodeAcl, encodeCommand, encodeEvent, PacketBoundary } from './packets';
import { commandInfo, HciOpcode, opcode, splitOpcode } from './opcodes';

describe('HCI command packets (Core v5.4 Vol 4 Part E 5.4.1)', () => {
  it('make the opcode from OGF and OCF, LSB first', () => {
    expect(HciOpcode.RESET).toBe(0x0c03);
    expect(HciOpcode.LE_SET_ADVERTISING_ENABLE).toBe(0x200a);
    expect(HciOpcode.LE_ENABLE_ENCRYPTION).toBe(0x2019);
    expect(toHex(encodeCommand(HciOpcode.RESET))).toBe('030c00');
    expect(toHex(encodeCommand(HciOpcode.LE_SET_ADVERTISING_ENABLE, Uint8Array.of(1)))).toBe('0a200101');
    expect(splitOpcode(0x200a)).toEqual({ ogf: 0x08, ocf: 0x00a });
    expect(() => opcode(0x40, 0)).toThrow(RangeError);
  });

  it('decode, and refuse a length that disagrees with the header', () => {
    expect(decodeCommand(fromHex('0a200101'))).toEqual({ ok: true, value: { opcode: 0x200a, parameters: Uint8Array.of(1) } });
    expect(decodeCommand(fromHex('0a2002 01'))).toMatchObject({ ok: false, error: { reason: 'length', declared: 2, got: 1 } });
    expect(decodeCommand(fromHex('0a20'))).toMatchObject({ ok: false, error: { reason: 'short-header', packet: 'command' } });
  });

  it('know which commands a controller answers with Command Status rather than Command Complete', () => {
    expect(commandInfo(HciOpcode.LE_CREATE_CONNECTION)).toMatchObject({ name: 'LE_CREATE_CONNECTION', answer: 'status', section: '7.8.12' });
    expect(commandInfo(HciOpcode.LE_ENABLE_ENCRYPTION)?.answer).toBe('status');
    expect(commandInfo(HciOpcode.DISCONNECT)?.answer).toBe('status');
    expect(commandInfo(HciOpcode.LE_LONG_TERM_KEY_REQUEST_REPLY)?.answer).toBe('complete');
    expect(commandInfo(0xfc01)).toBeUndefined();
  });
});

describe('HCI event packets (Vol 4 Part E 5.4.4)', () => {
  it('encode and decode code, length and parameters', () => {
    expect(toHex(encodeEvent(0x0e, fromHex('01030c00')))).toBe('0e0401030c00');
    expect(decodeEvent(fromHex('0e0401030c00'))).toEqual({ ok: true, value: { code: 0x0e, parameters: fromHex('01030c00') } });
    expect(decodeEvent(fromHex('0e05 01030c00'))).toMatchObject({ ok: false, error: { reason: 'length', packet: 'event' } });
  });
});

describe('HCI ACL data packets (Vol 4 Part E 5.4.2)', () => {
  it('pack handle, packet boundary and broadcast flags into the first word', () => {
    const first = encodeAcl({ handle: 0x040, packetBoundary: PacketBoundary.FIRST_FLUSHABLE, broadcast: 0, data: fromHex('0300040a0300') });
    expect(toHex(first)).toBe('402006000300040a0300');
    const hostFirst = encodeAcl({ handle: 0x040, packetBoundary: PacketBoundary.FIRST_NON_FLUSHABLE, broadcast: 0, data: new Uint8Array(0) });
    expect(toHex(hostFirst)).toBe('40000000');
    const continuation = encodeAcl({ handle: 0xeff, packetBoundary: PacketBoundary.CONTINUING_FRAGMENT, broadcast: 1, data: Uint8Array.of(9) });
    expect(toHex(continuation)).toBe('ff5e010009');
  });

  it('decode the flags back and refuse a data length that disagrees', () => {
    expect(decodeAcl(fromHex('ff5e010009'))).toEqual({ ok: true, value: { handle: 0xeff, packetBoundary: 1, broadcast: 1, data: Uint8Array.of(9) } });
    expect(decodeAcl(fromHex('40200200aa'))).toMatchObject({ ok: false, error: { reason: 'length', declared: 2, got: 1 } });
    expect(decodeAcl(fromHex('4020'))).toMatchObject({ ok: false, error: { reason: 'short-header', packet: 'acl' } });
  });

  it('refuse to encode a reserved handle or a flag wider than two bits', () => {
    expect(() => encodeAcl({ handle: 0xf00, packetBoundary: 0, broadcast: 0, data: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => encodeAcl({ handle: 1, packetBoundary: 4 as never, broadcast: 0, data: new Uint8Array(0) })).toThrow(RangeError);
  });
});
