/**
 * Console frames: the strap's half of the framed RPC (the host's half is
 * host-bridge/rpc/; host-bridge/rpc/README.md has the byte layout).
 *
 * A frame is one printed line: RS (0x1E, ASCII "record separator"), a body of
 * `|`-separated ASCII fields, `|`, then the CRC-32 of the body (E.CRC32: IEEE
 * 802.3, reflected polynomial 0xEDB88320) as 8 lower-case hex digits. RS never
 * occurs in the strap's log lines (the bundle is ASCII text) and is not one of
 * the console's own control bytes (STX/ETX reply frames, DLE, Ctrl-C/U, XON/XOFF,
 * ACK/NAK), so a host finds frames among log lines and resyncs on the next RS.
 */
export const FRAME_START = '\x1e';

/** CRC-32 of `text` as 8 lower-case hex digits (E.CRC32 may answer signed: normalised). */
export function crcHex(text: string): string {
  return ('0000000' + (E.CRC32(text) >>> 0).toString(16)).slice(-8);
}

/** Prints `body` as a frame line; returns the line so callers can print it again. */
export function printFrame(body: string): string {
  const line = FRAME_START + body + '|' + crcHex(body);
  print(line);
  return line;
}

/** JSON with every character outside printable ASCII escaped, so a frame is ASCII whatever the data holds. */
export function asciiJson(value: unknown): string {
  const text = JSON.stringify(value === undefined ? null : value);
  return text.replace(/[^ -~]/g, function (c) {
    return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
}
