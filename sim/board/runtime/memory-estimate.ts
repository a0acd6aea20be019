/**
 * process.memory() on a V8 context cannot count Espruino's JsVars, so the
 * board estimates them by walking what firmware can reach from its own
 * globals (names added after the board installed Espruino's built-ins),
 * own data properties only (no getter runs, no board code). Costs follow
 * Espruino's variable layout (espruino-sizes.ts, from src/jsutils.h and
 * src/jsvar.h):
 *  - a name per property or variable (NAME_CHARS in its first JsVar, more in
 *    STRING_EXTs); an integer value sits in its name, any other value is a
 *    JsVar of its own (strings by their length, floats, booleans, null);
 *  - one JsVar per object, array and function; a typed array its view, its
 *    ArrayBuffer and its bytes as a flat string;
 *  - a function's code is not counted (code loaded from Storage stays in
 *    flash); what a function captures from the scopes around it is
 *    (closure-names.ts: a `#scope#` link, and a name and a value per captured
 *    variable, each name counted once per walk because closures made by one
 *    call share its scope);
 *  - each pending timer costs 4 blocks, each watch 5, each queued event 3;
 *  - an idle board starts at BASE_USAGE_BLOCKS (interpreter roots, history).
 *
 * APPROXIMATION, documented: the values a closure keeps are invisible to the
 * host (V8 does not show scopes), so they count one JsVar each whatever they
 * hold; closures of separate calls sharing names count once. It is a trend
 * indicator and the figure the board enforces (memory-guard.ts), not a
 * byte-exact one.
 */
import { types } from 'node:util';
import { capturedNames } from './closure-names';
import { arrayBufferBlocks, nameBlocks, stringBlocks, typedArrayBlocks } from './espruino-sizes';

export { PUCKJS_BLOCK_SIZE, PUCKJS_TOTAL_BLOCKS } from './espruino-sizes';
export const BASE_USAGE_BLOCKS = 30;

export interface BoardCounts {
  timers: number;
  watches: number;
  events: number;
}

const FUNCTION_OWN_KEYS = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);

/**
 * Blocks in use. `global` is the context's sandbox object (where Node's vm
 * keeps the board's globals), never the context's global proxy: asking the
 * proxy for a descriptor runs Node's interceptor, which builds the
 * descriptor in the board's realm and aborts the host process (V8 fatal
 * "Invalid property descriptor") once board code has put `get` on
 * Object.prototype. The walk stops once it passes `stopAbove` (the caller
 * only needs to know the total is exhausted), so its cost stays bounded by
 * what the board can hold.
 */
export function estimateUsageBlocks(global: object, builtinNames: ReadonlySet<string>, counts: BoardCounts, stopAbove = Infinity): number {
  const walk: Walk = { blocks: BASE_USAGE_BLOCKS + counts.timers * 4 + counts.watches * 5 + counts.events * 3, seen: new Set(), stack: [] };
  for (const name of Object.getOwnPropertyNames(global)) {
    if (builtinNames.has(name)) continue;
    walk.blocks += nameBlocks(name.length) + valueBlocks(walk, safeGet(global, name));
  }
  const captured = new Set<string>();
  const { stack } = walk;
  while (stack.length > 0 && walk.blocks <= stopAbove) {
    const obj = stack.pop()!;
    if (ArrayBuffer.isView(obj)) {
      walk.blocks += typedArrayBlocks(byteLengthOf(obj));
      continue;
    }
    if (isArrayBuffer(obj)) {
      walk.blocks += arrayBufferBlocks(arrayBufferByteLength.call(obj) as number);
      continue;
    }
    walk.blocks += 1;
    const isFunction = typeof obj === 'function';
    if (isFunction) walk.blocks += closureBlocks(obj as Function, global, builtinNames, captured);
    for (const key of Object.getOwnPropertyNames(obj)) {
      if (isFunction && FUNCTION_OWN_KEYS.has(key)) continue;
      walk.blocks += (isIndex(key) ? 1 : nameBlocks(key.length)) + valueBlocks(walk, safeGet(obj, key));
    }
  }
  return walk.blocks;
}

/** One count's state: objects already met (each counted once) and those still to visit. */
interface Walk {
  blocks: number;
  seen: Set<object>;
  stack: object[];
}

/** A value's own JsVars; an object or function is queued to be counted once. */
function valueBlocks(walk: Walk, value: unknown): number {
  switch (typeof value) {
    case 'undefined':
      return 0;
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 0 : 1;
    case 'string':
      return stringBlocks(value.length);
    case 'object':
    case 'function':
      if (value === null) return 1;
      if (!walk.seen.has(value)) {
        walk.seen.add(value);
        walk.stack.push(value);
      }
      return 0;
    default:
      return 1;
  }
}

/** An array index's name (digits only): Espruino keeps it in one JsVar. */
function isIndex(key: string): boolean {
  if (key.length === 0) return false;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A `#scope#` link and a name and value per variable captured that no earlier function of this walk captured. */
function closureBlocks(fn: Function, global: object, builtinNames: ReadonlySet<string>, captured: Set<string>): number {
  let blocks = 0;
  let any = false;
  for (const name of namesCapturedBy(fn)) {
    if (builtinNames.has(name) || hasOwn.call(global, name)) continue;
    any = true;
    if (captured.has(name)) continue;
    captured.add(name);
    blocks += nameBlocks(name.length) + 1;
  }
  return any ? blocks + 1 : blocks;
}

/**
 * What `fn` captures, kept per function: a function's source text never
 * changes, and each count meets the same firmware functions again (asking
 * for their text each time built a new string to look up by).
 */
const capturedByFunction = new WeakMap<Function, readonly string[]>();

function namesCapturedBy(fn: Function): readonly string[] {
  let names = capturedByFunction.get(fn);
  if (names === undefined) {
    try {
      names = capturedNames(functionToString.call(fn));
    } catch {
      names = [];
    }
    capturedByFunction.set(fn, names);
  }
  return names;
}

const hasOwn = Object.prototype.hasOwnProperty;

// The host's own functions and getters: firmware may redefine the board's (a getter that never returns).
const functionToString = Function.prototype.toString;
const typedArrayByteLength = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, 'byteLength')!.get!;
const dataViewByteLength = Object.getOwnPropertyDescriptor(DataView.prototype, 'byteLength')!.get!;
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;

/** Cross-realm and runs no board code (Object.prototype.toString would read a Symbol.toStringTag the board may define). */
function isArrayBuffer(value: object): boolean {
  return types.isArrayBuffer(value);
}

function byteLengthOf(view: ArrayBufferView): number {
  try {
    return typedArrayByteLength.call(view) as number;
  } catch {
    return dataViewByteLength.call(view) as number;
  }
}

function safeGet(obj: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d && 'value' in d ? d.value : undefined;
}
