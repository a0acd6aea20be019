/**
 * Lines simple enough to need no parser: one call or property chain on
 * names and literals, as hosts type them (`strap.rpc("…")`,
 * `strap.status()`, `E.getErrorFlags()`). Such a line has nothing Espruino
 * refuses (syntax-gate.ts), no loop or function for the busy-loop guard
 * (loop-guard.ts) and is a single statement, so the gate and the program
 * compiler take it as acorn would without parsing it (a busy day is ten
 * thousand such lines: acorn's parse was a sixth of their cost).
 *
 * The recogniser accepts only what certainly parses, and as one
 * ExpressionStatement: printable ASCII on one line, names that are no
 * reserved word, strings with the escapes below (and `\xHH`), plain decimal numbers.
 * Anything else goes to acorn. simple-line.test.ts holds it to acorn's answer.
 *
 *   line  := ws chain ws [';' ws]
 *   chain := name { ws '.' ws name | ws '(' ws [arg { ws ',' ws arg }] ws ')' }
 *   arg   := chain | string | number
 */

/** Offsets of the line's one statement (its text is `source.slice(start, end)`), or undefined. */
export interface SimpleStatement {
  start: number;
  end: number;
  /** The statement's last string literal when nothing but `)`, spaces and `;` follows it: offsets in `source` (quotes included) and its value. */
  trailing?: { start: number; end: number; value: string };
}

const MAX_DEPTH = 16;

/** Words a name may not be (reserved words, literals, and contextual words acorn treats apart). */
const WORDS = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package ' +
    'private protected public await async of get set eval arguments'
  ).split(' '),
);

let last: { source: string; statement: SimpleStatement | undefined } | undefined;

/** The line's one statement when the line is simple (see the module comment). The last answer is kept: the gate asks, then the compiler. */
export function simpleStatement(source: string): SimpleStatement | undefined {
  if (last?.source !== source) last = { source, statement: recognise(source) };
  return last.statement;
}

function recognise(source: string): SimpleStatement | undefined {
  if (source.length > 4096) return undefined;
  const scan = new Scan(source);
  scan.space();
  const start = scan.pos;
  if (!scan.chain(0)) return undefined;
  let end = scan.pos;
  scan.space();
  if (scan.peek() === SEMICOLON) {
    scan.pos++;
    end = scan.pos;
    scan.space();
  }
  if (scan.pos !== source.length) return undefined;
  const last = scan.lastString;
  if (last < 0) return { start, end };
  const close = scan.lastStringEnd;
  for (let i = close; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c !== CLOSE && c !== SPACE && c !== TAB && c !== SEMICOLON) return { start, end };
  }
  return { start, end, trailing: { start: last, end: close, value: stringValue(source, last, close) } };
}

const ESCAPED: Record<number, string> = { 110: '\n', 114: '\r', 116: '\t', 98: '\b', 102: '\f', 118: '\v' };

/** The value of a string literal the recogniser accepted (quotes at `start` and `end - 1`). */
function stringValue(source: string, start: number, end: number): string {
  const body = source.slice(start + 1, end - 1);
  if (body.indexOf('\\') < 0) return body;
  let value = '';
  let from = 0;
  for (let i = body.indexOf('\\'); i >= 0; i = body.indexOf('\\', from)) {
    const e = body.charCodeAt(i + 1);
    if (e === 120) {
      value += body.slice(from, i) + String.fromCharCode(parseInt(body.slice(i + 2, i + 4), 16));
      from = i + 4;
      continue;
    }
    value += body.slice(from, i) + (ESCAPED[e] ?? body[i + 1]);
    from = i + 2;
  }
  return value + body.slice(from);
}

const SPACE = 32;
const TAB = 9;
const SEMICOLON = 59;
const DOT = 46;
const OPEN = 40;
const CLOSE = 41;
const COMMA = 44;
const BACKSLASH = 92;

class Scan {
  pos = 0;
  /** Where the last string literal scanned starts and ends (-1: none). */
  lastString = -1;
  lastStringEnd = -1;
  constructor(private readonly s: string) {}

  peek(): number {
    return this.pos < this.s.length ? this.s.charCodeAt(this.pos) : -1;
  }

  space(): void {
    let c = this.peek();
    while (c === SPACE || c === TAB) {
      this.pos++;
      c = this.peek();
    }
  }

  /** The end of the chain `pos` starts (a name first), or false. */
  chain(depth: number): boolean {
    if (depth > MAX_DEPTH || !this.name()) return false;
    for (;;) {
      const before = this.pos;
      this.space();
      const c = this.peek();
      if (c === DOT) {
        this.pos++;
        this.space();
        if (!this.name()) return false;
      } else if (c === OPEN) {
        this.pos++;
        if (!this.args(depth)) return false;
      } else {
        this.pos = before;
        return true;
      }
    }
  }

  private args(depth: number): boolean {
    this.space();
    if (this.peek() === CLOSE) {
      this.pos++;
      return true;
    }
    for (;;) {
      if (!this.arg(depth)) return false;
      this.space();
      const c = this.peek();
      this.pos++;
      if (c === CLOSE) return true;
      if (c !== COMMA) return false;
      this.space();
    }
  }

  private arg(depth: number): boolean {
    const c = this.peek();
    if (c === 34 || c === 39) return this.string(c);
    if (c >= 48 && c <= 57) return this.number();
    return this.chain(depth + 1);
  }

  private name(): boolean {
    const from = this.pos;
    if (!isNameStart(this.peek())) return false;
    this.pos++;
    while (isNamePart(this.peek())) this.pos++;
    // every word is 2 to 10 lower-case letters: most names need no look-up
    const length = this.pos - from;
    const first = this.s.charCodeAt(from);
    if (length < 2 || length > 10 || first < 97 || first > 122) return true;
    return !WORDS.has(this.s.slice(from, this.pos));
  }

  /** A string of printable ASCII; escapes \\ \' \" \n \r \t \b \f \v and \xHH only. */
  private string(quote: number): boolean {
    const from = this.pos;
    this.pos++;
    for (;;) {
      const c = this.peek();
      this.pos++;
      if (c === quote) {
        this.lastString = from;
        this.lastStringEnd = this.pos;
        return true;
      }
      if (c === BACKSLASH) {
        const e = this.peek();
        this.pos++;
        // \xHH (what a host's sync line carries: `print("\x02…")`)
        if (e === 120) {
          if (!isHex(this.peek()) || !isHex(this.s.charCodeAt(this.pos + 1))) return false;
          this.pos += 2;
          continue;
        }
        // \\ \' \" \n \r \t \b \f \v
        if (e !== BACKSLASH && e !== 39 && e !== 34 && e !== 110 && e !== 114 && e !== 116 && e !== 98 && e !== 102 && e !== 118) return false;
      } else if (c < 32 || c > 126) return false;
    }
  }

  /** 0, or a digit 1-9 and digits; then .digits, then e[+-]digits; no name, digit or dot right after. */
  private number(): boolean {
    if (this.peek() === 48) this.pos++;
    else while (isDigit(this.peek())) this.pos++;
    if (this.peek() === DOT) {
      this.pos++;
      if (!isDigit(this.peek())) return false;
      while (isDigit(this.peek())) this.pos++;
    }
    const e = this.peek();
    if (e === 101 || e === 69) {
      this.pos++;
      const sign = this.peek();
      if (sign === 43 || sign === 45) this.pos++;
      if (!isDigit(this.peek())) return false;
      while (isDigit(this.peek())) this.pos++;
    }
    const next = this.peek();
    return !isNamePart(next) && next !== DOT && next !== BACKSLASH;
  }
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}
