/**
 * "Uncaught ..." the way Espruino 2v29 reports an exception that reached the
 * top (src/jsinteractive.c jsiCheckErrors: `Uncaught %v\n` then the stack
 * text), and the stack text itself (src/jslex.c jslPrintStackTrace, appended
 * by src/jsparse.c jspAppendStackTrace).
 *
 * jslPrintStackTrace walks the lexers from the innermost outwards (each
 * function call and each jspEvaluateVar starts a lexer whose `lastLex` is the
 * caller's) and prints, per lexer:
 *   `    at ` [functionName ` (`] `:L:C` [`)`] `\n`, then the source line and a
 *   `^` under the column (jslPrintTokenLineMarker with no prefix).
 * functionName is what the lexer was started with: jspEvaluateVar's
 * stackTraceName (`REPL` for a console line, `[raw]` for E's jspEvaluate,
 * `module` for a module) or, for a function call, the name the caller used
 * (jspeFactorFunctionCall passes the callee's name: `f` for `f()`, `m` for
 * `o.m()`); a function the system calls (timer, watch, event) has none
 * (jspExecuteFunction passes 0), and nothing outside it is printed since
 * the idle loop has no lexer. A function's lexer runs over the function's
 * code, which starts at the first token of its body (jspeFunctionDefinitionInternal),
 * so its line and column count from there.
 *
 * All text uses '\n'; the console sends "\r\n".
 */
import { EXECUTION_INTERRUPTED_TEXT, interruptsExecution, isExecutionInterrupted } from '../console/execution-interrupted';
import { espruinoWords } from './error-words';
import { formatAsString } from './format';
import { escapeCharacter, toLatin1 } from './string-escape';

/** Where an exception happened: 1-based line and column inside `source`, and the lexer's name. */
export interface ErrorSite {
  source: string;
  line: number;
  col: number;
  /** The lexer's functionName (`REPL`, a function's name); none for a function the system called. */
  functionName?: string;
}

/**
 * One site, or the frames innermost first, or the error's `stack` text as
 * jsiCheckErrors prints it (an Error's stack the board code replaced).
 */
export type ErrorTrace = ErrorSite | readonly ErrorSite[] | string;

/** Espruino's name for the lexer of a console line (src/jsinteractive.c passes it to jspEvaluateVar). */
export const REPL_STACK_NAME = 'REPL';

/** The full report, e.g. `Uncaught ReferenceError: "foo" is not defined\n    at REPL (:1:1)\nfoo\n^\n`. */
export function uncaughtText(error: unknown, trace?: ErrorTrace, lineNumberOffset = 0): string {
  // jsiCheckErrors prints an interruption (Ctrl-C, busy loop) as a plain line, not as an exception.
  if (isExecutionInterrupted(error)) return EXECUTION_INTERRUPTED_TEXT + '\n';
  let text = 'Uncaught ' + exceptionText(error) + '\n';
  if (typeof trace === 'string') text += toLatin1(trace);
  else if (trace) text += stackTraceText(trace, lineNumberOffset);
  if (interruptsExecution(error)) text += EXECUTION_INTERRUPTED_TEXT + '\n';
  return text;
}

/**
 * jslPrintStackTrace. `lineNumberOffset` (a `\x1b[<n>d` hint before a console
 * line) shifts the outermost frame only, the console line's lexer: the 2v29
 * source of that shift (jslPrintPosition with lex->lineNumberOffset) is not
 * in the sources this model was built from; the embedded build has no offset.
 */
export function stackTraceText(trace: ErrorSite | readonly ErrorSite[], lineNumberOffset = 0): string {
  const frames: readonly ErrorSite[] = Array.isArray(trace) ? trace : [trace as ErrorSite];
  let text = '';
  frames.forEach((frame, i) => {
    const named = frame.functionName !== undefined;
    const offset = i === frames.length - 1 ? lineNumberOffset : 0;
    text += '    at ' + (named ? toLatin1(frame.functionName!.slice(0, 63)) + ' (' : '');
    text += positionText(frame, offset) + (named ? ')\n' : '\n');
    text += lineMarker(frame);
  });
  return text;
}

