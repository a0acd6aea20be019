/**
 * Espruino's input line and what the terminal shows of it
 * (src/jsinteractive.c: jsiAppendStringToInputLine, jsiHandleDelete,
 * jsiHandleHome/End, jsiConsoleRemoveInputLine/ReturnInputLine, ...).
 *
 * `removed` is Espruino's inputLineRemoved: the prompt and the partial line are
 * off the screen (a line was just executed, or output was printed) and come
 * back at the end of the idle-loop pass. Echo is off for good (`echo(0)`) or
 * for one line (a line that starts with DLE, 0x10).
 */
import {
  ERASE_AFTER_CURSOR,
  isWhitespace,
  lineAndCol,
  moveCursor,
  moveCursorChar,
  untilEolAndBackup,
  withNewLineChar,
} from './console-text';

export class LineEditor {
  line = '';
  cursor = 0;
  removed = true;
  echoOff = false;
  echoOffForLine = false;

  constructor(
    private readonly out: (bytes: string) => void,
    private readonly maxLength: number,
    /** jsiPasswordProtected: the console is locked (E.lockConsole). */
    private readonly locked: () => boolean = () => false,
  ) {}

  /** jsiEcho */
  echo(): boolean {
    return !this.echoOff && !this.echoOffForLine;
  }

  /** jsiShowInputLine: never while the console is locked. */
  shown(): boolean {
    return this.echo() && !this.removed && !this.locked();
  }

  /** jsiConsoleRemoveInputLine */
  remove(): void {
    if (this.removed) return;
    this.removed = true;
    if (this.echo()) this.out(moveCursorChar(this.line, this.cursor, 0) + '\r' + ERASE_AFTER_CURSOR);
  }

  /** jsiConsoleReturnInputLine: 'password>' when locked, else '>', and the partial line (':' after each newline), cursor put back. */
  restore(): void {
    if (!this.removed) return;
    this.removed = false;
    if (this.echo()) {
      const prompt = (this.locked() ? 'password' : '') + '>';
      this.out(prompt + withNewLineChar(this.line, 0, ':') + moveCursorChar(this.line, this.line.length, this.cursor));
    }
  }

  /** jsiClearInputLine */
  clear(updateConsole: boolean): void {
    if (this.line === '') return;
    if (updateConsole) this.remove();
    this.line = '';
    this.cursor = 0;
  }

  /** jsiReplaceInputLine (history recall). */
  replace(newLine: string): void {
    if (this.shown()) this.out(moveCursorChar(this.line, this.cursor, 0) + ERASE_AFTER_CURSOR + withNewLineChar(newLine, 0, ':'));
    this.line = newLine;
    this.cursor = newLine.length;
  }

  /** jsiAppendStringToInputLine. Beyond `maxLength` characters input is dropped, as Espruino drops it when out of memory. */
  insert(str: string): void {
    if (this.line.length + str.length > this.maxLength) return;
    if (this.cursor >= this.line.length) {
      this.line += str;
    } else {
      this.line = this.line.slice(0, this.cursor) + str + this.line.slice(this.cursor);
      if (this.shown()) this.out(untilEolAndBackup(this.line, this.cursor));
    }
    this.cursor += str.length;
    if (this.shown()) this.out(str);
  }

  /** jsiHandleDelete: backspace (before the cursor) or delete (under it). */
  deleteChar(isBackspace: boolean): void {
    const l = this.line.length;
    if (isBackspace && this.cursor === 0) return;
    if (!isBackspace && this.cursor >= l) return;
    const deleteNewline = isBackspace ? this.line[this.cursor - 1] === '\n' : this.line[this.cursor] === '\n';
    if (deleteNewline && this.shown()) {
      let bytes = ERASE_AFTER_CURSOR;
      if (isBackspace) bytes += '\x08 ' + moveCursorChar(this.line, this.cursor, this.cursor - 1);
      this.out(bytes);
    }
    const p = isBackspace ? this.cursor - 1 : this.cursor;
    this.line = this.line.slice(0, p) + this.line.slice(p + 1);
    if (isBackspace) this.cursor--;
    if (this.shown()) {
      if (deleteNewline) {
        this.out(withNewLineChar(this.line, this.cursor, ':') + moveCursorChar(this.line, this.line.length, this.cursor));
      } else {
        this.out((isBackspace ? '\x08' : '') + untilEolAndBackup(this.line, this.cursor));
      }
    }
  }

  /** jsiHandleHome */
  home(): void {
    let bytes = '';
    while (this.cursor > 0 && this.line[this.cursor - 1] !== '\n') {
      bytes += '\x08';
      this.cursor--;
    }
    if (this.shown()) this.out(bytes);
  }

  /** jsiHandleEnd */
  end(): void {
    let bytes = '';
    while (this.cursor < this.line.length && this.line[this.cursor] !== '\n') {
      bytes += this.line[this.cursor];
      this.cursor++;
    }
    if (this.shown()) this.out(bytes);
  }

  left(): void {
    if (this.cursor > 0 && this.line[this.cursor - 1] !== '\n') {
      this.cursor--;
      if (this.shown()) this.out('\x1b[D');
    }
  }

  right(): void {
    if (this.cursor < this.line.length && this.line[this.cursor] !== '\n') {
      this.cursor++;
      if (this.shown()) this.out('\x1b[C');
    }
  }

  /** jsiHandleMoveUpDown: to the same column of the line above/below, as near as it exists. */
  moveUpDown(direction: number): void {
    const lines = this.line.split('\n').length;
    const from = lineAndCol(this.line, this.cursor);
    let newY = from.line + direction;
    if (newY < 1) newY = 1;
    if (newY > lines) newY = lines;
    this.cursor = indexFromLineAndCol(this.line, newY, from.col);
    const to = lineAndCol(this.line, this.cursor);
    if (this.shown()) this.out(moveCursor(from.col, from.line, to.col, to.line));
  }

  /** jsiHandlePageUpDown: start or end of the whole input. */
  pageUpDown(isDown: boolean): void {
    const from = lineAndCol(this.line, this.cursor);
    this.cursor = isDown ? this.line.length : 0;
    const to = lineAndCol(this.line, this.cursor);
    this.out(moveCursor(from.col, from.line, to.col, to.line));
  }

  /** jsiAtEndOfInputLine: only whitespace after the cursor. */
  atEnd(): boolean {
    for (let i = this.cursor; i < this.line.length; i++) if (!isWhitespace(this.line[i])) return false;
    return true;
  }

  /** The continuation branch of jsiHandleNewLine at the end of the line: "\n:" and a newline in the input. */
  continueLine(): void {
    if (this.shown()) this.out('\r\n:');
    this.line += '\n';
    this.cursor++;
  }

  /** jsiHandleNewLine when the cursor is not at the end: split the line where the cursor is. */
  splitLine(): void {
    if (this.shown()) this.out(ERASE_AFTER_CURSOR);
    this.line = this.line.slice(0, this.cursor) + '\n' + this.line.slice(this.cursor);
    if (this.shown()) this.out(withNewLineChar(this.line, this.cursor, ':') + moveCursorChar(this.line, this.line.length, this.cursor + 1));
    this.cursor++;
  }
}

/** src/jsvar.c jsvGetIndexFromLineAndCol. */
function indexFromLineAndCol(text: string, line: number, col: number): number {
  let x = 1;
  let y = 1;
  for (let n = 0; n < text.length; n++) {
    if ((y === line && x >= col) || y > line) return y > line ? n - 1 : n;
    x++;
    if (text[n] === '\n') {
      x = 1;
      y++;
    }
  }
  return text.length;
}
