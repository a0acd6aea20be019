import { describe, expect, it } from 'vitest';
import { ACK, ConsoleChar, CTRL_C, CTRL_U, DLE, NAK, SOH, XOFF, XON } from './console-bytes';
import { decodePacketHeader, encodePacket, encodePacketHeader, PacketType, packetTypeName, PT_MAX_LENGTH } from './packet';

const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe("Espruino's packet framing (README_Protocol.md \"Packet Transfer\")", () => {
  it('lays out DLE SOH, a big-endian word of type and length, then the data', () => {
    expect([...encodePacket(PacketType.EVAL, bytes('1+2'))]).toEqual([0x10, 0x01, 0x20, 0x03, 0x31, 0x2b, 0x32]);
    // The README's FILE_SEND example: 25 bytes → 60 19.
    expect([...encodePacketHeader(PacketType.FILE_SEND, 25)]).toEqual([DLE, SOH, 0x60, 0x19]);
    // Its DATA example shows `80 11` for 11 bytes; the length is binary (uart.js): 80 0B.
    expect([...encodePacketHeader(PacketType.DATA, 11)]).toEqual([DLE, SOH, 0x80, 0x0b]);
  });

  it('holds at most 8191 data bytes (13 bits) and refuses more', () => {
    expect([...encodePacketHeader(PacketType.DATA, PT_MAX_LENGTH)].slice(2)).toEqual([0x9f, 0xff]);
    expect(() => encodePacketHeader(PacketType.DATA, PT_MAX_LENGTH + 1)).toThrow(/at most 8191/);
  });

  it('reads a header back into its type and length', () => {
    expect(decodePacketHeader(0x9f, 0xff)).toEqual({ type: PacketType.DATA, length: 8191 });
    expect(decodePacketHeader(0x00, 0x05)).toEqual({ type: PacketType.RESPONSE, length: 5 });
    expect(decodePacketHeader(0xc0, 0x01)).toEqual({ type: 0xc000, length: 1 });
  });

  it('names the types as Espruino does, and no unused type', () => {
    expect(packetTypeName(0xa000)).toBe('FILE_RECV');
    expect(packetTypeName(0xc000)).toBeUndefined();
  });
});

describe("Espruino's console control bytes", () => {
  it('are the ASCII controls jsinteractive.c and README_Protocol.md name', () => {
    expect([CTRL_C, CTRL_U, DLE, SOH, ACK, NAK, XON, XOFF]).toEqual([3, 21, 16, 1, 6, 21, 17, 19]);
    expect(ConsoleChar).toMatchObject({ CTRL_C: '\x03', CTRL_U: '\x15', DLE: '\x10', ACK: '\x06', NAK: '\x15', ESC_LF: '\x1b\n' });
  });
});
