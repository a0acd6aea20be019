/**
 * Data Object Lists (PDOL '9F38', CDOL1 '8C', CDOL2 '8D', DDOL '9F49'): the
 * card's list of tags and lengths, and the terminal's concatenated values.
 *
 * Source: EMV 4.3 Book 3 5.4 "Rules for Using a Data Object List (DOL)".
 * A DOL is a sequence of (tag, length) pairs with no values. The terminal
 * builds the "DOL-related data" by concatenating, for each entry in order, a
 * value of exactly the listed length:
 *  - a constructed tag, or a data object the terminal does not have or does
 *    not know: the listed number of '00' bytes;
 *  - a value longer than listed: for format n its rightmost bytes, for every
 *    other format its leftmost bytes;
 *  - a value shorter than listed: format n is padded with leading '00' bytes,
 *    format cn with trailing 'FF' bytes, every other format (an, ans, b) with
 *    trailing '00' bytes.
 * The result has no tags and no lengths (GET PROCESSING OPTIONS wraps it in
 * '83', EMV Book 3 6.5.8.3).
 */
import { isConstructed, readLength, readTag } from '../ber-tlv/tlv';
import type { TlvError } from '../ber-tlv/tlv';
import { emvTag } from './tags';
import type { EmvFormat } from './tags';

export interface DolEntry {
  tag: number;
  length: number;
}

export type DolResult = { ok: true; value: DolEntry[] } | { ok: false; error: TlvError };

/** Read a DOL's (tag, length) pairs. Errors are BER-TLV errors with the failing offset. */
export function parseDol(dol: Uint8Array): DolResult {
  const entries: DolEntry[] = [];
  for (let at = 0; at < dol.length;) {
    const tag = readTag(dol, at);
    if (!tag.ok) return tag;
    const length = readLength(dol, at + tag.value.size);
    if (!length.ok) return length;
    if (length.value.length > 255) {
      return { ok: false, error: { kind: 'length-too-long', offset: at + tag.value.size, detail: `a DOL entry of ${length.value.length} bytes` } };
    }
    entries.push({ tag: tag.value.tag, length: length.value.length });
    at += tag.value.size + length.value.size;
  }
  return { ok: true, value: entries };
}

/** The total length of the data a DOL asks for. */
export function dolDataLength(entries: readonly DolEntry[]): number {
  return entries.reduce((n, e) => n + e.length, 0);
}

export interface BuildOptions {
  /** The format of a tag's value; defaults to the EMV dictionary (tags.ts), 'b' for tags it does not know. */
  formatOf?: (tag: number) => EmvFormat | undefined;
}

/** Build the DOL-related data from the values the terminal (or card) holds. */
export function buildDolData(entries: readonly DolEntry[], valueOf: (tag: number) => Uint8Array | undefined, options: BuildOptions = {}): Uint8Array {
  const formatOf = options.formatOf ?? ((tag: number) => emvTag(tag)?.format);
  const out = new Uint8Array(dolDataLength(entries));
  let at = 0;
  for (const { tag, length } of entries) {
    const value = isConstructed(tag) ? undefined : valueOf(tag);
    if (value !== undefined) out.set(fit(value, length, formatOf(tag) ?? 'b'), at);
    at += length; // absent or constructed: the bytes stay '00'
  }
  return out;
}

/** Split DOL-related data back into values by the DOL (the card's side); undefined if the length differs. */
export function splitDolData(entries: readonly DolEntry[], data: Uint8Array): Map<number, Uint8Array> | undefined {
  if (data.length !== dolDataLength(entries)) return undefined;
  const values = new Map<number, Uint8Array>();
  let at = 0;
  for (const { tag, length } of entries) {
    values.set(tag, data.slice(at, at + length));
    at += length;
  }
  return values;
}

// ---------------------------------------------------------------------------

function fit(value: Uint8Array, length: number, format: EmvFormat): Uint8Array {
  if (value.length === length) return value;
  if (value.length > length) return format === 'n' ? value.subarray(value.length - length) : value.subarray(0, length);
  const out = new Uint8Array(length).fill(format === 'cn' ? 0xff : 0x00);
  out.set(value, format === 'n' ? length - value.length : 0);
  return out;
}
