/**
 * Little-endian bytes as every BLE layer carries them, and the one result
 * shape the BLE codecs answer with.
 *
 * Byte order: HCI, L2CAP, ATT and SMP put every multi-octet field least
 * significant octet first (Core v5.4 Vol 4 Part E 5.2; Vol 3 Part A 3;
 * Vol 3 Part F 3.3; Vol 3 Part H 3.3). The specification prints keys, nonces,
 * addresses and sample data most significant octet first: `fromSpecHex` turns
 * such a printed value into the order the wire (and every function here) uses.
 *
 * The reader never throws: reading past the end yields zeros and sets
 * `overrun`, which a decoder checks once after reading its fields.
 */

/** What every BLE decoder answers: the value, or a typed error naming what is wrong. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/** Sequential little-endian reads over a byte array; never throws. */
export class ByteReader {
  private position = 0;
  /** Set once a read went past the end; the values read then are zeros. */
  overrun = false;

  constructor(private readonly bytes: Uint8Array) {}

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return Math.max(0, this.bytes.length - this.position);
  }

  u8(): number {
    return this.uint(1);
  }

  i8(): number {
    const v = this.u8();
    return v >= 0x80 ? v - 0x100 : v;
  }

  u16(): number {
    return this.uint(2);
  }

  u24(): number {
    return this.uint(3);
  }

  u32(): number {
    return this.uint(4);
  }

  /** `length` bytes (a copy); past the end, what there is and `overrun`. */
  take(length: number): Uint8Array {
    if (length > this.remaining) this.overrun = true;
    const out = this.bytes.slice(this.position, this.position + length);
    this.position += length;
    return out;
  }

  /** Everything not read yet (a copy). */
  rest(): Uint8Array {
    return this.take(this.remaining);
  }

  private uint(size: number): number {
    if (size > this.remaining) {
      this.overrun = true;
      this.position += size;
      return 0;
    }
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + (this.bytes[this.position + i] ?? 0);
    this.position += size;
    return value;
  }
}

/** Little-endian writes into a growing buffer. Throws RangeError on a value that does not fit its field. */
export class ByteWriter {
  private readonly out: number[] = [];

  u8(value: number): this {
    return this.uint(value, 1);
  }

  i8(value: number): this {
    if (!Number.isInteger(value) || value < -128 || value > 127) throw new RangeError(`${value} is not a signed octet`);
    this.out.push(value & 0xff);
    return this;
  }

  u16(value: number): this {
    return this.uint(value, 2);
  }

  u24(value: number): this {
    return this.uint(value, 3);
  }

  u32(value: number): this {
    return this.uint(value, 4);
  }

  bytes(value: Uint8Array, length?: number): this {
    if (length !== undefined && value.length !== length) throw new RangeError(`expected ${length} bytes, got ${value.length}`);
    for (const b of value) this.out.push(b);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.out);
  }

  private uint(value: number, size: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** (8 * size)) throw new RangeError(`${value} does not fit in ${size} octet(s)`);
    let v = value;
    for (let i = 0; i < size; i++) {
      this.out.push(v % 256);
      v = Math.floor(v / 256);
    }
    return this;
  }
}

/** Hex text (spaces, colons and `0x` ignored) → bytes in the order written. Throws on odd length or non-hex. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s:_-]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new RangeError(`not hex: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes → lower-case hex in the order given. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A value the specification prints most significant octet first → the octets in wire (LSB-first) order. */
export function fromSpecHex(text: string): Uint8Array {
  return fromHex(text).reverse();
}

/** Wire (LSB-first) octets → the specification's MSB-first hex. */
export function toSpecHex(bytes: Uint8Array): string {
  return toHex(bytes.slice().reverse());
}

export { concatBytes } from '../bytes';

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * BD_ADDR (Vol 2 Part B 1.2, carried LSB first as in HCI and SMP) ↔ the
 * usual text `AA:BB:CC:DD:EE:FF` (MSB first, as ble-host and Wireshark show it).
 */
export function addressToString(address: Uint8Array): string {
  return toSpecHex(address).toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/** `AA:BB:CC:DD:EE:FF` → the 6 octets LSB first. Throws RangeError on anything else. */
export function addressFromString(text: string): Uint8Array {
  if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(text)) throw new RangeError(`not a BD_ADDR: ${text}`);
  return fromSpecHex(text);
}
