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
 *  - one JsVar per object, array and function; a typed array its view, and
 *    its ArrayBuffer with the bytes as a flat string once, however many
 *    views share it;
 *  - a function's children (src/jsparse.c: its parameters, then code, scope
 *    and name): a name per parameter, the `#cod` name and one JsVar for the
 *    code (code loaded from Storage stays in flash); what it captures from
 *    the scopes around it (closure-names.ts: a `#scope#` link, and a name
 *    and a value per captured variable, each name counted once per walk
 *    because closures made by one call share its scope);
 *  - a reference to one of the board's built-ins (E, NRF, Serial1 and their
 *    members, a built-in module: `shared`) costs its name only;
 *  - in a deep count, a function's `prototype` once it holds more than
 *    `constructor` (a class's methods: usedPrototype), and an object's
 *    prototype when it is not a built-in's (`__proto__`);
 *  - what built-ins keep for firmware (`held`, ram.ts heldByBuiltins:
 *    timers' callbacks, listeners, NRF.setServices' data);
 *  - each pending timer costs 4 blocks, each watch 5, each queued event 3;
 *  - an idle board starts at BASE_USAGE_BLOCKS (interpreter roots, history).
 *
 * APPROXIMATION, documented: the values a closure keeps are invisible to the
 * host but through V8's inspector (closure-scan.ts), so the usual count
 * counts one JsVar for each captured name, whatever it holds, and each name
 * once per walk. A deep count (`scopes`: process.memory(), `board.memory({
 * closures: true })`, or the host heap grown: memory-guard.ts) reads the
 * scopes: each scope once, its variables walked, each function's scope link
 * as src/jsparse.c makes it. V8 keeps in a scope only the variables some
 * closure uses, Espruino every local of the call: the code runner makes V8
 * keep them all (context/kept-locals.ts), so a deep count reads them. The
 * board enforces the usual count plus what the last deep count found beyond
 * it (memory-guard.ts).
 */
import { types } from 'node:util';
import type { ScopeIdentity, ScopeRead } from './closure-scan';
import { capturedNames } from './closure-names';
import * as sizes from './espruino-sizes';

// bound once: tsx's and vitest's module transforms make every use of an imported binding a getter call
const { arrayBufferBlocks, nameBlocks, stringBlocks, NAME_INT_MAX, NAME_INT_MIN } = sizes;

export { PUCKJS_BLOCK_SIZE, PUCKJS_TOTAL_BLOCKS } from './espruino-sizes';
export const BASE_USAGE_BLOCKS = 30;

/** Where a deep count's blocks go (board.memory({ closures: true }).parts, bench/busiest-flow.ts). */
export interface DeepParts {
  /** Each function's own JsVar, its parameters' names and its code (`#cod` and the flash string). */
  functions: number;
  /** `#sco` and, two scopes deep or more, the copy of the scope list. */
  scopeLinks: number;
  /** The call scopes closures keep: each scope's JsVar and its variables' names. */
  scopes: number;
  /** Timers, watches, queued events and the interpreter's roots. */
  board: number;
  /** The rest: names of globals, objects, arrays, strings, numbers, buffers. */
  data: number;
}

/** A value one of the board's built-ins keeps for firmware (a timer's callback, a listener), and the name it is kept under. */
export interface HeldValue {
  name?: string;
  value: unknown;
}

export interface BoardCounts {
  timers: number;
  watches: number;
  events: number;
}

const FUNCTION_OWN_KEYS = new Set(['length', 'name', 'prototype', 'arguments', 'caller']);
const PROTOTYPE_NAME_BLOCKS = sizes.nameBlocks('prototype'.length);
const INHERITS_NAME_BLOCKS = sizes.nameBlocks('__proto__'.length);
const getPrototypeOf = Object.getPrototypeOf;

/**
 * A function's `prototype` once it holds more than V8's `constructor`: V8
 * makes one for every function, Espruino only when code uses it
 * (src/jsparse.c jspEnsureIsPrototype: an object with a `constructor` link,
 * a child of the function), as a class's methods do.
 */
function usedPrototype(fn: Function): object | undefined {
  const prototype = dataValue(fn, 'prototype');
  if (prototype === null || typeof prototype !== 'object') return undefined;
  return getOwnPropertyNames(prototype).length > 1 ? prototype : undefined;
}

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
export function estimateUsageBlocks(
  global: object,
  builtinNames: ReadonlySet<string>,
  counts: BoardCounts,
  stopAbove = Infinity,
  describedByBoard = true,
  scopes?: (functions: readonly Function[]) => ScopeRead[][] | undefined,
  /** Objects a reference to costs its name only (the board's built-ins). */
  shared?: WeakSet<object>,
  /** With `scopes`: filled with where the blocks went. */
  parts?: DeepParts,
  /** What the board's built-ins keep for firmware (ram.ts heldByBuiltins). */
  held: readonly HeldValue[] = [],
  /** Strings Storage.read gave: each points into flash (ram.ts flashStrings). */
  flash: ReadonlySet<string> = NO_FLASH,
): number {
  const captured = takeNameMarks();
  try {
    return walk(global, builtinNames, counts, stopAbove, describedByBoard, scopes, shared, parts, held, captured, flash);
  } finally {
    captured.inUse = false;
  }
}

/** estimateUsageBlocks' walk, `captured` the names its closures' links were counted for. */
function walk(
  global: object,
  builtinNames: ReadonlySet<string>,
  counts: BoardCounts,
  stopAbove: number,
  describedByBoard: boolean,
  scopes: ((functions: readonly Function[]) => ScopeRead[][] | undefined) | undefined,
  shared: WeakSet<object> | undefined,
  parts: DeepParts | undefined,
  held: readonly HeldValue[],
  captured: NameMarks,
  flash: ReadonlySet<string>,
): number {
  const board = BASE_USAGE_BLOCKS + counts.timers * 4 + counts.watches * 5 + counts.events * 3;
  let blocks = board;
  let functionBlocks = 0;
  const kept: KeptParts = { scopeLinks: 0, scopes: 0 };
  // a walk inside a walk (none is known) marks its functions in the Set too
  const seen: Seen = { objects: new Set(), walk: captured === nameMarks ? ++walks : 0, builtinNames, flash };
  const stack: object[] = [];
  const globals = describedByBoard ? getOwnPropertyNames(global) : keysOf(global);
  /**
   * Until board code describes a property every global it made is enumerable (as the names above assume),
   * so the names of its globals are all it has of its own: what a closure captures is told apart from them
   * without asking the global, a large object, for each name.
   */
  const globalNames: string[] | undefined = describedByBoard ? undefined : [];
  for (let i = 0; i < globals.length; i++) {
    const name = globals[i]!;
    if (builtinNames.has(name)) continue;
    globalNames?.push(name);
    blocks += nameBlocks(name.length);
    blocks += enqueue(dataValue(global, name), seen, stack);
  }
  for (let i = 0; i < held.length; i++) {
    const { name, value } = held[i]!;
    if (name !== undefined) blocks += nameBlocks(name.length);
    blocks += enqueue(value, seen, stack);
  }
  const keptSeen = new Set<ScopeIdentity>();
  /** With `scopes`, the functions met whose closures are still to be read. */
  let functions: Function[] = [];
  for (;;) {
    while (stack.length > 0 && blocks <= stopAbove) {
      const obj = stack.pop()!;
      if (shared?.has(obj)) continue;
      if (typeof obj === 'function') {
        // a function is neither a view nor a buffer
      } else if (ArrayBuffer.isView(obj)) {
        // One JsVar pointing at its ArrayBuffer (src/jswrap_arraybuffer.c jswrap_typedarray_constructor: the
        // view's firstChild), which the views made on it or by subarray() share: the buffer counts once, whole.
        blocks += 1 + enqueue(bufferOf(obj), seen, stack);
        continue;
      } else if (isArrayBuffer(obj)) {
        blocks += arrayBufferBlocks(arrayBufferByteLength.call(obj) as number);
        continue;
      }
      blocks += 1;
      const isFunction = typeof obj === 'function';
      let facts: FunctionFacts | undefined;
      if (isFunction) {
        facts = factsOf(obj as Function, builtinNames);
        const children = functionChildren(obj as Function, facts, describedByBoard);
        blocks += children;
        functionBlocks += 1 + children;
        // a host function (what a built-in's closure holds) has no scopes of the board's to read
        if (!scopes) blocks += closureBlocks(obj as Function, facts, global, globalNames, captured);
        else if (!(obj instanceof Function)) functions.push(obj as Function);
        if (scopes) {
          const prototype = usedPrototype(obj as Function);
          if (prototype) blocks += PROTOTYPE_NAME_BLOCKS + enqueue(prototype, seen, stack);
        }
      } else if (scopes) {
        // an object made by `new F` or Object.create(p) keeps its prototype (src/jsparse.c jspeFactorNew,
        // src/jswrap_object.c jswrap_object_create: a `__proto__` child); a literal's or a built-in's is implicit
        const inherits = getPrototypeOf(obj);
        if (inherits !== null && !shared?.has(inherits)) blocks += INHERITS_NAME_BLOCKS + enqueue(inherits, seen, stack);
      }
      const plain = !describedByBoard && (facts ? facts.plain : plainData.has(obj));
      const keys = plain ? keysOf(obj) : ownNames(obj, facts, describedByBoard);
      for (let i = 0; i < keys.length && blocks <= stopAbove; i++) {
        const key = keys[i]!;
        blocks += isIndex(key) ? 1 : nameBlocks(key.length);
        blocks += enqueue(plain ? (obj as Record<string, unknown>)[key] : dataValue(obj, key), seen, stack);
      }
    }
    if (functions.length === 0 || blocks > stopAbove) {
      if (parts) Object.assign(parts, { functions: functionBlocks, ...kept, board, data: blocks - board - functionBlocks - kept.scopeLinks - kept.scopes });
      return blocks;
    }
    const batch = functions;
    functions = [];
    const read = scopes!(batch);
    for (let f = 0; f < batch.length; f++) {
      if (!read) blocks += closureBlocks(batch[f]!, factsOf(batch[f]!, builtinNames), global, globalNames, captured);
      else blocks += keptScopeBlocks(read[f] ?? [], keptSeen, seen, stack, kept);
    }
  }
}

interface KeptParts {
  scopeLinks: number;
  scopes: number;
}

/**
 * What a function's kept scopes (closure-scan.ts, innermost first) cost: its
 * scope link (src/jsparse.c jspeFunctionDefinitionInternal adds `#sco`
 * pointing at jspeiGetScopesAsVar(): the one scope itself, or, nested
 * deeper, a copy of the scope list: an array and a name per scope), and each
 * scope not met before in this count: its own JsVar (the call's
 * `functionRoot`, jspeFunctionCall) and a name and value per variable. A
 * `Script` scope (top-level `let`/`const`) is Espruino's root: its
 * variables, no scope of its own.
 */
function keptScopeBlocks(reads: readonly ScopeRead[], keptSeen: Set<ScopeIdentity>, seen: Seen, stack: object[], parts: KeptParts): number {
  let blocks = 0;
  let values = 0;
  let depth = 0;
  for (const { identity, scope } of reads) {
    const root = scope.kind === 'Script';
    if (!root) depth++;
    if (keptSeen.has(identity)) continue;
    keptSeen.add(identity);
    if (!root) blocks += 1;
    for (const { name, value } of scope.variables) {
      blocks += nameBlocks(name.length);
      values += enqueue(value, seen, stack);
    }
  }
  const link = depth === 0 ? 0 : depth === 1 ? 1 : 2 + depth;
  parts.scopes += blocks;
  parts.scopeLinks += link;
  return blocks + values + link;
}

/**
 * A function's own children besides its properties (src/jsparse.c keeps, in
 * that order, its parameters, then code, scope and name): a name per
 * parameter (`length`, the parameters before a default or rest one), and the
 * `#cod` name with the code it points to (code loaded from Storage stays in
 * flash: one JsVar pointing there). The scope link is closureBlocks'.
 */
function functionChildren(fn: Function, facts: FunctionFacts, describedByBoard: boolean): number {
  const length = lengthOf(fn, facts, describedByBoard);
  return 2 + (typeof length === 'number' && length > 0 && length < 256 ? length : 0);
}

/**
 * A function's `length` as dataValue reads it, kept once read while board
 * code has described no property: V8's own `length` is not writable, so
 * only a descriptor (which tells the host: describedByBoard) changes it, or
 * `delete`, after which it is no longer own and is read again.
 */
function lengthOf(fn: Function, facts: FunctionFacts, describedByBoard: boolean): unknown {
  if (describedByBoard || !hasOwn.call(fn, 'length')) return dataValue(fn, 'length');
  if (facts.length !== undefined) return facts.length;
  const length = dataValue(fn, 'length');
  if (lookupGetter.call(fn, 'length') === undefined) facts.length = length;
  return length;
}

/**
 * What a walk has met: objects in a Set, functions (most of what firmware
 * holds) by the walk's number in their facts, which the walk reads anyway.
 */
interface Seen {
  objects: Set<object>;
  /** This walk's number (walks), 0: functions go in the Set too. */
  walk: number;
  builtinNames: ReadonlySet<string>;
  /** Strings Storage.read gave (primitiveBlocks). */
  flash: ReadonlySet<string>;
}

let walks = 0;

/** An object or function not met before goes on the walk's stack (0 blocks now); a primitive's blocks. */
function enqueue(value: unknown, seen: Seen, stack: object[]): number {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return primitiveBlocks(value, seen.flash);
  if (typeof value === 'function' && seen.walk !== 0) {
    const facts = factsOf(value, seen.builtinNames);
    if (facts.metInWalk !== seen.walk) {
      facts.metInWalk = seen.walk;
      stack.push(value);
    }
    return 0;
  }
  if (!seen.objects.has(value)) {
    seen.objects.add(value);
    stack.push(value);
  }
  return 0;
}

const NO_FLASH: ReadonlySet<string> = new Set();
const getOwnPropertyNames = Object.getOwnPropertyNames;
const keysOf = Object.keys;
const isArray = Array.isArray;

/**
 * Objects whose own properties were all enumerable data properties when a
 * count first met them (an array's length aside): read with Object.keys and
 * plain reads (no getter can run) until board code describes a property.
 * Board code makes an accessor only with a descriptor, `__defineGetter__` or
 * `__defineSetter__` (which tell the host as a descriptor does) or an object
 * literal or class (there from the object's start).
 */
const plainData = new WeakSet<object>();

/**
 * The own names a count reads: every own name but an array's `length`
 * (Espruino keeps it in the array's own JsVar, src/jsvar.c
 * jsvGetArrayLength) and the names V8 gives every function.
 */
function ownNames(obj: object, facts: FunctionFacts | undefined, describedByBoard: boolean): readonly string[] {
  const isFunction = facts !== undefined;
  const names = getOwnPropertyNames(obj);
  const array = isArray(obj);
  let plain = !describedByBoard;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if ((array && name === 'length') || (isFunction && FUNCTION_OWN_KEYS.has(name))) {
      names[i] = names[names.length - 1]!;
      names.length--;
      i--;
    } else if (plain && (lookupGetter.call(obj, name) !== undefined || lookupSetter.call(obj, name) !== undefined)) plain = false;
  }
  if (plain && keysOf(obj).length === names.length) {
    if (facts) facts.plain = true;
    else plainData.add(obj);
  }
  return names;
}

