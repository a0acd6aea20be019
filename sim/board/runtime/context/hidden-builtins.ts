/**
 * What V8 has and Espruino 2v29 lacks (docs/espruino-subset.md, "Built-ins"):
 * removed from every fresh board context so `typeof Map === 'undefined'` holds
 * inside the board as it does on the strap.
 */
export const HIDDEN_GLOBALS = [
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
  'Symbol',
  'Proxy',
  'Reflect',
  'BigInt',
  'BigInt64Array',
  'BigUint64Array',
  'queueMicrotask',
  'Intl',
  'WebAssembly',
  'SharedArrayBuffer',
  'Atomics',
  'AggregateError',
] as const;

/** [owner expression, member] pairs deleted from the built-ins that remain. */
export const HIDDEN_MEMBERS: ReadonlyArray<readonly [string, string]> = [
  ['Array', 'from'],
  ['Array', 'of'],
  ['Object', 'is'],
  ['Object', 'freeze'],
  ['Number', 'isInteger'],
  ['Number', 'isFinite'],
  ['Number', 'MAX_SAFE_INTEGER'],
  ['Math', 'imul'],
  ['Math', 'trunc'],
  ['String', 'raw'],
  ['ArrayBuffer.prototype', 'slice'],
];
