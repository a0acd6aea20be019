/**
 * Espruino's "anything to bytes" rule (jsvIterateCallback), used by
 * Storage.write, I2C writeTo, Serial.write, E.toUint8Array and E.toString:
 * numbers are one byte each (low 8 bits), strings give their char codes,
 * arrays / typed arrays / ArrayBuffers give their elements, and an object
 * `{data, count}` repeats `data` `count` times. Strings are 8-bit (latin1).
 */
import { types } from 'node:util';
import { isArrayBuffer, isBufferView } from './context/realm';

const isUint8Array = types.isUint8Array;
/** Shorter texts are made faster by concatenation than through a Buffer. */
const LATIN1_DECODE_FROM = 16;

export function toBytes(value: unknown): Uint8Array {
  if (typeof value === 'string') return latin1ToBytes(value);
  // E.toString(bytes) (the strap's RPC reply cache, every RPC line): one Uint8Array, alone or as the only argument
  const only = isArray(value) && value.length === 1 && getPrototypeOf(value) === Array.prototype ? (value[0] as unknown) : value;
  if (isUint8Array(only)) return uint8Copy(only);
  // E.toUint8Array(text) (the RPC reply cache, every RPC line): collect takes a string's chars as latin1ToBytes does
  if (typeof only === 'string') return latin1ToBytes(only);
  const out: number[] = [];
  collect(value, out);
  return Uint8Array.from(out);
}

const isArray = Array.isArray;
const getPrototypeOf = Object.getPrototypeOf;

/** A Uint8Array's elements are its bytes already (`& 0xff` changes none): copied as collect reads them, element by element. */
function uint8Copy(view: Uint8Array): Uint8Array {
  const n = view.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = view[i]!;
  return out;
}

function collect(value: unknown, out: number[]): void {
  if (typeof value === 'number' || typeof value === 'boolean') {
    out.push(Number(value) & 0xff);
  } else if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) out.push(value.charCodeAt(i) & 0xff);
  } else if (isBufferView(value)) {
    const view = value as ArrayBufferView;
    if (Object.prototype.toString.call(view) === '[object DataView]') {
      out.push(...new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    } else {
      const items = view as unknown as ArrayLike<number>;
      for (let i = 0; i < items.length; i++) out.push(Number(items[i]) & 0xff);
    }
  } else if (isArrayBuffer(value)) {
    out.push(...new Uint8Array(value));
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, out);
  } else if (value !== null && typeof value === 'object' && 'data' in value) {
    const { data, count } = value as { data: unknown; count?: unknown };
    const n = typeof count === 'number' ? count : 1;
    for (let i = 0; i < n; i++) collect(data, out);
  }
}

/**
 * How many bytes toBytes(value) would give, counted without making them (a
 * `{data, count}` multiplies), so a caller can refuse a size the board has no
 * memory for before the host allocates it.
 */
export function byteCount(value: unknown, depth = 0): number {
  if (typeof value === 'number' || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return value.length;
  if (isBufferView(value)) return (value as ArrayBufferView).byteLength;
  if (isArrayBuffer(value)) return value.byteLength;
  if (depth > 64) return 0;
  if (Array.isArray(value)) {
    let n = 0;
    for (const item of value) n += byteCount(item, depth + 1);
    return n;
  }
  if (value !== null && typeof value === 'object' && 'data' in value) {
    const { data, count } = value as { data: unknown; count?: unknown };
    const n = typeof count === 'number' ? count : 1;
    return n > 0 ? n * byteCount(data, depth + 1) : 0;
  }
  return 0;
}

export function bytesToLatin1(bytes: ArrayLike<number>): string {
  // a host Uint8Array: Node's latin1 decoding maps each byte to the char of that code, as the loop below does
  if (bytes.length > LATIN1_DECODE_FROM && bytes instanceof Uint8Array) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]! & 0xff);
  return s;
}

/** bytesToLatin1(toBytes(value)) (E.toString), a Uint8Array's text read from its own buffer without copying it first. */
export function toLatin1String(value: unknown): string {
  const only = isArray(value) && value.length === 1 && getPrototypeOf(value) === Array.prototype ? (value[0] as unknown) : value;
  if (!isUint8Array(only)) return bytesToLatin1(toBytes(value));
  const n = only.length;
  // the host's own getters: the board's prototype's are not asked (its `length` is, as collect reads it)
  if (n <= LATIN1_DECODE_FROM || n > (typedArrayLength.call(only) as number)) return bytesToLatin1(uint8Copy(only));
  return Buffer.from(typedArrayBuffer.call(only) as ArrayBuffer, typedArrayByteOffset.call(only) as number, n).toString('latin1');
}

const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const intrinsicGetter = (name: string) => Object.getOwnPropertyDescriptor(typedArrayPrototype, name)!.get!;
const typedArrayLength = intrinsicGetter('length');
const typedArrayBuffer = intrinsicGetter('buffer');
const typedArrayByteOffset = intrinsicGetter('byteOffset');

export function latin1ToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/**
 * bytesToLatin1(toBytes(value)) without making the bytes when `value` is a
 * string, or a host array of strings (Serial.write's arguments), whose
 * characters are all 8-bit: then the text is the characters themselves.
 */
export function toLatin1Text(value: unknown): string {
  if (typeof value === 'string' && isLatin1(value)) return value;
  // a host array only: reading a board array could run the board's Array.prototype
  if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) {
    let text = '';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'string' || !isLatin1(item)) return bytesToLatin1(toBytes(value));
      text += item;
    }
    return text;
  }
  return bytesToLatin1(toBytes(value));
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}
