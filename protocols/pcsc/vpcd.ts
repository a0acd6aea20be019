/**
 * The protocol between vsmartcard's virtual reader driver (vpcd, a pcscd
 * IFD handler) and a virtual card (vpicc) over TCP, as its documentation
 * (virtualsmartcard/doc/api.rst) and source (src/vpcd/vpcd.c) give it:
 * every message is a 2-byte big-endian length and that many bytes. A
 * 1-byte message from vpcd is a control request; anything longer is a
 * command APDU.
 *
 *   vpcd → vpicc                 vpicc → vpcd
 *   00 01 00   power off         (nothing)
 *   00 01 01   power on          (nothing)
 *   00 01 02   reset             (nothing)
 *   00 01 04   get ATR           LL LL ATR     (length 0: no card; vpcd drops the connection)
 *   LL LL APDU                   LL LL R-APDU
 *
 * vpcd listens on the reader's port (pcscd's reader.conf: DEVICENAME
 * /dev/null:PORT, CHANNELID PORT; 0x8C7B = 35963 by default) and the card
 * connects to it; a card that leaves closes the connection.
 */

export const VPCD_DEFAULT_PORT = 0x8c7b;

export const VpcdControl = { POWER_OFF: 0x00, POWER_ON: 0x01, RESET: 0x02, GET_ATR: 0x04 } as const;

export type VpcdMessage =
  | { kind: 'power-off' | 'power-on' | 'reset' | 'get-atr' }
  | { kind: 'unknown-control'; code: number }
  | { kind: 'apdu'; apdu: Uint8Array };

/** One message framed for the wire (at most 65535 bytes). */
export function encodeVpcdMessage(payload: Uint8Array): Uint8Array {
  if (payload.length > 0xffff) throw new RangeError(`a vpcd message carries at most 65535 bytes, not ${payload.length}`);
  return Uint8Array.from([payload.length >> 8, payload.length & 0xff, ...payload]);
}

/** What a message from vpcd asks. */
export function decodeVpcdMessage(payload: Uint8Array): VpcdMessage {
  if (payload.length !== 1) return { kind: 'apdu', apdu: payload.slice() };
  switch (payload[0]) {
    case VpcdControl.POWER_OFF: return { kind: 'power-off' };
    case VpcdControl.POWER_ON: return { kind: 'power-on' };
    case VpcdControl.RESET: return { kind: 'reset' };
    case VpcdControl.GET_ATR: return { kind: 'get-atr' };
    default: return { kind: 'unknown-control', code: payload[0]! };
  }
}

/** Cuts whole messages off a byte stream: the payloads, and the bytes left for the next read. */
export function splitVpcdStream(buffer: Uint8Array): { messages: Uint8Array[]; rest: Uint8Array } {
  const messages: Uint8Array[] = [];
  let at = 0;
  while (buffer.length - at >= 2) {
    const length = (buffer[at]! << 8) | buffer[at + 1]!;
    if (buffer.length - at - 2 < length) break;
    messages.push(buffer.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  return { messages, rest: buffer.slice(at) };
}
