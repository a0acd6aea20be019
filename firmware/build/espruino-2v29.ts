// What Espruino 2v29 lacks, as the firmware build enforces it.
// Source: docs/espruino-subset.md (rows measured on the real 2v29 interpreter).
// Entries marked "unmeasured" are not in that document: they are rejected
// conservatively and their messages say so.

/** Rule ids, as printed in `file:line:col: <rule>: <message>`. */
export const RULES = {
  absentGlobal: 'absent-global',
  absentStatic: 'absent-static',
  arrayPrototype: 'array-prototype',
  arrayBufferSlice: 'arraybuffer-slice',
  promiseFinally: 'promise-finally',
  label: 'label',
  regex: 'regex',
  extendsError: 'extends-error',
  hoisting: 'hoisting',
  varInBranch: 'var-in-branch',
  es5Syntax: 'es5-syntax',
  jsonExtraArgument: 'json-extra-argument',
  arrayHole: 'array-hole',
  asyncFunction: 'async',
  generator: 'generator',
  privateName: 'private-name',
  decorator: 'decorator',
  forOfNonArray: 'for-of-non-array',
  unsupportedHelper: 'unsupported-helper',
  bundle: 'bundle',
  lowering: 'lowering',
  type: 'type',
  budget: 'budget',
} as const;

export type RuleId = (typeof RULES)[keyof typeof RULES];

/** Globals that do not exist on the strap; using one is a ReferenceError there. */
export const ABSENT_GLOBALS: Readonly<Record<string, string>> = {
  Map: 'absent on Espruino 2v29; use a plain object keyed by string',
  Set: 'absent on Espruino 2v29; use a plain object or an array',
  WeakMap: 'absent on Espruino 2v29',
  WeakSet: 'absent on Espruino 2v29',
  Symbol: 'absent on Espruino 2v29',
  Proxy: 'absent on Espruino 2v29',
  Reflect: 'absent on Espruino 2v29',
  BigInt: 'absent on Espruino 2v29',
  queueMicrotask: 'absent on Espruino 2v29; use setTimeout(f, 0) or Promise.resolve().then(f)',
  // Unmeasured: not part of Espruino's documented globals, present in Node/V8.
  WeakRef: 'unmeasured on Espruino 2v29, assumed absent',
  FinalizationRegistry: 'unmeasured on Espruino 2v29, assumed absent',
  Intl: 'unmeasured on Espruino 2v29, assumed absent',
  WebAssembly: 'unmeasured on Espruino 2v29, assumed absent',
  SharedArrayBuffer: 'unmeasured on Espruino 2v29, assumed absent',
  Atomics: 'unmeasured on Espruino 2v29, assumed absent',
  structuredClone: 'unmeasured on Espruino 2v29, assumed absent',
  AggregateError: 'unmeasured on Espruino 2v29, assumed absent',
  BigInt64Array: 'unmeasured on Espruino 2v29, assumed absent',
  BigUint64Array: 'unmeasured on Espruino 2v29, assumed absent',
  TextEncoder: 'unmeasured on Espruino 2v29, assumed absent',
  TextDecoder: 'unmeasured on Espruino 2v29, assumed absent',
  Buffer: 'a Node.js global, absent on Espruino',
  setImmediate: 'a Node.js global, absent on Espruino; use setTimeout(f, 0)',
  fetch: 'unmeasured on Espruino 2v29, assumed absent',
};

/** Static members missing from built-in constructors, by owner. */
export const ABSENT_STATICS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Array: {
    from: 'use a for loop, or [].slice.call(arrayLike)',
    of: 'use an array literal',
  },
  Object: {
    is: 'compare with === (and x !== x for NaN)',
    freeze: 'absent: leave the object mutable',
  },
  Number: {
    isInteger: 'use (x | 0) === x or Math.floor(x) === x',
    isFinite: 'use the global isFinite(x)',
    MAX_SAFE_INTEGER: 'use the literal 9007199254740991',
  },
  Math: {
    imul: 'absent on Espruino 2v29',
    trunc: 'use x < 0 ? Math.ceil(x) : Math.floor(x)',
  },
  String: {
    raw: 'absent on Espruino 2v29',
  },
  Promise: {
    race: 'absent on Espruino 2v29',
    allSettled: 'absent on Espruino 2v29',
    any: 'absent on Espruino 2v29',
  },
};

