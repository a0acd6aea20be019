/**
 * V8's words for an error the engine raised, put in Espruino 2v29's: the
 * error type and message Espruino's C sources raise for the same fault
 * (jsExceptionHere(JSET_..., fmt, ...) in src/jsutils.c makes an `Error`,
 * `TypeError`, `SyntaxError`, `InternalError` or `ReferenceError` holding the
 * vcbprintf text of fmt). One row per V8 message, each citing where
 * Espruino's text comes from.
 *
 * vcbprintf (src/jsutils.c): `%q` is the value as a string in quotes with
 * escapeCharacter escapes; `%t` is `null`, else jswGetBasicObjectName
 * (scripts/build_jswrapper.py: the first class whose "check" holds —
 * `Number` for jsvIsNumeric, `String` for jsvIsString, ...), else
 * jsvGetTypeOf (`undefined`). Booleans are left out: jsvIsNumeric may take
 * them for Numbers, depending on the order of the generated checks.
 *
 * V8's message does not always say what Espruino's needs: `o.m is not a
 * function` is the same whether o.m is undefined or a number, and
 * `Cannot read properties of undefined (reading 'x')` the same for `u.x` and
 * `u["x"]`. The rows take the common case and say so (README, Limitations).
 * A message V8 uses where Espruino does not raise at all (`null.x`) keeps
 * V8's words; built-ins whose checks Espruino words otherwise raise
 * Espruino's words themselves (runtime/context/espruino-builtins-prelude.ts).
 */
import { quoted } from './string-escape';

export interface ErrorWords {
  name: string;
  message: string;
}

interface Row {
  /** V8's error name the row applies to. */
  v8Name: string;
  pattern: RegExp;
  words: (match: RegExpExecArray) => ErrorWords | undefined;
}

const ID = /^[A-Za-z_$][\w$]*$/;
/** A name or a chain of property names, as V8 writes the callee of a call (`f`, `o.m`, `a.b.c`). */
const NAME_CHAIN = /^(?:[A-Za-z_$][\w$]*\.)*([A-Za-z_$][\w$]*)$/;

/**
 * `%t` of the value V8 wrote as a literal in its message (`1`, `"s"`, `null`),
 * or undefined when the text is not a literal whose type is certain.
 */
function literalType(text: string): string | undefined {
  if (text === 'null') return 'null';
  if (text === 'undefined') return 'undefined';
  if (/^-?(?:\d|Infinity$|NaN$)/.test(text)) return 'Number';
  if (/^".*"$/s.test(text)) return 'String';
  return undefined;
}

const error = (message: string): ErrorWords => ({ name: 'Error', message });

const ROWS: readonly Row[] = [
  // src/jsvar.c jsvCheckReferenceError: ReferenceError "%q is not defined"
  {
    v8Name: 'ReferenceError',
    pattern: /^([^"\s]+) is not defined$/,
    words: (m) => ({ name: 'ReferenceError', message: `${quoted(m[1]!)} is not defined` }),
  },
  // src/jsparse.c jspeFactorMember: a member of undefined. `.name` raises Error
  // "Cannot read property '%s' of undefined" (an assignment reads the member first);
  // `[expr]` raises Error "Field or method %q does not already exist, and can't create it on %t".
  // V8 writes both alike: a key that is not an identifier can only have come from `[...]`.
  {
    v8Name: 'TypeError',
    pattern: /^Cannot (?:read|set) properties of undefined \((?:reading|setting) '(.*)'\)$/s,
    words: (m) => {
      const key = m[1]!;
      if (ID.test(key)) return error(`Cannot read property '${key}' of undefined`);
      return error(`Field or method ${quoted(key)} does not already exist, and can't create it on undefined`);
    },
  },
  // src/jsparse.c jspeFunctionCall: no function at all is Error "Function %q not found!"
  // (the name the caller used: `m` of `o.m()`), or "Function not found!" without a name;
  // a value that is not a function is Error "Expecting a function to call, got %t".
  {
    v8Name: 'TypeError',
    pattern: /^(.+) is not a function$/s,
    words: (m) => {
      const callee = m[1]!;
      const type = literalType(callee);
      if (type === 'undefined') return error('Function not found!');
      if (type) return error(`Expecting a function to call, got ${type}`);
      const chain = NAME_CHAIN.exec(callee);
      // taken to be undefined (a missing method); a defined non-function differs (README)
      return chain ? error(`Function ${quoted(chain[1]!)} not found!`) : undefined;
    },
  },
  // src/jsparse.c jspeConstruct: Error "Constructor should be a function, but is %t"
  {
    v8Name: 'TypeError',
    pattern: /^(.+) is not a constructor$/s,
    words: (m) => {
      const callee = m[1]!;
      const type = literalType(callee) ?? (NAME_CHAIN.test(callee) ? 'undefined' : undefined);
      return type ? error(`Constructor should be a function, but is ${type}`) : undefined;
    },
  },
  // src/jswrap_array.c jswrap_array_reduce: Error "Used on empty array with no initial value" (the
  // newest source, espruino_embedded.c; older revisions said "Array.%s without initial value required non-empty array")
  {
    v8Name: 'TypeError',
    pattern: /^Reduce of empty array with no initial value$/,
    words: () => error('Used on empty array with no initial value'),
  },
  // src/jswrap_array.c jswrap_array_constructor: Error "Invalid array length"
  {
    v8Name: 'RangeError',
    pattern: /^Invalid array length$/,
    words: () => error('Invalid array length'),
  },
  // src/jswrap_string.c jswrap_string_repeat: Error "Invalid count value"
  {
    v8Name: 'RangeError',
    pattern: /^Invalid count value: /,
    words: () => error('Invalid count value'),
  },
];

/** Espruino's type and message for an error V8 raised with these, or undefined to keep V8's. */
export function espruinoWords(name: string, message: string): ErrorWords | undefined {
  for (const row of ROWS) {
    if (row.v8Name !== name) continue;
    const m = row.pattern.exec(message);
    if (!m) continue;
    const words = row.words(m);
    if (words) return words;
  }
  return undefined;
}
