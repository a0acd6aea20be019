/**
 * "Uncaught ..." the way Espruino reports an exception that reached the top
 * (src/jsinteractive.c jsiCheckErrors: `Uncaught %v\n` then the stack text), and
 * the location lines Espruino's parser puts in that stack (src/jsparse.c
 * jspSetException → " at " + src/jslex.c jslPrintPosition + jslPrintTokenLineMarker).
 *
 * All text uses '\n'; the console sends "\r\n".
 */
import { EXECUTION_INTERRUPTED_TEXT, isExecutionInterrupted } from '../console/execution-interrupted';
import { formatAsString } from './format';
import { toLatin1 } from './string-escape';

/** Where an exception happened: 1-based line and column inside `source`. */
export interface ErrorSite {
  source: string;
  line: number;
  col: number;
}

/** The full report, e.g. `Uncaught ReferenceError: "foo" is not defined\n at line 1 col 1\nfoo\n^\n`. */
export function uncaughtText(error: unknown, site?: ErrorSite, lineNumberOffset = 0): string {
  // jsiCheckErrors prints an interruption (Ctrl-C, busy loop) as a plain line, not as an exception.
  if (isExecutionInterrupted(error)) return EXECUTION_INTERRUPTED_TEXT + '\n';
  let text = 'Uncaught ' + exceptionText(error) + '\n';
  if (site) text += ' at ' + positionText(site, lineNumberOffset) + lineMarker(site);
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

/** jslPrintPosition: `line L col C\n`, shifted by a `\x1b[<n>d` line-number hint. */
export function positionText(site: ErrorSite, lineNumberOffset = 0): string {
  const line = lineNumberOffset ? site.line + lineNumberOffset - 1 : site.line;
  return `line ${line} col ${site.col}\n`;
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
