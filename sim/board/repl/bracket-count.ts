/**
 * Whether a typed line is complete: src/jsinteractive.c jsiCountBracketsInInput.
 *
 * Espruino lexes the input line and counts `({[` minus `)}]`, stopping as soon as
 * the count goes negative. An unfinished string counts as complete ("execute
 * immediately so it can error"); an unfinished block comment or template
 * literal counts as 1000 open brackets. A newline only executes the line when
 * the result is <= 0.
 */

export const UNFINISHED_COMMENT_OR_TEMPLATE = 1000;

export function countBrackets(input: string): number {
  const lex = new Lexer(input);
  let brackets = 0;
  for (;;) {
    const tk = lex.next();
    if (tk.kind === 'eof') break;
    if (tk.kind === 'unfinished-string') return 0;
    if (tk.kind === 'unfinished-comment' || tk.kind === 'unfinished-template') return UNFINISHED_COMMENT_OR_TEMPLATE;
    if (tk.kind === 'punct') {
      if (tk.text === '(' || tk.text === '{' || tk.text === '[') brackets++;
      if (tk.text === ')' || tk.text === '}' || tk.text === ']') brackets--;
      if (brackets < 0) break; // closing bracket before opening!
    }
  }
  return brackets;
}

// ---------------------------------------------------------------------------

type TokenKind = 'eof' | 'id' | 'number' | 'string' | 'template' | 'regex' | 'punct'
  | 'unfinished-string' | 'unfinished-comment' | 'unfinished-template';

interface Token {
  kind: TokenKind;
  text: string;
}

/** Just enough of src/jslex.c to find strings, comments, templates and regexes. */
class Lexer {
  private pos = 0;
  private last: Token = { kind: 'punct', text: ';' };

  constructor(private readonly src: string) {}

  next(): Token {
    const tk = this.scan();
    if (tk.kind !== 'eof') this.last = tk;
    return tk;
  }

  private scan(): Token {
    const s = this.src;
    for (;;) {
      while (this.pos < s.length && isSpace(s.charCodeAt(this.pos))) this.pos++;
      if (this.pos >= s.length) return { kind: 'eof', text: '' };
      if (s.startsWith('//', this.pos)) {
        const nl = s.indexOf('\n', this.pos);
        this.pos = nl < 0 ? s.length : nl;
        continue;
      }
      if (s.startsWith('/*', this.pos)) {
        const end = s.indexOf('*/', this.pos + 2);
        if (end < 0) {
          this.pos = s.length;
          return { kind: 'unfinished-comment', text: '' };
        }
        this.pos = end + 2;
        continue;
      }
      break;
    }
    const start = this.pos;
    const ch = s[start]!;
    if (/[A-Za-z_$]/.test(ch) || ch.charCodeAt(0) >= 128) {
      while (this.pos < s.length && (/[A-Za-z0-9_$]/.test(s[this.pos]!) || s.charCodeAt(this.pos) >= 128)) this.pos++;
      return { kind: 'id', text: s.slice(start, this.pos) };
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(s[start + 1] ?? ''))) {
      this.pos++;
      while (this.pos < s.length && /[0-9A-Za-z._]/.test(s[this.pos]!)) this.pos++;
      return { kind: 'number', text: s.slice(start, this.pos) };
    }
    if (ch === '"' || ch === "'") return this.quoted(ch);
    if (ch === '`') return this.template();
    if (ch === '/' && this.regexAllowed()) return this.regex();
    this.pos++;
    return { kind: 'punct', text: ch };
  }

  /** A string ends at its delimiter; a raw newline or the end of input leaves it unfinished. */
  private quoted(delim: string): Token {
    const s = this.src;
    const start = this.pos++;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === '\n') break;
      this.pos++;
      if (c === delim) return { kind: 'string', text: s.slice(start, this.pos) };
    }
    return { kind: 'unfinished-string', text: s.slice(start, this.pos) };
  }

  /** A template literal is one token up to the closing backtick. */
  private template(): Token {
    const s = this.src;
    const start = this.pos++;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (c === '`') return { kind: 'template', text: s.slice(start, this.pos) };
    }
    return { kind: 'unfinished-template', text: s.slice(start) };
  }

  /** '/' starts a regex unless it follows a value (identifier, number, string, ')' or ']'). */
  private regexAllowed(): boolean {
    const t = this.last;
    if (t.kind === 'number' || t.kind === 'string' || t.kind === 'template' || t.kind === 'regex') return false;
    if (t.kind === 'id') return REGEX_AFTER_WORDS.has(t.text);
    return !(t.text === ')' || t.text === ']' || t.text === '}');
  }

  private regex(): Token {
    const s = this.src;
    const start = this.pos++;
    let inClass = false;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '\n') break;
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      this.pos++;
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) {
        while (this.pos < s.length && /[A-Za-z]/.test(s[this.pos]!)) this.pos++;
        return { kind: 'regex', text: s.slice(start, this.pos) };
      }
    }
    // Not a complete regex after all: treat the '/' as an operator.
    this.pos = start + 1;
    return { kind: 'punct', text: '/' };
  }
}

/** Reserved words after which a '/' begins a regex. */
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else']);

function isSpace(c: number): boolean {
  return c === 9 || c === 10 || c === 11 || c === 12 || c === 13 || c === 32;
}
