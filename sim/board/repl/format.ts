/**
 * How values reach the console: `print(...)`/`console.log(...)` and the `=`
 * result line. Both go through Espruino's JSON printer with different flags.
 */
import { valueToJson, type JsonFlags } from './json-print';
import { numberText } from './number-text';
import { toLatin1 } from './string-escape';

/**
 * Text that `print(...)` / `console.log(...)` put on the console for these arguments (no line ending).
 * src/jswrap_interactive.c jswrap_interface_print: strings raw, everything else as
 * JSON with PRETTY|SOME_NEWLINES|SHOW_OBJECT_NAMES, arguments joined by one space.
 * Lines are separated by '\n'; the REPL sends them as "\r\n".
 */
export function formatPrint(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? toLatin1(a) : valueToJson(a, PRINT_FLAGS))).join(' ');
}

/**
 * Text after '=' that the REPL prints for a line's result.
 * src/jsinteractive.c jsiHandleNewLine: jsfPrintJSON with
 * LIMIT|SOME_NEWLINES|PRETTY|SHOW_DEVICES|SHOW_OBJECT_NAMES|DROP_QUOTES.
 */
export function formatResult(value: unknown): string {
  return valueToJson(value, RESULT_FLAGS);
}

/**
 * A value as `%v` turns it into text (src/jsutils.c vcbprintf → jsvAsString):
 * used for "Uncaught %v". Objects use their toString, like jsvAsString does.
 */
export function formatAsString(value: unknown): string {
  if (typeof value === 'string') return toLatin1(value);
  if (typeof value === 'number') return numberText(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  try {
    return toLatin1(String(value));
  } catch {
    return '[object Object]';
  }
}

// ---------------------------------------------------------------------------

const PRINT_FLAGS: JsonFlags = {
  someNewlines: true,
  pretty: true,
  limit: false,
  showObjectNames: true,
  dropQuotes: false,
  showDevices: false,
};

const RESULT_FLAGS: JsonFlags = {
  someNewlines: true,
  pretty: true,
  limit: true,
  showObjectNames: true,
  dropQuotes: true,
  showDevices: true,
};
