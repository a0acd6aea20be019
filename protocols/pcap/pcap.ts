/**
 * The classic libpcap capture file: a global header, then one record header
 * and the captured bytes per packet. Written little-endian with microsecond
 * timestamps (magic 'A1B2C3D4' read back as 'D4 C3 B2 A1'); readers detect
 * the byte order from the magic.
 *
 * Source: tcpdump.org "pcap savefile format" (pcap-savefile(5)) and the IETF
 * draft "PCAP Capture File Format" (draft-ietf-opsawg-pcap) sections 4 (File
 * Header: magic, major 2, minor 4, two reserved 32-bit words, SnapLen,
 * LinkType) and 5 (Packet Record: seconds, microseconds, captured length,
 * original length, data).
 *
 * Timestamps come from the caller (the simulator's virtual clock, in µs):
 * nothing here reads a clock.
 */

export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_VERSION = { major: 2, minor: 4 } as const;
export const GLOBAL_HEADER_BYTES = 24;
export const RECORD_HEADER_BYTES = 16;

export interface PcapRecord {
  /** Microseconds since the epoch of the trace (the virtual clock's zero, or 1970 for wall time). */
  timestampUs: number;
  data: Uint8Array;
  /** The packet's length on the wire if more than `data` (default: data.length). */
  originalLength?: number;
}

export function pcapGlobalHeader(linkType: number, snapLength = 65535): Uint8Array {
  const out = new Uint8Array(GLOBAL_HEADER_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAP_MAGIC_MICROSECONDS, true);
  view.setUint16(4, PCAP_VERSION.major, true);
  view.setUint16(6, PCAP_VERSION.minor, true);
  // 8: thiszone, 12: sigfigs, both 0 (reserved in the draft).
  view.setUint32(16, snapLength, true);
  view.setUint32(20, linkType, true);
  return out;
}

/** One record: header and data. Throws RangeError for a negative or non-integer timestamp. */
export function pcapRecord(record: PcapRecord): Uint8Array {
  const { timestampUs, data } = record;
  if (!Number.isSafeInteger(timestampUs) || timestampUs < 0) throw new RangeError(`timestamp ${timestampUs} µs is not a whole, non-negative number`);
  const seconds = Math.floor(timestampUs / 1_000_000);
  if (seconds > 0xffffffff) throw new RangeError('timestamp beyond 2106 does not fit 32-bit seconds');
  const out = new Uint8Array(RECORD_HEADER_BYTES + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, seconds, true);
  view.setUint32(4, timestampUs % 1_000_000, true);
  view.setUint32(8, data.length, true);
  view.setUint32(12, record.originalLength ?? data.length, true);
  out.set(data, RECORD_HEADER_BYTES);
  return out;
}

/** A whole capture file. */
export function writePcap(linkType: number, records: readonly PcapRecord[], snapLength = 65535): Uint8Array {
  const parts = [pcapGlobalHeader(linkType, snapLength), ...records.map(pcapRecord)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export type PcapReadResult =
  | { ok: true; value: { linkType: number; snapLength: number; records: PcapRecord[] } }
  | { ok: false; error: { kind: 'bad-magic' | 'truncated'; offset: number; detail: string } };

/** Read a capture file of either byte order with microsecond timestamps (for tests and tools). Never throws. */
export function readPcap(file: Uint8Array): PcapReadResult {
  if (file.length < GLOBAL_HEADER_BYTES) return { ok: false, error: { kind: 'truncated', offset: 0, detail: 'shorter than the global header' } };
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const little = view.getUint32(0, true) === PCAP_MAGIC_MICROSECONDS;
  if (!little && view.getUint32(0, false) !== PCAP_MAGIC_MICROSECONDS) return { ok: false, error: { kind: 'bad-magic', offset: 0, detail: 'not a microsecond pcap file' } };
  const records: PcapRecord[] = [];
  let at = GLOBAL_HEADER_BYTES;
  while (at < file.length) {
    if (at + RECORD_HEADER_BYTES > file.length) return { ok: false, error: { kind: 'truncated', offset: at, detail: 'a record header is cut short' } };
    const included = view.getUint32(at + 8, little);
    if (at + RECORD_HEADER_BYTES + included > file.length) return { ok: false, error: { kind: 'truncated', offset: at, detail: `a record of ${included} bytes is cut short` } };
    records.push({
      timestampUs: view.getUint32(at, little) * 1_000_000 + view.getUint32(at + 4, little),
      data: file.slice(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + included),
      originalLength: view.getUint32(at + 12, little),
    });
    at += RECORD_HEADER_BYTES + included;
  }
  return { ok: true, value: { linkType: view.getUint32(20, little), snapLength: view.getUint32(16, little), records } };
}
