/**
 * The console client's reply frames, host side. Espruino's own control bytes
 * and its packets are protocols/espruino/ (console-bytes.ts, packet.ts).
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
 * (Board → host only: host → board, 0x03 is Ctrl-C.)
 */

export const STX = 0x02;
export const ETX = 0x03;

export const FRAME_ID_LENGTH = 6;
export const FRAME_VALUE = '=';
export const FRAME_SYNC = '.';

/** Bytes shown in messages: printable ASCII as is, the rest escaped, cut to `max` chars. */
export function showBytes(bytes: string, max = 120): string {
  const cut = bytes.length > max ? bytes.slice(-max) : bytes;
  const shown = JSON.stringify(cut).slice(1, -1);
  return (bytes.length > max ? '…' : '') + shown;
}
