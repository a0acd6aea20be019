/**
 * BER-TLV as EMV profiles it: tags, lengths, values, and trees of them.
 *
 * Sources: EMV Book 3 (v4.3) Annex B "Rules for BER-TLV Data Objects"
 * (B1 tag field, B2 length field, B3 value field), which restricts
 * ISO/IEC 8825-1:2008 8.1; ISO/IEC 7816-4:2005 5.2.2.1 for the '00'/'FF'
 * bytes allowed before, between and after data objects.
 *
 *   tag     b8-b7 class (00 universal, 01 application, 10 context, 11 private)
 *           b6 constructed; b5-b1 = 11111 means more tag bytes follow, each
 *           with b8 = 1 while yet another follows (ISO/IEC 8825-1 8.1.2.4).
 *           EMV's tags are 1-3 bytes; longer ones are refused.
 *   length  '00'-'7F' short form; '81'-'84' then 1-4 bytes, big-endian.
 *           '80' (indefinite form) is refused: EMV Book 3 B2 allows only
 *           definite lengths.
 *   value   `length` bytes; for a constructed tag, more data objects.
 *
 * A tag is a number made of its bytes ('9F02' → 0x9F02). Errors are values
 * with the byte offset where reading failed; `tlvErrorStatusWord` gives the
 * answer an applet returns for them.
 */

export type TagClass = 'universal' | 'application' | 'context-specific' | 'private';

export interface TlvNode {
  tag: number;
  constructed: boolean;
  /** The value field's bytes (for a constructed object, its children's encoding). */
  value: Uint8Array;
  /** For constructed objects: the data objects inside. */
  children?: TlvNode[];
  /** Offset of the tag's first byte in the parsed buffer. */
  offset: number;
}

/** What `encodeTlv` takes: a primitive value or constructed children. */
export type TlvInput = { tag: number; value: Uint8Array } | { tag: number; children: TlvInput[] };

export type TlvErrorKind =
  | 'truncated-tag' // the buffer ends inside a tag
  | 'tag-too-long' // more than 3 tag bytes
  | 'invalid-tag' // '00'/'FF' where a tag is due (padding not allowed here), or a subsequent byte '80' (8825-1 8.1.2.4.2 c)
  | 'truncated-length' // the buffer ends inside a length field
  | 'indefinite-length' // '80'
  | 'length-too-long' // '85' or more: more than 4 length bytes
  | 'truncated-value' // the value runs past the buffer (or past its parent)
  | 'too-deep'; // nesting beyond the allowed depth

export interface TlvError {
  kind: TlvErrorKind;
  /** Offset of the byte where reading failed. */
  offset: number;
  detail: string;
}

export type TlvResult<T> = { ok: true; value: T } | { ok: false; error: TlvError };

export interface ParseOptions {
  /** Skip '00' and 'FF' bytes between data objects (ISO/IEC 7816-4:2005 5.2.2.1). Default false. */
  allowPadding?: boolean;
  /** Most levels of constructed objects read; deeper is 'too-deep'. Default 16. */
  maxDepth?: number;
}

/** Parse a buffer of consecutive data objects into trees. Never throws. */
export function parseTlv(bytes: Uint8Array, options: ParseOptions = {}): TlvResult<TlvNode[]> {
  return parseLevel(bytes, 0, bytes.length, 0, { allowPadding: options.allowPadding ?? false, maxDepth: options.maxDepth ?? 16 });
}

/** An applet's answer to a data field it cannot read: truncation is a length error, the rest wrong data. */
export function tlvErrorStatusWord(error: TlvError): number {
  return error.kind.startsWith('truncated') ? 0x6700 : 0x6a80;
}

/** Read one tag at `offset`. */
export function readTag(bytes: Uint8Array, offset: number): TlvResult<{ tag: number; size: number }> {
  const first = bytes[offset];
  if (first === undefined) return fail('truncated-tag', offset, 'expected a tag');
  if ((first & 0x1f) !== 0x1f) return { ok: true, value: { tag: first, size: 1 } };
  let tag = first;
  for (let i = 1; ; i++) {
    const b = bytes[offset + i];
    if (b === undefined) return fail('truncated-tag', offset + i, `tag ${hex(tag)}… is cut short`);
    if (i === 1 && b === 0x80) return fail('invalid-tag', offset + i, 'the first subsequent tag byte has b7-b1 all zero');
    tag = tag * 256 + b;
    if ((b & 0x80) === 0) return { ok: true, value: { tag, size: i + 1 } };
    if (i + 1 >= 3) return fail('tag-too-long', offset, `tag ${hex(tag)}… has more than 3 bytes`);
  }
}

