/**
 * The control bytes of Espruino's console, host ⇄ board, with what each one
 * does. Sources: espruino/Espruino src/jsinteractive.c (jsiHandleChar, the
 * input line editor), src/jsdevices.c (jshPushIOCharEvent: Ctrl-C and flow
 * control, taken as bytes arrive), README_Protocol.md (the packet protocol's
 * ACK/NAK, 2v25+). Everything else on the console is text.
 */

/** Host → board. Ctrl-C: interrupts running code; taken as it arrives, never queued; on an empty line prints nothing (jsdevices.c). */
export const CTRL_C = 0x03;
/** Host → board. Ctrl-U: clears the input line, in order with the other bytes (jsiHandleChar). Same value as NAK, the other way. */
export const CTRL_U = 0x15;
/**
 * Host → board. DLE (Data Link Escape) as the first byte of an empty input
 * line: that line runs without echo and without its `=result` (jsiHandleChar);
 * followed by SOH it starts a packet instead (packet.ts).
 */
export const DLE = 0x10;
/** Host → board, after DLE on an empty line: a packet header follows (README_Protocol.md "Packet Transfer", 2v25+). */
export const SOH = 0x01;
/** ESC: starts an escape sequence (arrows, Home/End); ESC LF is a newline in the input that does not run the line ("Alt-Enter", jsiHandleChar). */
export const ESC = 0x1b;
export const LF = 0x0a;
/** Board → host. The board took a packet (README_Protocol.md "Responses"). */
export const ACK = 0x06;
/** Board → host. The board refused a packet, or it was not complete within the packet timeout (README_Protocol.md "Responses"). */
export const NAK = 0x15;
/** Board → host. Flow control on the UART console (on by default): XOFF, stop sending, its input buffer is nearly full; XON, go on (jsdevices.c). */
export const XOFF = 0x13;
export const XON = 0x11;

/** The same bytes as one-char latin1 strings, for code that writes console text. */
export const ConsoleChar = {
  CTRL_C: String.fromCharCode(CTRL_C),
  CTRL_U: String.fromCharCode(CTRL_U),
  DLE: String.fromCharCode(DLE),
  SOH: String.fromCharCode(SOH),
  ACK: String.fromCharCode(ACK),
  NAK: String.fromCharCode(NAK),
  XON: String.fromCharCode(XON),
  XOFF: String.fromCharCode(XOFF),
  /** A newline inside the input that does not run it (how EspruinoTools' CodeWriter sends multi-line statements). */
  ESC_LF: String.fromCharCode(ESC, LF),
} as const;
