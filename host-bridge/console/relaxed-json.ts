/**
 * Parses the text Espruino's E.toJS / console printer produce, which is
 * JavaScript rather than JSON: unquoted keys (`{a:1}`), `undefined`, `NaN`,
 * `Infinity`, single-quoted strings and JavaScript escapes (`\xHH`, `\a`,
 * `\v`, and octal `\0`–`\377`: Espruino's escapeCharacter in src/jsutils.c
 * writes bytes below 8 as `\0`–`\7`, and `\x0H` when an octal digit follows). The 2v25+ RESPONSE packet carries E.toJS text; the hosts that
 * Espruino ships parse it the same loose way (EspruinoWebTools uart.js
 * parseRJSON). Throws a SyntaxError naming the position on anything else.
 */

export function parseRelaxedJson(text: string): unknown {
  const p = new Parser(text);
  p.space();
  const value = p.value();
  p.space();
  if (!p.atEnd()) p.fail('unexpected text after the value');
  return value;
}

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  fail(message: string): never {
    throw new SyntaxError(`${message} at ${this.i} in ${JSON.stringify(this.s.length > 80 ? this.s.slice(0, 80) + '…' : this.s)}`);
  }

  space(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  value(): unknown {
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string();
    if (c === '[') return this.array();
    if (c === '{') return this.object();
    if (c !== undefined && /[-+0-9.]/.test(c)) return this.number();
    const word = this.word();
    switch (word) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'undefined':
        return undefined;
      case 'NaN':
        return Number.NaN;
      case 'Infinity':
        return Number.POSITIVE_INFINITY;
      default:
        return this.fail(word ? `unexpected ${JSON.stringify(word)}` : 'expected a value');
    }
  }

  private word(): string {
    const m = /^[A-Za-z_$][\w$]*/.exec(this.s.slice(this.i));
    if (!m) return '';
    this.i += m[0].length;
    return m[0];
  }

  private number(): number {
    const m = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(this.s.slice(this.i));
    if (!m) return this.fail('bad number');
    this.i += m[0].length;
    const sign = m[0].startsWith('-') ? -1 : 1;
    return sign * Number(m[0].replace(/^[-+]/, ''));
  }

  private string(): string {
    const quote = this.s[this.i++];
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) this.fail('unterminated string');
      const c = this.s[this.i++]!;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'a': out += '\x07'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': out += String.fromCharCode(this.octal(e)); break;
        case 'x': out += String.fromCharCode(this.hex(2)); break;
        case 'u': out += String.fromCharCode(this.hex(4)); break;
        case '\n': break;
        case undefined: this.fail('unterminated string'); break;
        default: out += e;
      }
    }
  }

  /** An octal escape's value: the digit read and up to two more, at most 0o377 (as a JavaScript lexer reads it). */
  private octal(first: string): number {
    let value = Number(first);
    for (let n = 0; n < 2 && /[0-7]/.test(this.s[this.i] ?? '') && value * 8 + Number(this.s[this.i]) <= 0o377; n++) value = value * 8 + Number(this.s[this.i++]);
    return value;
  }

  private hex(digits: number): number {
    const h = this.s.slice(this.i, this.i + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(h)) this.fail('bad escape');
    this.i += digits;
    return parseInt(h, 16);
  }

  private array(): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.space();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      out.push(this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private object(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    this.space();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      const c = this.s[this.i];
      let key: string;
      if (c === '"' || c === "'") key = this.string();
      else if (c !== undefined && /[0-9]/.test(c)) key = String(this.number());
      else key = this.word() || this.fail('expected a key');
      this.space();
      if (this.s[this.i++] !== ':') this.fail("expected ':'");
      this.space();
      Object.defineProperty(out, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.space();
      const next = this.s[this.i++];
      if (next === '}') return out;
      if (next !== ',') this.fail("expected ',' or '}'");
    }
  }
}
