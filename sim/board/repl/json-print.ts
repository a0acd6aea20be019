/**
 * Espruino's value printer, src/jswrap_json.c jsfGetJSONWithCallback, applied to
 * V8 values. Flags are the JSONFlags bits that change console output:
 * `print`/`console.log` use PRETTY|SOME_NEWLINES|SHOW_OBJECT_NAMES
 * (src/jswrap_interactive.c jswrap_interface_print), the `=` result adds
 * LIMIT|SHOW_DEVICES|DROP_QUOTES (src/jsinteractive.c jsiHandleNewLine).
 *
 * Line breaks come out as '\n'; the console turns them into "\r\n".
 */
import { functionText } from './function-text';
import { numberText } from './number-text';
import { quoted, toLatin1 } from './string-escape';

export interface JsonFlags {
  /** JSON_SOME_NEWLINES: break lines before non-numeric items, and after 4 object items. */
  someNewlines: boolean;
  /** JSON_PRETTY: `{ a: 1 }` / `[ 1, 2 ]` spacing. */
  pretty: boolean;
  /** JSON_LIMIT: long arrays and strings shortened with " ... ", function bodies elided. */
  limit: boolean;
  /** JSON_SHOW_OBJECT_NAMES: `Foo: {...}` for instances of global classes. */
  showObjectNames: boolean;
  /** JSON_DROP_QUOTES: unquoted keys when they are identifiers or integers. */
  dropQuotes: boolean;
  /** JSON_SHOW_DEVICES: built-in devices (SPI1, Serial1…) print as their name. */
  showDevices: boolean;
}

/**
 * Values the virtual board models with objects but Espruino prints specially
 * (pins such as `D1`, devices such as `SPI1`) carry a method under this symbol
 * returning the exact text, or undefined to fall back to the generic printer.
 */
export const ESPRUINO_INSPECT = Symbol.for('espruino.inspect');
export type EspruinoInspect = (mode: { result: boolean }) => string | undefined;

export function valueToJson(value: unknown, flags: JsonFlags): string {
  const out: string[] = [];
  writeValue(value, flags, 0, out, new Set());
  return out.join('');
}

// ---------------------------------------------------------------------------

/** src/jswrap_json.c constants. */
const LIMIT_AMOUNT = 15;
const LIMITED_AMOUNT = 5;
const LIMIT_STRING_AMOUNT = 40;
const LIMITED_STRING_AMOUNT = 17;
const ITEMS_ON_LINE_OBJECT = 4;
const LIMIT_TEXT = ' ... ';
const WHITESPACE = '  ';

function newLine(indent: number, out: string[]): void {
  out.push('\n' + WHITESPACE.repeat(indent));
}