/**
 * `%v` of the thrown value. Errors print as Espruino's Error.prototype.toString
 * (src/jswrap_error.c: `type: message`, just `type` without a message);
 * an error V8 raised is put in Espruino's type and words (error-words.ts;
 * the board's catch clauses see the same, boundary-prelude.ts).
 */
export function exceptionText(error: unknown): string {
  if (isErrorLike(error)) {
    let name = safeString(() => String((error as { name?: unknown }).name ?? 'Error'), 'Error');
    const hasMessage = safeString(() => (Object.prototype.hasOwnProperty.call(error, 'message') ? 'y' : ''), '') === 'y';
    if (!hasMessage) return toLatin1(name);
    let message = safeString(() => String((error as { message?: unknown }).message), '');
    const words = espruinoWords(name, message);
    if (words) ({ name, message } = words);
    return toLatin1(`${name}: ${message}`);
  }
  return formatAsString(error);
}

/**
 * jslPrintPosition: `:L:C` (no file name). jsvGetLineAndCol counts lines and
 * columns from 1 and reports as "ignored" the leading lines, before the
 * position, whose characters contain "Modules.addCached" in order (it matches
 * the letters one by one as they come, not as a prefix): the module lines
 * EspruinoTools puts in front of uploaded code; they are subtracted.
 */
export function positionText(site: ErrorSite, lineNumberOffset = 0): string {
  let line = site.line - ignoredLines(site);
  if (lineNumberOffset) line += lineNumberOffset - 1;
  return `:${line}:${site.col}`;
}

const IGNORED_LINE = 'Modules.addCached';

/** jsvGetLineAndCol's `ignoredLines` for the character at the site. */
function ignoredLines(site: ErrorSite): number {
  const src = site.source;
  const charIdx = indexOf(site);
  let ignored = 0;
  let matched = 0;
  let y = 1;
  for (let n = 0; n < src.length && n <= charIdx; n++) {
    const ch = src[n]!;
    if (y === 1 + ignored && matched >= 0 && ch === IGNORED_LINE[matched]) {
      matched++;
      if (matched === IGNORED_LINE.length) {
        matched = -1;
        ignored++;
      }
    }
    if (n === charIdx) break;
    if (ch === '\n') {
      y++;
      matched = 0;
    }
  }
  return ignored;
}

function indexOf(site: ErrorSite): number {
  const lines = site.source.split('\n');
  let idx = 0;
  for (let i = 0; i < site.line - 1 && i < lines.length; i++) idx += lines[i]!.length + 1;
  return idx + site.col - 1;
}

/**
 * jslPrintTokenLineMarker: the source line (at most 60 characters, "..." when
 * cut) and a '^' under the column. Each character goes through
 * jslPrintTokenisedChar, written for pretokenised code: a byte from 128 up is
 * printed as the lexer token of that number (a reserved word, `ID`, `?[233]`,
 * a raw string or number), a reserved word gets a space before it next to a
 * letter or digit, and each such token moves the marker by its extra width,
 * wherever it is on the line.
 */
export function lineMarker(site: ErrorSite): string {
  const src = toLatin1(site.source);
  const lines = src.split('\n');
  let startOfLine = 0;
  for (let i = 0; i < site.line - 1 && i < lines.length; i++) startOfLine += lines[i]!.length + 1;
  const tokenPos = startOfLine + site.col - 1;
  const state = { col: site.col, chars: 0, lastch: 0, out: '' };
  let lineLength = (lines[site.line - 1] ?? '').length;
  if (lineLength > 60 && tokenPos - startOfLine > 30) {
    state.out += '...';
    const skipChars = tokenPos - 30 - startOfLine;
    startOfLine += 3 + skipChars;
    state.col = skipChars <= state.col ? state.col - skipChars : 0;
    lineLength -= skipChars;
  }
  let i = startOfLine;
  while (i < src.length && state.chars < 60 && state.lastch !== 255) {
    if (src[i] === '\n') break;
    i = printTokenisedChar(src, i, state);
  }
  let out = state.out;
  if (lineLength > 60) out += '...';
  out += '\n';
  let col = state.col;
  while (col-- > 1) out += ' ';
  return out + '^\n';
}