/**
 * A primitive's own JsVars (undefined is no value). An integer sits in its name when it fits a reference
 * (src/jsvar.c jsvMakeIntoVariableName: JSV_NAME_INT_INT, JSV_NAME_STRING_INT between JSVARREF_MIN and
 * JSVARREF_MAX, ±2^11 with the Puck.js's 12-bit references: src/jsutils.h); any other number is a JsVar.
 * A string Storage.read gave points into the memory-mapped flash (src/jsflash.c jsfReadFile: a native
 * string, one JsVar however long); one made equal to it in RAM counts the same, while it is one of the last
 * few read.
 */
function primitiveBlocks(value: unknown, flash: ReadonlySet<string>): number {
  switch (typeof value) {
    case 'undefined':
      return 0;
    case 'number':
      return Number.isInteger(value) && value >= NAME_INT_MIN && value <= NAME_INT_MAX ? 0 : 1;
    case 'string':
      return flash.has(value) ? 1 : stringBlocks(value.length);
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
function closureBlocks(fn: Function, facts: FunctionFacts, global: object, globalNames: readonly string[] | undefined, captured: NameMarks): number {
  let blocks = 0;
  let any = false;
  const names = namesCapturedBy(fn, facts);
  const ids = idsOf(facts);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (globalNames ? includes(globalNames, name) : hasOwn.call(global, name)) continue;
    any = true;
    const id = ids[i]!;
    if (id >= captured.marks.length) captured.marks = grown(captured.marks, id);
    if (captured.marks[id] === captured.stamp) continue;
    captured.marks[id] = captured.stamp;
    blocks += nameBlocks(name.length) + 1;
  }
  return any ? blocks + 1 : blocks;
}

function includes(names: readonly string[], name: string): boolean {
  for (let i = 0; i < names.length; i++) if (names[i] === name) return true;
  return false;
}

/**
 * The captured names one walk has met, by their number (`interned`): a
 * count meets a hundred names, the same each time, and marking a number
 * costs less than a Set of strings.
 */
interface NameMarks {
  /** A name was met in this walk when its mark is the walk's stamp. */
  marks: Uint32Array;
  stamp: number;
  inUse: boolean;
}

/** Each captured name's number; dropped between walks once it grows large (functions' ids are then numbered again). */
const interned = new Map<string, number>();
const INTERNED_LIMIT = 1 << 16;
let internedGeneration = 0;

/** One set of marks for every walk, each with its own stamp; a walk inside a walk (none is known) would get its own. */
const nameMarks: NameMarks = { marks: new Uint32Array(256), stamp: 0, inUse: false };

function takeNameMarks(): NameMarks {
  if (nameMarks.inUse) return { marks: new Uint32Array(interned.size + 16), stamp: 1, inUse: true };
  if (interned.size > INTERNED_LIMIT) {
    interned.clear();
    internedGeneration++;
  }
  nameMarks.inUse = true;
  if (++nameMarks.stamp > 0xffffffff) {
    nameMarks.marks.fill(0);
    nameMarks.stamp = 1;
  }
  return nameMarks;
}

function grown(marks: Uint32Array, id: number): Uint32Array {
  const more = new Uint32Array(Math.max(id + 16, marks.length * 2));
  more.set(marks);
  return more;
}

function idsOf(facts: FunctionFacts): Int32Array {
  if (facts.ids && facts.generation === internedGeneration) return facts.ids;
  const ids = new Int32Array(facts.names.length);
  for (let i = 0; i < ids.length; i++) {
    const name = facts.names[i]!;
    let id = interned.get(name);
    if (id === undefined) interned.set(name, (id = interned.size));
    ids[i] = id;
  }
  facts.ids = ids;
  facts.generation = internedGeneration;
  return ids;
}

/**
 * What `fn` captures that is not one of the board's built-ins, kept per
 * function: a function's source text never changes, and each count meets
 * the same firmware functions again (asking for their text each time built
 * a new string to look up by). A function lives in one RAM, whose built-in
 * names are fixed when it is made.
 */
const capturedByFunction = new WeakMap<Function, FunctionFacts>();

interface FunctionFacts {
  builtinNames: ReadonlySet<string>;
  /** What it captures; read from its source when a walk first needs them. */
  names: readonly string[];
  namesRead: boolean;
  /** The names' numbers (interned), of `generation`. */
  ids?: Int32Array;
  generation?: number;
  /** Its own `length`, a data property when read (lengthOf). */
  length?: unknown;
  /** Its own properties were all enumerable data properties when a count first met it (plainData, for functions). */
  plain: boolean;
  /** The last walk that met it (Seen). */
  metInWalk: number;
}

function factsOf(fn: Function, builtinNames: ReadonlySet<string>): FunctionFacts {
  let facts = capturedByFunction.get(fn);
  if (facts?.builtinNames !== builtinNames) {
    facts = { builtinNames, names: [], namesRead: false, plain: false, metInWalk: 0 };
    capturedByFunction.set(fn, facts);
  }
  return facts;
}

function namesCapturedBy(fn: Function, facts: FunctionFacts): readonly string[] {
  if (!facts.namesRead) {
    facts.namesRead = true;
    try {
      facts.names = capturedNames(functionToString.call(fn)).filter((name) => !facts.builtinNames.has(name));
    } catch {
      facts.names = [];
    }
  }
  return facts.names;
}

const hasOwn = Object.prototype.hasOwnProperty;

// The host's own functions and getters: firmware may redefine the board's (a getter that never returns).
const functionToString = Function.prototype.toString;
const typedArrayBuffer = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, 'buffer')!.get!;
const dataViewBuffer = Object.getOwnPropertyDescriptor(DataView.prototype, 'buffer')!.get!;
const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;

