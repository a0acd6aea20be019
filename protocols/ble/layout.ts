/**
 * Fixed parameter layouts, declared once as the specification's tables list
 * them (name → size, in order) and read or written from that one declaration.
 *
 * A field is `'u8' | 'i8' | 'u16' | 'u24' | 'u32'` (a little-endian integer,
 * a number) or a byte count (an octet string of that length, a Uint8Array in
 * wire order: BD_ADDR 6, Rand 8, keys 16, P-256 coordinates 32). The order of
 * an object literal's keys is the order on the wire.
 *
 *   const LtkReply = layout({ connectionHandle: 'u16', longTermKey: 16 });
 *   LtkReply.encode({ connectionHandle: 0x40, longTermKey }) // 18 bytes
 *   LtkReply.decode(bytes) // { ok: true, value } | { ok: false, error: { reason: 'length', … } }
 */
import { ByteReader, ByteWriter, fail, ok } from './bytes';
import type { Result } from './bytes';

export type IntegerField = 'u8' | 'i8' | 'u16' | 'u24' | 'u32';
/** An integer, or the length of an octet string. */
export type FieldKind = IntegerField | number;
export type Fields = Readonly<Record<string, FieldKind>>;
export type ValuesOf<F extends Fields> = { -readonly [K in keyof F]: F[K] extends number ? Uint8Array : number };

/** A layout's bytes do not have its length. */
export interface LayoutError {
  reason: 'length';
  expected: number;
  got: number;
  message: string;
}

export interface Layout<F extends Fields> {
  readonly fields: F;
  /** Octets of the whole layout. */
  readonly size: number;
  /** Throws RangeError when a value does not fit its field (a caller's bug, not a peer's bytes). */
  encode(values: ValuesOf<F>): Uint8Array;
  /** Exactly `size` bytes, or a length error. `trailing: 'allow'` accepts more (the rest is ignored). */
  decode(bytes: Uint8Array, options?: { trailing?: 'allow' }): Result<ValuesOf<F>, LayoutError>;
  /** Reads the fields from a reader (the caller checks `reader.overrun`). */
  read(reader: ByteReader): ValuesOf<F>;
  write(writer: ByteWriter, values: ValuesOf<F>): void;
}

export function layout<const F extends Fields>(fields: F): Layout<F> {
  const entries = Object.entries(fields) as [keyof F & string, FieldKind][];
  const size = entries.reduce((n, [, kind]) => n + sizeOf(kind), 0);
  const read = (reader: ByteReader): ValuesOf<F> => {
    const out: Record<string, number | Uint8Array> = {};
    for (const [name, kind] of entries) out[name] = readField(reader, kind);
    return out as ValuesOf<F>;
  };
  const write = (writer: ByteWriter, values: ValuesOf<F>): void => {
    for (const [name, kind] of entries) writeField(writer, kind, values[name] as number | Uint8Array, name);
  };
  return {
    fields,
    size,
    read,
    write,
    encode(values) {
      const writer = new ByteWriter();
      write(writer, values);
      return writer.finish();
    },
    decode(bytes, options = {}) {
      if (bytes.length < size || (bytes.length > size && options.trailing !== 'allow')) {
        return fail(lengthError(size, bytes.length));
      }
      return ok(read(new ByteReader(bytes)));
    },
  };
}

export function lengthError(expected: number, got: number, what = 'parameters'): LayoutError {
  return { reason: 'length', expected, got, message: `${what}: expected ${expected} octets, got ${got}` };
}

function sizeOf(kind: FieldKind): number {
  switch (kind) {
    case 'u8':
    case 'i8':
      return 1;
    case 'u16':
      return 2;
    case 'u24':
      return 3;
    case 'u32':
      return 4;
    default:
      return kind;
  }
}

function readField(reader: ByteReader, kind: FieldKind): number | Uint8Array {
  switch (kind) {
    case 'u8':
      return reader.u8();
    case 'i8':
      return reader.i8();
    case 'u16':
      return reader.u16();
    case 'u24':
      return reader.u24();
    case 'u32':
      return reader.u32();
    default:
      return reader.take(kind);
  }
}

function writeField(writer: ByteWriter, kind: FieldKind, value: number | Uint8Array, name: string): void {
  if (typeof kind === 'number') {
    if (!(value instanceof Uint8Array) || value.length !== kind) throw new RangeError(`${name}: expected ${kind} bytes`);
    writer.bytes(value);
    return;
  }
  if (typeof value !== 'number') throw new RangeError(`${name}: expected a number`);
  writer[kind](value);
}
