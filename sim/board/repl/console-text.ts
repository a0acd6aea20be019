/**
 * The byte-level helpers Espruino's line editor prints with
 * (src/jsinteractive.c jsiConsolePrint*, jsiMoveCursor*, src/jsvar.c jsvGetLineAndCol).
 * All return text for the console instead of transmitting it.
 */

/** jsiConsolePrintString: every '\n' goes out as "\r\n". */
export function crlf(text: string): string {
  let at = text.indexOf('\n');
  if (at < 0) return text;
  // pieces between the newlines (every console line's output: no regular expression run)
  let out = '';
  let from = 0;
  while (at >= 0) {
    out += text.slice(from, at) + '\r\n';
    from = at + 1;
    at = text.indexOf('\n', from);
  }
  return out + text.slice(from);
}

/** src/jsvar.c jsvGetLineAndCol: 1-based line and column of character `index`. */
export function lineAndCol(text: string, index: number): { line: number; col: number } {
  let x = 1;
  let y = 1;
  const end = Math.min(index, text.length);
  for (let n = 0; n < end; n++) {
    x++;
    if (text.charCodeAt(n) === 10) {
      x = 1;
      y++;
    }
  }
  return { line: y, col: x };
}

/** jsiMoveCursor: VT100 cursor steps, columns first then lines. */
export function moveCursor(oldX: number, oldY: number, newX: number, newY: number): string {
  let out = '';
  while (oldX < newX) {
    out += '\x1b[C';
    oldX++;
  }
  while (oldX > newX) {
    out += '\x1b[D';
    oldX--;
  }
  while (oldY < newY) {
    out += '\x1b[B';
    oldY++;
  }
  while (oldY > newY) {
    out += '\x1b[A';
    oldY--;
  }
  return out;
}

/** jsiMoveCursorChar: from one character index of the input line to another. */
export function moveCursorChar(text: string, from: number, to: number): string {
  if (from === to) return '';
  const a = lineAndCol(text, from);
  const b = lineAndCol(text, to);
  return moveCursor(a.col, a.line, b.col, b.line);
}

/** jsiConsolePrintStringVarWithNewLineChar: "\r\n" for newlines, followed by `newLineCh` (the ':' continuation prompt). */
export function withNewLineChar(text: string, from: number, newLineCh: string): string {
  let out = '';
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') out += '\r';
    out += ch;
    if (ch === '\n') out += newLineCh;
  }
  return out;
}

/** jsiConsolePrintStringVarUntilEOL with andBackup: the rest of the line, a space to wipe one char, then backspaces. */
export function untilEolAndBackup(text: string, from: number): string {
  let out = '';
  let chars = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') break;
    out += ch;
    chars++;
  }
  out += ' ';
  chars++;
  return out + '\x08'.repeat(chars);
}

/** jsiConsoleEraseAfterCursor. */
export const ERASE_AFTER_CURSOR = '\x1b[J';

/** src/jsutils.c isWhitespace (tab, VT, FF, space, LF, CR). */
export function isWhitespace(ch: string | undefined): boolean {
  return ch === '\t' || ch === '\x0b' || ch === '\x0c' || ch === ' ' || ch === '\n' || ch === '\r';
}

/** jsvStringTrimRight. */
export function trimRight(text: string): string {
  let end = text.length;
  while (end > 0 && isWhitespace(text[end - 1])) end--;
  return text.slice(0, end);
}
