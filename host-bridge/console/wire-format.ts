/**
 * The bytes of the host ⇄ board console conversation, host side.
 *
 * Reply frames (our convention, printed by the board in text mode):
 *
 *   STX(0x02) id tag payload ETX(0x03) id        then the board's "\r\n"
 *
 * `id` is FRAME_ID_LENGTH chars of [0-9a-z], the same at both ends, so a
 * frame torn by noise or a reset is recognised as broken; `tag` is '=' (the
 * payload is JSON.stringify of a value, or `undefined`) or '.' (a sync mark,
 * empty payload). The payload never holds a raw control byte: Espruino's
 * JSON.stringify escapes every char below 0x20 as \u00XX (2v05+, "JSON
 * subset of escape characters"). The board prints the frame from JS source
 * in which STX/ETX are written as "\x02"/"\x03" escapes, so neither the
 * console's echo nor an error report quoting the source line can fake one.
 *
 * Espruino packets (2v25+, README_Protocol.md "Packet Transfer"):
 *
 *   DLE(0x10) SOH(0x01) TYPE|LENHI LENLO DATA[len]     (13-bit length, 3-bit type)
 *
 * answered by ACK (0x06) or NAK (0x15). XON (0x11) / XOFF (0x13) are
 * Espruino's flow control on its UART console (on by default).
 */

export const STX = 0x02;
export const ETX = 0x03;
export const DLE = 0x10;
export const SOH = 0x01;
export const ACK = 0x06;
export const NAK = 0x15;
export const XON = 0x11;
export const XOFF = 0x13;
/** Ctrl-C: interrupts running code; on an empty line prints nothing (src/jsdevices.c). */
export const CTRL_C = '\x03';
/** Ctrl-U: clears the input line, in order with the other bytes (jsiHandleChar, README_Protocol.md). */
export const CTRL_U = '\x15';
/** ESC LF: a newline in the input that does not execute the line ("Alt-Enter"). */
export const ESC_LF = '\x1b\n';

export const FRAME_ID_LENGTH = 6;
export const FRAME_VALUE = '=';
export const FRAME_SYNC = '.';

/** README_Protocol.md packet types (Espruino's PT_TYPE_*). */
export const PacketType = {
  RESPONSE: 0x0000,
  EVAL: 0x2000,
  EVENT: 0x4000,
  FILE_SEND: 0x6000,
  DATA: 0x8000,
  FILE_RECV: 0xa000,
} as const;
export const PT_TYPE_MASK = 0xe000;
export const PT_SIZE_MASK = 0x1fff;
export const PT_MAX_LENGTH = 0x1fff;

export function packetTypeName(type: number): string {
  const name = Object.entries(PacketType).find(([, v]) => v === type)?.[0];
  return name ?? `0x${type.toString(16)}`;
}

/** One host → board packet. */
export function encodePacket(type: number, data: Buffer): Buffer {
  if (data.length > PT_MAX_LENGTH) throw new RangeError(`packet data is ${data.length} bytes; a packet holds at most ${PT_MAX_LENGTH}`);
  const word = (type & PT_TYPE_MASK) | data.length;
  return Buffer.concat([Buffer.from([DLE, SOH, word >> 8, word & 0xff]), data]);
}

/** Bytes shown in messages: printable ASCII as is, the rest escaped, cut to `max` chars. */
export function showBytes(bytes: string, max = 120): string {
  const cut = bytes.length > max ? bytes.slice(-max) : bytes;
  const shown = JSON.stringify(cut).slice(1, -1);
  return (bytes.length > max ? '…' : '') + shown;
}
