/**
 * What a locked console does with each byte (E.setPassword / E.lockConsole;
 * src/jsinteractive.c, the JSIS_PASSWORD_PROTECTED branch at the top of
 * jsiHandleChar), byte for byte:
 *
 * - CR or LF: the line is compared with the password (jsvCompareString, exact)
 *   and cleared without touching the screen. Wrong: `\r\n  Invalid password\r\npassword>`.
 *   Right: `\r\n  Logged in.\r\n`, then the prompt `>` comes back.
 * - any other byte (ESC, DLE, Backspace, … included) is appended to the line,
 *   unechoed, while it is shorter than 20 bytes; the cursor does not move
 *   (jsiAppendToInputLine). Nothing else happens: no line editing, no
 *   history, no packets, no line ever runs.
 * - Ctrl-C does nothing (jsiCtrlC returns while password protected).
 *
 * The prompt is `password>` (jsiConsoleReturnInputLine) and, as there, a
 * prompt redraw (after firmware output) prints what has been typed so far.
 * Output uses jsiConsolePrint's "\n" → "\r\n".
 */
import type { PasswordLock } from '../console/console-contract';
import type { LineEditor } from './line-editor';

/** jsiHandleChar keeps at most this many bytes of a password line. */
export const PASSWORD_LINE_MAX = 20;

export function passwordLineChar(ch: number, editor: LineEditor, lock: PasswordLock, out: (bytes: string) => void): void {
  if (ch === 13 || ch === 10) {
    const unlocked = lock.tryPassword(editor.line);
    editor.line = '';
    editor.cursor = 0;
    if (!unlocked) {
      out('\r\n  Invalid password\r\npassword>');
    } else {
      out('\r\n  Logged in.\r\n');
      editor.removed = true;
      editor.restore();
    }
    return;
  }
  if (editor.line.length < PASSWORD_LINE_MAX) editor.line += String.fromCharCode(ch);
}
