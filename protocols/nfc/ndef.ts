/**
 * NDEF messages and the URI record (NFC Forum NDEF Technical Specification
 * 1.0, 3.2 "Record Layout"; URI Record Type Definition 1.0, 3.2).
 *
 * A record: flags+TNF octet (MB 0x80, ME 0x40, CF 0x20, SR 0x10, IL 0x08,
 * TNF 3 bits), TYPE LENGTH, PAYLOAD LENGTH (1 octet when SR, else 4 octets
 * big-endian), ID LENGTH (when IL), TYPE, ID, PAYLOAD. The URI record is
 * TNF 0x01 (NFC Forum well-known type), type "U", payload = identifier code
 * (URI RTD Table 3) + the rest of the URI.
 */
export const NdefFlag = { MB: 0x80, ME: 0x40, CF: 0x20, SR: 0x10, IL: 0x08 } as const;
export const Tnf = { EMPTY: 0x00, WELL_KNOWN: 0x01, MEDIA: 0x02, ABSOLUTE_URI: 0x03, EXTERNAL: 0x04, UNKNOWN: 0x05 } as const;

/** URI identifier codes (URI RTD 1.0, Table 3), the first few. */
export const URI_PREFIXES: readonly string[] = ['', 'http://www.', 'https://www.', 'http://', 'https://', 'tel:', 'mailto:'];

export interface NdefRecord {
  tnf: number;
  type: Uint8Array;
  id: Uint8Array;
  payload: Uint8Array;
}

/**
 * One URI record as Espruino's NRF.nfcURL builds it (libs/bluetooth/
 * jswrap_bluetooth.c, jswrap_nfc_URL): only "http://" (0x03) and "https://"
 * (0x04) are abbreviated, anything else keeps code 0x00; a long record
 * (SR clear, 4-octet payload length) with MB and ME set.
 */
export function espruinoUriRecord(url: string): Uint8Array {
  let code = 0;
  let rest = url;
  if (url.startsWith('http://')) {
    code = 3;
    rest = url.slice(7);
  } else if (url.startsWith('https://')) {
    code = 4;
    rest = url.slice(8);
  }
  const payloadLength = 1 + rest.length;
  const out = new Uint8Array(7 + payloadLength);
  out.set([NdefFlag.MB | NdefFlag.ME | Tnf.WELL_KNOWN, 1, (payloadLength >>> 24) & 0xff, (payloadLength >>> 16) & 0xff, (payloadLength >>> 8) & 0xff, payloadLength & 0xff, 0x55, code]);
  for (let i = 0; i < rest.length; i++) out[8 + i] = rest.charCodeAt(i) & 0xff;
  return out;
}

/** An NDEF message → its records; undefined when a record runs past the end or chunked records appear (not supported). */
export function decodeNdefMessage(bytes: Uint8Array): NdefRecord[] | undefined {
  const records: NdefRecord[] = [];
  let at = 0;
  while (at < bytes.length) {
    const header = bytes[at++]!;
    if (header & NdefFlag.CF) return undefined;
    const typeLength = bytes[at++];
    if (typeLength === undefined) return undefined;
    let payloadLength: number;
    if (header & NdefFlag.SR) {
      const n = bytes[at++];
      if (n === undefined) return undefined;
      payloadLength = n;
    } else {
      if (at + 4 > bytes.length) return undefined;
      payloadLength = ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
      at += 4;
    }
    let idLength = 0;
    if (header & NdefFlag.IL) {
      const n = bytes[at++];
      if (n === undefined) return undefined;
      idLength = n;
    }
    if (at + typeLength + idLength + payloadLength > bytes.length) return undefined;
    const type = bytes.slice(at, (at += typeLength));
    const id = bytes.slice(at, (at += idLength));
    const payload = bytes.slice(at, (at += payloadLength));
    records.push({ tnf: header & 0x07, type, id, payload });
    if (header & NdefFlag.ME) break;
  }
  return records;
}

/** The URI a well-known "U" record carries, or undefined for any other record. */
export function uriOfRecord(record: NdefRecord): string | undefined {
  if (record.tnf !== Tnf.WELL_KNOWN || record.type.length !== 1 || record.type[0] !== 0x55 || record.payload.length < 1) return undefined;
  const prefix = URI_PREFIXES[record.payload[0]!] ?? '';
  let rest = '';
  for (let i = 1; i < record.payload.length; i++) rest += String.fromCharCode(record.payload[i]!);
  return prefix + rest;
}

/**
 * Records → an NDEF message: MB on the first, ME on the last, the short form
 * (SR, 1-octet payload length) when the payload is under 256 octets, IL when
 * the record has an ID (NDEF 1.0, 3.2.1–3.2.6). Chunking is not written.
 */
export function encodeNdefMessage(records: readonly NdefRecord[]): Uint8Array {
  const parts: number[] = [];
  records.forEach((r, i) => {
    const short = r.payload.length < 256;
    let header = r.tnf & 0x07;
    if (i === 0) header |= NdefFlag.MB;
    if (i === records.length - 1) header |= NdefFlag.ME;
    if (short) header |= NdefFlag.SR;
    if (r.id.length > 0) header |= NdefFlag.IL;
    parts.push(header, r.type.length);
    const n = r.payload.length;
    if (short) parts.push(n);
    else parts.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    if (r.id.length > 0) parts.push(r.id.length);
    parts.push(...r.type, ...r.id, ...r.payload);
  });
  return Uint8Array.from(parts);
}

/** Text as the octets of a record type or payload (the types here are ASCII). */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}
