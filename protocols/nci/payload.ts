/**
 * What every NCI message codec shares: its identity (MT, GID, OID), a payload
 * encoder and a payload decoder that reports what it could not read instead
 * of throwing. core.ts, rf.ts and nfcee.ts define the messages.
 *
 * Multi-octet integers in NCI payloads are little-endian, least significant
 * octet first (NCI 2.0 1.11 "Coding Conventions"; e.g. Max Routing Table
 * Size in CORE_INIT_RSP is __le16 in the Linux kernel's nci.h).
 */
import { MAX_PAYLOAD, segmentMessage } from './packet';
import type { ControlMessageType, Message } from './packet';

export interface PayloadError {
  kind: 'truncated' | 'trailing-bytes' | 'bad-value';
  /** The field that could not be read. */
  field: string;
  detail: string;
}
export type Decoded<T> = { ok: true; value: T } | { ok: false; error: PayloadError };

export interface MessageCodec<T> {
  mt: ControlMessageType;
  gid: number;
  oid: number;
  /** The payload bytes. */
  encodePayload(value: T): Uint8Array;
  /** The payload's fields, or what is wrong with it. Never throws. */
  decodePayload(payload: Uint8Array): Decoded<T>;
  /** The whole message as packets of at most `maxPayload` bytes (one packet when it fits). */
  encode(value: T, maxPayload?: number): Uint8Array[];
  /** Whether a reassembled message is this one. */
  matches(message: Message): boolean;
}

export function defineMessage<T>(mt: ControlMessageType, gid: number, oid: number, encodePayload: (value: T) => Uint8Array, read: (r: Reader) => T): MessageCodec<T> {
  return {
    mt, gid, oid, encodePayload,
    decodePayload(payload) {
      const reader = new Reader(payload);
      try {
        const value = read(reader);
        if (!reader.done()) return { ok: false, error: { kind: 'trailing-bytes', field: 'payload', detail: `${reader.remaining()} bytes left over` } };
        return { ok: true, value };
      } catch (e) {
        if (e instanceof ReadFailure) return { ok: false, error: e.error };
        throw e;
      }
    },
    encode(value, maxPayload = MAX_PAYLOAD) {
      return segmentMessage({ kind: 'control', mt, gid, oid, payload: encodePayload(value) }, maxPayload);
    },
    matches(message) {
      return message.kind === 'control' && message.mt === mt && message.gid === gid && message.oid === oid;
    },
  };
}

/** A message whose payload is one status octet (most responses). */
export function defineStatusMessage(mt: ControlMessageType, gid: number, oid: number): MessageCodec<{ status: number }> {
  return defineMessage<{ status: number }>(mt, gid, oid, (v) => bytes(v.status), (r) => ({ status: r.u8('Status') }));
}

/** A bounds-checked cursor over a payload; its failures become `PayloadError`s in `decodePayload`. */
export class Reader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  u8(field: string): number {
    return this.take(1, field)[0]!;
  }
  u16le(field: string): number {
    const b = this.take(2, field);
    return b[0]! | (b[1]! << 8);
  }
  u32le(field: string): number {
    const b = this.take(4, field);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
  take(n: number, field: string): Uint8Array {
    if (this.at + n > this.bytes.length) throw new ReadFailure({ kind: 'truncated', field, detail: `needs ${n} bytes at offset ${this.at}, ${this.bytes.length - this.at} remain` });
    const out = this.bytes.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }
  /** A length octet, then that many bytes. */
  lengthPrefixed(field: string): Uint8Array {
    return this.take(this.u8(`${field} length`), field);
  }
  rest(): Uint8Array {
    return this.take(this.remaining(), 'rest');
  }
  remaining(): number {
    return this.bytes.length - this.at;
  }
  done(): boolean {
    return this.at === this.bytes.length;
  }
  fail(field: string, detail: string): never {
    throw new ReadFailure({ kind: 'bad-value', field, detail });
  }
}

/** Concatenate byte arrays and numbers (each number one octet). */
export function bytes(...parts: Array<number | Uint8Array | readonly number[]>): Uint8Array {
  const flat: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') flat.push(part & 0xff);
    else flat.push(...part);
  }
  return Uint8Array.from(flat);
}

export function u16le(n: number): number[] {
  return [n & 0xff, (n >> 8) & 0xff];
}

export function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

class ReadFailure extends Error {
  constructor(readonly error: PayloadError) {
    super(error.detail);
  }
}
