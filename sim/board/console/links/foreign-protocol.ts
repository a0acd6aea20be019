/**
 * Refuses other protocols on a console link, so that a web page cannot make
 * a browser run code on the board (a cross-protocol request: `fetch` or a
 * form POST to http://127.0.0.1:PORT sends an HTTP request whose body lines
 * the console would run).
 *
 * Redis answers the same attack by aborting a connection whose command is
 * `POST` or `Host:` ("Possible SECURITY ATTACK detected", its
 * securityWarningCommand); it checks each command as it runs, so a request
 * that puts commands before those words gets them run. Here the check sits
 * in front of the console, on the bytes themselves, before any of them reach
 * the REPL:
 *
 * 1. The opening of a connection is held back until it is decided. It is
 *    refused when it starts like
 *    - TLS: a handshake record, 0x16 then major version 0x03 (RFC 8446 5.1;
 *      every SSL 3.0 – TLS 1.3 ClientHello);
 *    - an HTTP request line: `TOKEN SP TARGET SP HTTP/<digit>` (RFC 9112
 *      3: method, request-target, version; `PRI * HTTP/2.0` too), decided as
 *      soon as `HTTP/` and a digit arrive; or an opening line of more than
 *      8 KiB that still could be one;
 *    - an HTTP header line (below).
 *    Anything else (`\n`, Ctrl-C, DLE, `print(…`, `var x =`) is a console
 *    host: the held bytes go on, and from then on bytes pass as they come.
 *    An opening still undecided after a short wait (the link's grace
 *    period) is released as console input (`release()`). A browser always
 *    sends its request line first, in one write, so no line of a browser's
 *    request ever reaches the REPL.
 * 2. After that, a complete line that is an HTTP request header a browser
 *    sends (`Host:`, `Origin:`, `Content-Type:`, `Sec-Fetch-…:` …, at the
 *    very start of the line) refuses the connection at its line end: the
 *    line end is not passed on (so the line never runs) and a Ctrl-U
 *    clears what the REPL holds of it. Such a line is a labelled statement,
 *    which Espruino-subset code never contains. Packet data (DLE SOH, a
 *    2-byte header, then that many bytes) is skipped, so a file upload that
 *    contains such text is not refused.
 */
import { CTRL_U, DLE, SOH } from '../../../../protocols/espruino/console-bytes';

export type ForeignProtocol = 'tls' | 'http-request' | 'http-header';

export interface GuardResult {
  /** Bytes for the console, in order. */
  forward: string;
  /** Set when the connection must be closed: what it spoke. */
  refused?: ForeignProtocol;
  /** The line that decided it (latin1, at most 80 chars), for the note. */
  evidence?: string;
}

/** An opening line this long that still looks like a request line is refused. */
export const MAX_OPENING_BYTES = 8192;

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const REQUEST_LINE_DECIDED = new RegExp(`^${TOKEN} [^ \\r\\n]+ HTTP/[0-9]`);
const REQUEST_LINE_PREFIX = new RegExp(`^${TOKEN}( [^ \\r\\n]*( (H(T(T(P(/)?)?)?)?)?)?)?$`);

/** Request headers browsers send (fetch, forms, navigation, WebSocket), case-insensitive. */
const HEADER_NAMES = [
  'host', 'origin', 'referer', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'content-type',
  'content-length', 'connection', 'cookie', 'upgrade', 'upgrade-insecure-requests', 'cache-control', 'pragma',
  'priority', 'transfer-encoding', 'te', 'authorization', 'dnt', 'if-none-match', 'if-modified-since',
  'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'sec-fetch-user', 'sec-ch-ua', 'sec-ch-ua-mobile',
  'sec-ch-ua-platform', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol',
  'sec-websocket-extensions', 'access-control-request-method', 'access-control-request-headers',
];
const HEADER_LINE = new RegExp(`^(${HEADER_NAMES.join('|')})[ \\t]*:`, 'i');

/** Longest line start kept for the header check (the longest name, spaces and the colon fit). */
const LINE_KEPT = 48;

export class ForeignProtocolGuard {
  private opening = '';
  private decided = false;
  private refusedAs: ForeignProtocol | undefined;
  /** Line mode: the start of the current line. */
  private line = '';
  private afterDle = false;
  /** Packet header bytes still to come (2, 1) or data bytes still to skip. */
  private packetHeader: number[] | undefined;
  private packetData = 0;

