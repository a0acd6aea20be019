/**
 * ISO 14443 traffic in a pcap file: link type 264 and the 4-byte
 * pseudo-header in front of every frame.
 *
 * Sources: tcpdump.org link-layer header types, LINKTYPE_ISO_14443 = 264
 * ("ISO 14443 contactless smartcard messages", format described at
 * www.kaiser.cx/pcap-iso14443.html); Wireshark epan/dissectors/
 * packet-iso14443.c, which reads it:
 *
 *   version (1 byte, 0)  event (1 byte)  length (2 bytes, big-endian: the
 *   bytes after the pseudo-header)  data
 *
 * Events: 'FF' data PICC → PCD, 'FE' data PCD → PICC, 'FD' field off, 'FC'
 * field on, 'FB' / 'FA' the same data directions with the CRC bytes dropped.
 * A data frame either carries its CRC_A as sent (iso14443/iso-dep.ts
 * `withCrcA`) with 'FE'/'FF', or none with 'FA'/'FB'; tshark 4.0 reads both.
 */
import type { PcapRecord } from './pcap';
import { writePcap } from './pcap';

export const LINKTYPE_ISO_14443 = 264;

export const Iso14443Event = {
  DATA_PICC_TO_PCD: 0xff,
  DATA_PCD_TO_PICC: 0xfe,
  FIELD_OFF: 0xfd,
  FIELD_ON: 0xfc,
  DATA_PICC_TO_PCD_CRC_DROPPED: 0xfb,
  DATA_PCD_TO_PICC_CRC_DROPPED: 0xfa,
} as const;
export type Iso14443EventCode = (typeof Iso14443Event)[keyof typeof Iso14443Event];

export interface Iso14443Frame {
  timestampUs: number;
  event: Iso14443EventCode;
  /** The frame as on air (with CRC_A for the data events that keep it); empty for field on/off. */
  data?: Uint8Array;
}

/** Pseudo-header and frame: one record's data. Throws RangeError past 65535 bytes. */
export function iso14443RecordData(event: Iso14443EventCode, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (data.length > 0xffff) throw new RangeError(`a frame of ${data.length} bytes does not fit the 16-bit length`);
  const out = new Uint8Array(4 + data.length);
  out[0] = 0; // version
  out[1] = event;
  out[2] = data.length >> 8;
  out[3] = data.length & 0xff;
  out.set(data, 4);
  return out;
}

/** A pcap file of ISO 14443 frames, in the order given. */
export function writeIso14443Pcap(frames: readonly Iso14443Frame[]): Uint8Array {
  const records: PcapRecord[] = frames.map((f) => ({ timestampUs: f.timestampUs, data: iso14443RecordData(f.event, f.data) }));
  return writePcap(LINKTYPE_ISO_14443, records);
}

/** The pseudo-header's fields back, or undefined when it is not version 0 or its length disagrees. */
export function readIso14443RecordData(record: Uint8Array): { event: number; data: Uint8Array } | undefined {
  if (record.length < 4 || record[0] !== 0) return undefined;
  const length = (record[2]! << 8) | record[3]!;
  if (length !== record.length - 4) return undefined;
  return { event: record[1]!, data: record.slice(4) };
}
