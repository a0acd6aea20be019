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
import { EXECUTION_INTERRUPTED_TEXT, isExecutionInterrupted } from '../console/execution-interrupted';
import { formatAsString } from './format';
import { toLatin1 } from './string-escape';

/** Where an exception happened: 1-based line and column inside `source`, and the lexer's name. */
export interface ErrorSite {
  source: string;
  line: number;
  col: number;
  /** The lexer's functionName (`REPL`, a function's name); none for a function the system called. */
  functionName?: string;
}

/** One site, or the frames innermost first. */
export type ErrorTrace = ErrorSite | readonly ErrorSite[];

/** Espruino's name for the lexer of a console line (src/jsinteractive.c passes it to jspEvaluateVar). */
export const REPL_STACK_NAME = 'REPL';

/** The full report, e.g. `Uncaught ReferenceError: "foo" is not defined\n    at REPL (:1:1)\nfoo\n^\n`. */
export function uncaughtText(error: unknown, trace?: ErrorTrace, lineNumberOffset = 0): string {
  // jsiCheckErrors prints an interruption (Ctrl-C, busy loop) as a plain line, not as an exception.
  if (isExecutionInterrupted(error)) return EXECUTION_INTERRUPTED_TEXT + '\n';
  let text = 'Uncaught ' + exceptionText(error) + '\n';
  if (trace) text += stackTraceText(trace, lineNumberOffset);
  return text;
}

/**
 * jslPrintStackTrace. `lineNumberOffset` (a `\x1b[<n>d` hint before a console
 * line) shifts the outermost frame only, the console line's lexer: the 2v29
 * source of that shift (jslPrintPosition with lex->lineNumberOffset) is not
 * in the sources this model was built from; the embedded build has no offset.
 */
export function stackTraceText(trace: ErrorTrace, lineNumberOffset = 0): string {
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
 * V8's ReferenceError text is put in Espruino's words
 * (src/jsvar.c jsvCheckReferenceError: `%q is not defined`).
 */
export function exceptionText(error: unknown): string {
  if (isErrorLike(error)) {
    const name = safeString(() => String((error as { name?: unknown }).name ?? 'Error'), 'Error');
    const hasMessage = safeString(() => (Object.prototype.hasOwnProperty.call(error, 'message') ? 'y' : ''), '') === 'y';
    if (!hasMessage) return toLatin1(name);
    let message = safeString(() => String((error as { message?: unknown }).message), '');
    if (name === 'ReferenceError') message = message.replace(/^(\S+) is not defined$/, '"$1" is not defined');
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

/** jslPrintTokenLineMarker: the source line (at most 60 chars, "..." when cut) and a '^' under the column. */
export function lineMarker(site: ErrorSite): string {
  const src = site.source;
  const lines = src.split('\n');
  const lineText = lines[site.line - 1] ?? '';
  let startOfLine = 0;
  for (let i = 0; i < site.line - 1 && i < lines.length; i++) startOfLine += lines[i]!.length + 1;
  const tokenPos = startOfLine + site.col - 1;
  let col = site.col;
  let lineLength = lineText.length;
  let out = '';
  if (lineLength > 60 && tokenPos - startOfLine > 30) {
    out += '...';
    const skipChars = tokenPos - 30 - startOfLine;
    startOfLine += 3 + skipChars;
    col = skipChars <= col ? col - skipChars : 0;
    lineLength -= skipChars;
  }
  let chars = 0;
  for (let i = startOfLine; i < src.length && chars < 60; i++) {
    const ch = src[i]!;
    if (ch === '\n') break;
    out += ch;
    chars++;
  }
  if (lineLength > 60) out += '...';
  out += '\n';
  while (col-- > 1) out += ' ';
  return toLatin1(out + '^\n');
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