  /** Whether the connection has shown itself to be a console host (its opening passed). */
  get isConsole(): boolean {
    return this.decided && this.refusedAs === undefined;
  }

  get refused(): ForeignProtocol | undefined {
    return this.refusedAs;
  }

  /** Whether the opening is still held back, undecided. */
  get holding(): boolean {
    return !this.decided;
  }

  /**
   * The opening has been undecided for long enough (a person typing `var`
   * and pausing, a tool that waits for the echo of a word): it is console
   * input. A browser's request line arrives in one write, so this never
   * releases one; and if it did, the header lines that follow it would
   * still refuse the connection before its body.
   */
  release(): GuardResult {
    if (this.decided) return { forward: '' };
    const held = this.opening;
    this.opening = '';
    this.decided = true;
    return this.takeLines(held);
  }

  /** Bytes from the host (latin1). Once refused, nothing more is forwarded. */
  take(bytes: string): GuardResult {
    if (this.refusedAs) return { forward: '' };
    if (!this.decided) return this.takeOpening(bytes);
    return this.takeLines(bytes);
  }

  private takeOpening(bytes: string): GuardResult {
    this.opening += bytes;
    const verdict = classifyOpening(this.opening);
    if (verdict === 'undecided') return { forward: '' };
    const held = this.opening;
    this.opening = '';
    this.decided = true;
    if (verdict !== 'console') return this.refuse(verdict, firstLine(held));
    return this.takeLines(held);
  }

  private takeLines(bytes: string): GuardResult {
    let forward = '';
    for (let i = 0; i < bytes.length; i++) {
      const ch = bytes[i]!;
      const code = ch.charCodeAt(0);
      if (this.packetData > 0) {
        this.packetData--;
      } else if (this.packetHeader) {
        this.packetHeader.push(code);
        if (this.packetHeader.length === 2) {
          this.packetData = ((this.packetHeader[0]! << 8) | this.packetHeader[1]!) & 0x1fff;
          this.packetHeader = undefined;
        }
      } else if (this.afterDle && code === SOH) {
        this.afterDle = false;
        this.packetHeader = [];
      } else if (code === 0x0d || code === 0x0a) {
        this.afterDle = false;
        if (HEADER_LINE.test(this.line)) return { ...this.refuse('http-header', this.line), forward: forward + String.fromCharCode(CTRL_U) };
        this.line = '';
      } else {
        this.afterDle = code === DLE && this.line === '';
        if (this.line.length < LINE_KEPT) this.line += ch;
      }
      forward += ch;
    }
    return { forward };
  }

  private refuse(protocol: ForeignProtocol, evidence: string): GuardResult {
    this.refusedAs = protocol;
    return { forward: '', refused: protocol, evidence: printable(evidence) };
  }
}

type OpeningVerdict = 'undecided' | 'console' | ForeignProtocol;

/** What the first bytes of a connection are (see the module comment). */
export function classifyOpening(opening: string): OpeningVerdict {
  if (opening.length === 0) return 'undecided';
  if (opening.charCodeAt(0) === 0x16) {
    if (opening.length === 1) return 'undecided';
    return opening.charCodeAt(1) === 0x03 ? 'tls' : 'console';
  }
  if (REQUEST_LINE_DECIDED.test(opening)) return 'http-request';
  const end = opening.search(/[\r\n]/);
  const line = end < 0 ? opening : opening.slice(0, end);
  if (HEADER_LINE.test(line)) return 'http-header';
  if (end >= 0) return 'console';
  if (line.length > MAX_OPENING_BYTES) return REQUEST_LINE_PREFIX.test(line) ? 'http-request' : 'console';
  if (REQUEST_LINE_PREFIX.test(line) || couldBeHeaderName(line)) return 'undecided';
  return 'console';
}

/** `line` (no line end yet) is the start of a header line: a prefix of a name, or a name and blanks. */
function couldBeHeaderName(line: string): boolean {
  const lower = line.toLowerCase();
  const name = lower.replace(/[ \t]+$/, '');
  return HEADER_NAMES.some((h) => h.startsWith(lower) || (h === name && name.length < lower.length));
}

function firstLine(text: string): string {
  const end = text.search(/[\r\n]/);
  return end < 0 ? text : text.slice(0, end);
}

function printable(text: string): string {
  const visible = text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return visible.length > 80 ? visible.slice(0, 77) + '...' : visible;
}
