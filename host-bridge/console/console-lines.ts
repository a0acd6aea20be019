/**
 * From a raw console line (what came before a "\n") to the text a person
 * would read on a terminal, following what Espruino prints around its input
 * line (src/jsinteractive.c jsiConsoleRemoveInputLine / ReturnInputLine):
 *
 * - VT100 sequences go (`ESC [ J` erase, cursor moves, `ESC [ <n> d` hints);
 * - a CR returns to the start of the line and what follows overwrites it:
 *   Espruino erases its prompt with "\r ESC[J" before printing, so the text
 *   after the last CR is what shows;
 * - with no CR, a leading ">" is the prompt left on screen: after an
 *   echo-off (DLE) line, Espruino prints without erasing it first;
 * - other control bytes (backspaces of line editing, stray DLE/SOH) go,
 *   except RS (0x1E), which starts the strap's RPC frames (host-bridge/rpc).
 *
 * Returns undefined for lines that held nothing but the prompt or escapes.
 * Known ambiguity: with echo(0) on the board (no prompt at all), a log line
 * that itself starts with ">" loses that ">".
 */

// ESC [ params final | ESC O x | ESC x
const ESCAPES = /\x1b\[[0-9;?]*[@-~]|\x1bO.|\x1b[^[O]/g;
const CONTROLS = /[\x00-\x08\x0b-\x1d\x1f\x7f]/g;

export function cleanLine(raw: string): string | undefined {
  let text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  text = text.replace(ESCAPES, '');
  const cr = text.lastIndexOf('\r');
  if (cr >= 0) text = text.slice(cr + 1);
  else if (/^>+$/.test(text)) return undefined;
  else if (text.startsWith('>')) text = text.slice(1);
  text = text.replace(CONTROLS, '');
  return text.length > 0 ? text : undefined;
}