/** Read one definite length field at `offset`. */
export function readLength(bytes: Uint8Array, offset: number): TlvResult<{ length: number; size: number }> {
  const first = bytes[offset];
  if (first === undefined) return fail('truncated-length', offset, 'expected a length');
  if (first < 0x80) return { ok: true, value: { length: first, size: 1 } };
  if (first === 0x80) return fail('indefinite-length', offset, 'the indefinite length form is not allowed (EMV Book 3 B2)');
  const count = first & 0x7f;
  if (count > 4) return fail('length-too-long', offset, `a length of ${count} bytes`);
  if (offset + 1 + count > bytes.length) return fail('truncated-length', offset, `the length field needs ${count} more bytes`);
  let length = 0;
  for (let i = 1; i <= count; i++) length = length * 256 + bytes[offset + i]!;
  return { ok: true, value: { length, size: 1 + count } };
}

/** The tag's class from its first byte. */
export function tagClass(tag: number): TagClass {
  return (['universal', 'application', 'context-specific', 'private'] as const)[(firstTagByte(tag) >> 6) & 3]!;
}

/** True when b6 of the first tag byte is set. */
export function isConstructed(tag: number): boolean {
  return (firstTagByte(tag) & 0x20) !== 0;
}

export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffff) throw new RangeError(`tag ${tag} is not 1-3 bytes`);
  const size = tag > 0xffff ? 3 : tag > 0xff ? 2 : 1;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(tag / 256 ** (size - 1 - i)) & 0xff;
  return out;
}

/** The shortest definite length field for `length`. */
export function encodeLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new RangeError(`length ${length} does not fit 4 bytes`);
  if (length < 0x80) return Uint8Array.of(length);
  const digits: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) digits.unshift(n % 256);
  return Uint8Array.from([0x80 | digits.length, ...digits]);
}

/** Encode one or more data objects. Throws RangeError on tags or lengths no TLV can carry. */
export function encodeTlv(input: TlvInput | TlvInput[]): Uint8Array {
  const parts = (Array.isArray(input) ? input : [input]).map((item) => {
    const value = 'children' in item ? encodeTlv(item.children) : item.value;
    return concat([encodeTag(item.tag), encodeLength(value.length), value]);
  });
  return concat(parts);
}

/** The first object with `tag`, searching depth-first through constructed objects. */
export function findTag(nodes: readonly TlvNode[], tag: number): TlvNode | undefined {
  for (const node of nodes) {
    if (node.tag === tag) return node;
    const inner = node.children && findTag(node.children, tag);
    if (inner) return inner;
  }
  return undefined;
}

// ---------------------------------------------------------------------------

interface Settings {
  allowPadding: boolean;
  maxDepth: number;
}

function parseLevel(bytes: Uint8Array, start: number, end: number, depth: number, settings: Settings): TlvResult<TlvNode[]> {
  const nodes: TlvNode[] = [];
  const view = bytes.subarray(0, end);
  let at = start;
  while (at < end) {
    const b = view[at]!;
    if (b === 0x00 || b === 0xff) {
      if (settings.allowPadding) { at++; continue; }
      return fail('invalid-tag', at, `'${hex(b)}' where a tag is due`);
    }
    const tag = readTag(view, at);
    if (!tag.ok) return tag;
    const length = readLength(view, at + tag.value.size);
    if (!length.ok) return length;
    const valueStart = at + tag.value.size + length.value.size;
    if (valueStart + length.value.length > end) {
      return fail('truncated-value', valueStart, `${hex(tag.value.tag)} declares ${length.value.length} bytes, ${end - valueStart} remain`);
    }
    const valueEnd = valueStart + length.value.length;
    const node: TlvNode = { tag: tag.value.tag, constructed: isConstructed(tag.value.tag), value: bytes.slice(valueStart, valueEnd), offset: at };
    if (node.constructed) {
      if (depth + 1 > settings.maxDepth) return fail('too-deep', at, `more than ${settings.maxDepth} levels`);
      const children = parseLevel(bytes, valueStart, valueEnd, depth + 1, settings);
      if (!children.ok) return children;
      node.children = children.value;
    }
    nodes.push(node);
    at = valueEnd;
  }
  return { ok: true, value: nodes };
}

function firstTagByte(tag: number): number {
  let t = tag;
  while (t > 0xff) t = Math.floor(t / 256);
  return t;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function fail(kind: TlvErrorKind, offset: number, detail: string): { ok: false; error: TlvError } {
  return { ok: false, error: { kind, offset, detail } };
}

function hex(n: number): string {
  const s = n.toString(16).toUpperCase();
  return s.length % 2 ? `0${s}` : s;
}
