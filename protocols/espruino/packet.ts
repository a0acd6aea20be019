/**
 * Espruino's packet protocol (2v25+): the bytes, both ways.
 *
 * Source: espruino/Espruino README_Protocol.md "Packet Transfer" (both the
 * 2v25 text and its 2025 rewrite), and the host implementations that define
 * the other end: EspruinoWebTools uart.js (espruinoSendPacket,
 * espruinoSendFile, espruinoReceiveFile, espruinoEval, rxDataHandler) and
 * EspruinoTools 0.1.67 core/serial.js (node_modules/espruino).
 *
 *   DLE(0x10) SOH(0x01) TYPE|LENHI LENLO DATA[len]
 *
 * The two bytes after DLE SOH are one big-endian 16-bit word: the top 3 bits
 * are the type, the low 13 bits the data length (0-8191). The board answers
 * every packet it receives with ACK (0x06) or NAK (0x15), also when a packet
 * is not complete within 1 s of its start. Its own packets (RESPONSE, DATA)
 * use the same framing, with no ACK from the host.
 *
 * Note: the README's example shows `60 19` for a 25-byte FILE_SEND and
 * `80 11` for 11 bytes of DATA: decimal lengths written as hex digits. The
 * length is binary (uart.js: `flags = data.length | type`), so these are
 * `60 19` → 0x19 = 25 (right by luck) and `80 0B` for 11 bytes.
 */
import { DLE, SOH } from './console-bytes';

/** README_Protocol.md table; names as in Espruino's PT_TYPE_* enum. */
export const PacketType = {
  /** Board → host: the answer to an EVAL packet. */
  RESPONSE: 0x0000,
  /** Host → board: evaluate, answer with a RESPONSE packet. */
  EVAL: 0x2000,
  /** Host → board: parse as JSON and emit `E.on('packet', ...)`. */
  EVENT: 0x4000,
  /** Host → board: `{fn:"filename",s:size}` before DATA packets. */
  FILE_SEND: 0x6000,
  /** Both ways: a block of file data (board → host: a zero-length DATA ends a FILE_RECV). */
  DATA: 0x8000,
  /** Host → board: `{fn:"filename"}`, answered by DATA packets and an empty DATA. */
  FILE_RECV: 0xa000,
} as const;

export type PacketTypeName = keyof typeof PacketType;

/** The header word's type bits (PT_TYPE_MASK) and length bits (PT_SIZE_MASK). */
export const PT_TYPE_MASK = 0xe000;
export const PT_SIZE_MASK = 0x1fff;
/** Most data bytes one packet holds. */
export const PT_MAX_LENGTH = PT_SIZE_MASK;
/** DLE SOH and the header word. */
export const PACKET_HEADER_BYTES = 4;
/** The board's timeout for an incomplete packet, from its start (README: "If received or timed out (after 1s)"). */
export const PACKET_TIMEOUT_MS = 1000;

export interface PacketHeader {
  /** One of PacketType's values (or an unused type: 0xC000, 0xE000). */
  type: number;
  /** Data bytes that follow. */
  length: number;
}

export function packetTypeName(type: number): PacketTypeName | undefined {
  return (Object.keys(PacketType) as PacketTypeName[]).find((k) => PacketType[k] === type);
}

/** DLE SOH and the header word for `length` data bytes of `type`. Throws RangeError above PT_MAX_LENGTH. */
export function encodePacketHeader(type: number, length: number): Uint8Array {
  if (length > PT_MAX_LENGTH) throw new RangeError(`packet data is ${length} bytes, at most ${PT_MAX_LENGTH}`);
  const word = (type & PT_TYPE_MASK) | length;
  return Uint8Array.of(DLE, SOH, word >> 8, word & 0xff);
}

/** One whole packet: header, then `data`. */
export function encodePacket(type: number, data: Uint8Array): Uint8Array {
  const packet = new Uint8Array(PACKET_HEADER_BYTES + data.length);
  packet.set(encodePacketHeader(type, data.length), 0);
  packet.set(data, PACKET_HEADER_BYTES);
  return packet;
}

/** The two header bytes after DLE SOH, as read off the wire. */
export function decodePacketHeader(high: number, low: number): PacketHeader {
  const word = ((high & 0xff) << 8) | (low & 0xff);
  return { type: word & PT_TYPE_MASK, length: word & PT_SIZE_MASK };
}