/** Cross-realm and runs no board code (Object.prototype.toString would read a Symbol.toStringTag the board may define). */
function isArrayBuffer(value: object): boolean {
  return types.isArrayBuffer(value);
}

function bufferOf(view: ArrayBufferView): ArrayBufferLike {
  try {
    return typedArrayBuffer.call(view) as ArrayBufferLike;
  } catch {
    return dataViewBuffer.call(view) as ArrayBufferLike;
  }
}

/**
 * An own property's value when it is a data property; undefined for an
 * accessor (no getter of the board's runs). `key` is an own property, so when
 * __lookupGetter__ finds no getter the read stops at it: a data property, or
 * a setter alone, which reads as undefined without calling anything. (A
 * Proxy could run board code here, as a descriptor read would; the board has
 * no Proxy, hidden-builtins.ts.) Unlike Object.getOwnPropertyDescriptor it
 * makes no descriptor: a count reads a few hundred properties.
 */
function dataValue(obj: object, key: string): unknown {
  return lookupGetter.call(obj, key) === undefined ? (obj as Record<string, unknown>)[key] : undefined;
}

const { __lookupGetter__: lookupGetter, __lookupSetter__: lookupSetter } = Object.prototype as unknown as Record<'__lookupGetter__' | '__lookupSetter__', (key: string) => Function | undefined>;