/** src/jslex.c LEX_TYPES on 2v29: the first token numbers and the raw tokens of pretokenised code. */
const LEX = { ID: 128, TOKENS_START: 138, R_LIST_START: 163, R_LIST_END: 198, TOKENS_END: 208, RAW_STRING8: 209, RAW_STRING16: 210, RAW_INT0: 211, RAW_INT8: 212, RAW_INT16: 213 };
const LEX_NAMES_BEFORE_OPERATORS = ['ID', 'INT', 'FLOAT', 'STRING', 'UNFINISHED STRING', 'TEMPLATE LITERAL', 'UNFINISHED TEMPLATE LITERAL', 'REGEX', 'UNFINISHED REGEX', 'UNFINISHED COMMENT'];
/** jslReservedWordAsString's table, from _LEX_TOKENS_START (nine unused numbers before `??`). */
const LEX_TOKEN_NAMES = [
  '==', '===', '!=', '!==', '<=', '<<', '<<=', '>=', '>>', '>>>', '>>=', '>>>=', '+=', '-=', '++', '--', '*=', '/=', '%=', '&=', '&&', '|=', '||', '^=', '=>',
  'if', 'else', 'do', 'while', 'for', 'break', 'continue', 'function', 'return', 'var', 'let', 'const', 'this', 'throw', 'try', 'catch', 'finally',
  'true', 'false', 'null', 'undefined', 'new', 'in', 'instanceof', 'switch', 'case', 'default', 'delete', 'typeof', 'void', 'debugger', 'class',
  'extends', 'super', 'static', 'of', '', '', '', '', '', '', '', '', '', '??',
];

/** jslTokenAsString for a byte from 128 up. */
function tokenName(token: number): string {
  if (token === 255) return '[ERASED]';
  if (token < LEX.TOKENS_START) return LEX_NAMES_BEFORE_OPERATORS[token - LEX.ID]!;
  if (token <= LEX.TOKENS_END) return LEX_TOKEN_NAMES[token - LEX.TOKENS_START]!;
  return `?[${token}]`;
}

function isAlnum(ch: number): boolean {
  return (ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || ch === 0x5f || (ch >= 0x30 && ch <= 0x39);
}

/** jslNeedSpaceBetween. */
function needSpaceBetween(lastch: number, ch: number): boolean {
  const isWord = (c: number): boolean => c >= LEX.R_LIST_START && c <= LEX.R_LIST_END;
  return (isWord(lastch) || isWord(ch)) && (lastch >= LEX.R_LIST_START || isAlnum(lastch)) && (ch >= LEX.R_LIST_START || isAlnum(ch));
}

/** jslPrintTokenisedChar: prints the character (or token) at `i`; returns the index after what it read. */
function printTokenisedChar(src: string, i: number, state: { col: number; chars: number; lastch: number; out: string }): number {
  const byte = (at: number): number => (at < src.length ? src.charCodeAt(at) & 0xff : 0);
  const ch = byte(i++);
  if (ch === LEX.RAW_STRING8 || ch === LEX.RAW_STRING16) {
    let length = byte(i++);
    if (ch === LEX.RAW_STRING16) {
      state.chars++;
      length |= byte(i++) << 8;
    }
    state.chars += 2;
    state.out += '"';
    while (length--) {
      state.out += escapeCharacter(byte(i++), 0);
      state.chars++;
    }
    state.out += '"';
    return i;
  }
  if (ch === LEX.RAW_INT0) {
    state.chars++;
    state.out += '0';
    return i;
  }
  if (ch === LEX.RAW_INT8 || ch === LEX.RAW_INT16) {
    let value = byte(i++);
    if (ch === LEX.RAW_INT16) value = ((value | (((byte(i++) << 24) >> 24) << 8)) << 16) >> 16;
    const text = String(value);
    state.chars += text.length;
    state.out += text;
    return i;
  }
  if (needSpaceBetween(state.lastch, ch)) {
    state.col++;
    state.out += ' ';
  }
  const text = ch >= LEX.ID ? tokenName(ch) : String.fromCharCode(ch);
  if (text.length) state.col += text.length - 1;
  state.out += text;
  state.chars++;
  state.lastch = ch;
  return i;
}

// ---------------------------------------------------------------------------

function isErrorLike(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  try {
    return Object.prototype.toString.call(v) === '[object Error]';
  } catch {
    return false;
  }
}

function safeString(fn: () => string, fallback: string): string {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