/** `Array.prototype.x` is undefined on Espruino: methods resolve only on instances. */
export const ARRAY_PROTOTYPE_MESSAGE = 'Array.prototype.%s is undefined on Espruino 2v29 (methods resolve only on instances): use [].%s.call(...)';

export const PROMISE_FINALLY_MESSAGE = 'Promise.prototype.finally is absent on Espruino 2v29: use .then(f, f)';

export const ARRAYBUFFER_SLICE_MESSAGE = 'ArrayBuffer.prototype.slice is absent on Espruino 2v29: use new Uint8Array(buffer).slice(begin, end).buffer';

export const LABEL_MESSAGE = 'labeled statements fail on Espruino 2v29 (break/continue with a label is a ReferenceError): use a flag or a function with return';

export const ARRAY_HOLE_MESSAGE = 'array holes ([a, , b]) are a SyntaxError on Espruino 2v29 in a skipped switch case: write undefined';

export const JSON_EXTRA_ARGUMENT_MESSAGE: Readonly<Record<string, string>> = {
  stringify: 'JSON.stringify ignores its replacer (and this build does not trust its indent) on Espruino 2v29: pass one argument',
  parse: 'JSON.parse ignores its reviver on Espruino 2v29: pass one argument and convert afterwards',
};

/** Built-in error constructors: `class X extends Error` breaks on Espruino (super throws, instanceof is false). */
export const ERROR_BUILTINS: ReadonlySet<string> = new Set([
  'Error',
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
  'EvalError',
  'URIError',
  'InternalError',
  'AggregateError',
]);

export const EXTENDS_ERROR_MESSAGE =
  "class %s extends %s is broken on Espruino 2v29 (super throws \"Calling 'super' outside of class\", instanceof is false): throw a plain Error with a code property instead";

/** RegExp features, each with the reason it is rejected. */
export const REGEX_FEATURES = {
  optional: 'the ? quantifier is not supported on Espruino 2v29: use an alternation (a|)',
  counted: 'counted quantifiers {n}/{n,m} are not supported on Espruino 2v29: repeat the atom',
  lazy: 'lazy quantifiers (*?, +?, ??) are not supported on Espruino 2v29',
  lookahead: 'lookahead (?= / (?! silently never matches on Espruino 2v29',
  lookbehind: 'lookbehind (?<= / (?<! is not supported on Espruino 2v29',
  backreference: 'backreferences (\\1, \\k<name>) are not supported on Espruino 2v29',
  namedGroup: 'named groups (?<name> are unmeasured on Espruino 2v29 and rejected conservatively: use a plain group',
  nonCapturing: 'non-capturing groups (?: are unmeasured on Espruino 2v29 and rejected conservatively: use a plain group',
} as const;

/** Flags measured to work; everything else is rejected. */
export const REGEX_SUPPORTED_FLAGS = 'gi';
export const REGEX_FLAG_MESSAGE: Readonly<Record<string, string>> = {
  y: 'the y (sticky) flag is not supported on Espruino 2v29',
  u: 'the u (unicode) flag is not supported on Espruino 2v29',
  s: 'the s (dotAll) flag is not supported on Espruino 2v29',
  d: 'the d (indices) flag is not supported on Espruino 2v29',
  v: 'the v (unicode sets) flag is not supported on Espruino 2v29',
  m: 'the m (multiline) flag is unmeasured on Espruino 2v29 (only g and i were) and rejected conservatively',
};

export const HOISTING_NOTE = 'Espruino hoists nothing';