/** jsonNeedsNewLine: everything but undefined, null and numerics (booleans are numeric in Espruino). */
function needsNewLine(v: unknown): boolean {
  return !(v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean');
}

function writeValue(value: unknown, flags: JsonFlags, indent: number, out: string[], busy: Set<object>): void {
  if (value === undefined) {
    out.push('undefined');
    return;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'number':
      out.push(numberText(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'string':
      writeString(value, flags, out);
      return;
    case 'bigint':
    case 'symbol':
      out.push(toLatin1(String(value)));
      return;
    default:
      break;
  }
  const obj = value as object;
  const special = inspectText(obj, flags);
  if (special !== undefined) {
    out.push(special);
    return;
  }
  // JSV_IS_RECURSING
  if (busy.has(obj)) {
    out.push(LIMIT_TEXT);
    return;
  }
  busy.add(obj);
  try {
    if (Array.isArray(obj)) writeArray(obj, flags, indent, out, busy);
    else if (isArrayBufferLike(obj)) writeArrayBuffer(obj, flags, out);
    else if (typeof obj === 'function') writeFunction(obj as (...args: unknown[]) => unknown, flags, out);
    else writeObject(obj, flags, indent, out, busy);
  } finally {
    busy.delete(obj);
  }
}

/** Lengths and cuts count bytes, as the board's 8-bit strings do (jsvGetStringLength). */
function writeString(text: string, flags: JsonFlags, out: string[]): void {
  const s = toLatin1(text);
  if (flags.limit && s.length > LIMIT_STRING_AMOUNT) {
    out.push(quoted(s.slice(0, LIMITED_STRING_AMOUNT)) + LIMIT_TEXT + quoted(s.slice(s.length - LIMITED_STRING_AMOUNT)));
  } else {
    out.push(quoted(s));
  }
}

function inspectText(obj: object, flags: JsonFlags): string | undefined {
  try {
    const inspect = (obj as Record<symbol, unknown>)[ESPRUINO_INSPECT];
    if (typeof inspect !== 'function') return undefined;
    const text = (inspect as EspruinoInspect).call(obj, { result: flags.showDevices });
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Arrays: holes print as `undefined`; non-index keys follow the items in PRETTY mode. */
function writeArray(arr: unknown[], flags: JsonFlags, indent: number, out: string[], busy: Set<object>): void {
  const length = arr.length;
  const limited = flags.limit && length > LIMIT_AMOUNT;
  let needNewLine = false;
  let first = true;
  out.push(flags.pretty ? '[ ' : '[');
  const present = Object.keys(arr).filter(isArrayIndex).map(Number);
  const isPresent = new Set(present);
  let lastIndex = -1;
  // Mirrors the iterator walk: a hole takes its line-break decision from the next present item.
  const stops: Array<{ index: number; item: unknown }> = present.map((i) => ({ index: i, item: arr[i] }));
  if (lastIndex + 1 < length && (stops.length === 0 || stops[stops.length - 1]!.index < length - 1)) {
    stops.push({ index: length - 1, item: undefined });
  }
  for (const stop of stops) {
    while (lastIndex < stop.index) {
      lastIndex++;
      if (!limited || lastIndex < LIMITED_AMOUNT || lastIndex >= length - LIMITED_AMOUNT) {
        if (!first) out.push(flags.pretty ? ', ' : ',');
        first = false;
        if (limited && lastIndex === length - LIMITED_AMOUNT) out.push(LIMIT_TEXT);
        const newNeedsNewLine = flags.someNewlines && needsNewLine(stop.item);
        if (needNewLine || newNeedsNewLine) {
          newLine(indent + 1, out);
          needNewLine = false;
        }
        if (lastIndex === stop.index && isPresent.has(stop.index)) writeValue(stop.item, flags, indent + 1, out, busy);
        else out.push('undefined');
        needNewLine = newNeedsNewLine;
      }
    }
  }
  if (flags.pretty) {
    const extra = Object.keys(arr).filter((k) => !isArrayIndex(k));
    writeObjectItems(arr as unknown as Record<string, unknown>, extra, flags, indent, out, busy, first);
  }
  if (needNewLine) newLine(indent, out);
  out.push(flags.pretty ? ' ]' : ']');
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}

const TYPED_ARRAY_TAGS = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array',
]);

function tagOf(obj: object): string {
  return Object.prototype.toString.call(obj).slice(8, -1);
}

function isArrayBufferLike(obj: object): boolean {
  const tag = tagOf(obj);
  return tag === 'ArrayBuffer' || TYPED_ARRAY_TAGS.has(tag);
}

/** Typed arrays and ArrayBuffers: `new Uint8Array([1, 2])`, all-zero ones as `new Uint8Array(5)`. */
function writeArrayBuffer(obj: object, flags: JsonFlags, out: string[]): void {
  const tag = tagOf(obj);
  const isBasicArrayBuffer = tag === 'ArrayBuffer';
  const items: ArrayLike<number> = isBasicArrayBuffer
    ? new Uint8Array(obj as ArrayBuffer)
    : (obj as unknown as ArrayLike<number>);
  const length = items.length;
  let allZero = true;
  for (let i = 0; i < length; i++) if (items[i] !== 0) allZero = false;
  if (allZero) {
    out.push(`new ${tag}(${length})`);
    return;
  }
  out.push(`new ${isBasicArrayBuffer ? 'Uint8Array' : tag}([`);
  const limited = flags.limit && length > LIMIT_AMOUNT;
  for (let i = 0; i < length; i++) {
    if (!limited || i < LIMITED_AMOUNT || i >= length - LIMITED_AMOUNT) {
      if (i > 0) out.push(flags.pretty ? ', ' : ',');
      if (limited && i === length - LIMITED_AMOUNT) out.push(LIMIT_TEXT);
      out.push(numberText(items[i]!));
    }
  }
  out.push('])');
  if (isBasicArrayBuffer) out.push('.buffer');
}

function writeFunction(fn: (...args: unknown[]) => unknown, flags: JsonFlags, out: string[]): void {
  const text = functionText(fn, flags.limit);
  out.push('function ' + text.params + ' ' + toLatin1(text.body));
}

function writeObject(obj: object, flags: JsonFlags, indent: number, out: string[], busy: Set<object>): void {
  if (flags.showObjectNames) {
    const proto = safe(() => Object.getPrototypeOf(obj) as object | null, null);
    // Object literals carry no __proto__ in Espruino: a chain's root prototype names nothing.
    const isRootProto = !proto || safe(() => Object.getPrototypeOf(proto) === null, true);
    const ctorDesc = proto && !isRootProto ? safe(() => Object.getOwnPropertyDescriptor(proto, 'constructor'), undefined) : undefined;
    const ctor: unknown = ctorDesc && 'value' in ctorDesc ? ctorDesc.value : undefined;
    if (typeof ctor === 'function') {
      const name = globalNameOf(ctor as (...args: unknown[]) => unknown);
      if (name !== undefined) out.push(name + ': ');
      // A non-default toString is executed and its result printed instead of the contents.
      const toStringFn = safe(() => (obj as { toString?: unknown }).toString, undefined);
      if (typeof toStringFn === 'function' && !isDefaultToString(obj, toStringFn)) {
        out.push(toLatin1(safe(() => String(toStringFn.call(obj)), '')));
        return;
      }
    }
  }
  out.push(flags.pretty ? '{ ' : '{');
  const keys = safe(() => Object.keys(obj), [] as string[]);
  const needNewLine = writeObjectItems(obj as Record<string, unknown>, keys, flags, indent, out, busy, true);
  if (needNewLine) newLine(indent, out);
  out.push(flags.pretty ? ' }' : '}');
}

/** jsfGetJSONForObjectItWithCallback. Accessor properties are hidden (jsvIsGetterOrSetter). */
function writeObjectItems(
  obj: Record<string, unknown>,
  keys: string[],
  flags: JsonFlags,
  indent: number,
  out: string[],
  busy: Set<object>,
  first: boolean,
): boolean {
  let needNewLine = false;
  let sinceNewLine = 0;
  for (const k of keys) {
    const desc = ownDescriptor(obj, k);
    if (!desc || !('value' in desc)) continue;
    const item: unknown = desc.value;
    sinceNewLine++;
    if (!first) out.push(flags.pretty ? ', ' : ',');
    const newNeedsNewLine = flags.someNewlines && needsNewLine(item);
    if (flags.someNewlines && sinceNewLine > ITEMS_ON_LINE_OBJECT) needNewLine = true;
    if (needNewLine || newNeedsNewLine) {
      newLine(indent + 1, out);
      needNewLine = false;
      sinceNewLine = 0;
    }
    const addQuotes = !(flags.dropQuotes && (isIntegerish(k) || (k.length < 63 && isIDString(k))));
    out.push((addQuotes ? quoted(k) : toLatin1(k)) + (flags.pretty ? ': ' : ':'));
    first = false;
    writeValue(item, flags, indent + 1, out, busy);
    needNewLine = newNeedsNewLine;
  }
  return needNewLine;
}

/** Keys Espruino stores as integer names (jsvIsIntegerish). */
function isIntegerish(k: string): boolean {
  return /^-?(0|[1-9]\d*)$/.test(k) && Number(k) >= -2147483648 && Number(k) <= 2147483647;
}

/** src/jsutils.c isIDString: [A-Za-z_][A-Za-z0-9_]* ('$' is not alpha there). */
function isIDString(k: string): boolean {
  if (k.length === 0) return false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!alpha && (i === 0 || c < 48 || c > 57)) return false;
  }
  return true;
}

/** An own property's descriptor; undefined when asking throws (each key of a printed object: no closure made per key). */
function ownDescriptor(obj: object, key: string): PropertyDescriptor | undefined {
  try {
    return Object.getOwnPropertyDescriptor(obj, key);
  } catch {
    return undefined;
  }
}

/**
 * Espruino prints the name under which the constructor is found in the root scope
 * (jsvGetIndexOf(execInfo.root, constructor)). For a V8 value we look the
 * constructor's own name up as a global binding of the realm that made it —
 * `new Function` code sees global `var`, `let` and `class` bindings alike.
 */
function globalNameOf(ctor: (...args: unknown[]) => unknown): string | undefined {
  const name = safe(() => ctor.name, '');
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  const RealmFunction = safe(() => (ctor as unknown as { constructor: FunctionConstructor }).constructor, undefined);
  if (typeof RealmFunction !== 'function') return undefined;
  const bound = safe(() => RealmFunction(`try { return ${name}; } catch (e) { return undefined; }`)() as unknown, undefined);
  return bound === ctor ? name : undefined;
}

/** Object.prototype.toString of the value's own realm (the root of its prototype chain). */
function isDefaultToString(obj: object, fn: unknown): boolean {
  let proto: object | null = obj;
  let root: object | null = null;
  for (let depth = 0; proto && depth < 1000; depth++) {
    root = proto;
    proto = safe(() => Object.getPrototypeOf(proto) as object | null, null);
  }
  const rootToString = root ? safe(() => Object.getOwnPropertyDescriptor(root, 'toString')?.value as unknown, undefined) : undefined;
  return fn === rootToString || fn === Object.prototype.toString;
}

function safe<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}
