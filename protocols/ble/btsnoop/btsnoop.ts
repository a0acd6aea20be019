/**
 * btsnoop: the HCI trace file Android, BlueZ (btmon) and Wireshark share.
 * The snoop format of RFC 1761 adapted to HCI: all integers big-endian.
 *
 *   file header (16): "btsnoop\0" | version u32 = 1 | datalink u32
 *   record header (24): original length u32 | included length u32 |
 *                       packet flags u32 | cumulative drops u32 |
 *                       timestamp i64 (µs since 0000-01-01 00:00 AD)
 *   record data: the packet (for datalink 1002, H4: type octet first)
 *
 * Packet flags: bit 0 direction (0 sent host → controller, 1 received
 * controller → host); bit 1 command or event (1) versus data (0).
 * Timestamps count from year 0: Unix time 0 is 0x00DCDDB30F2F8000 µs.
 *
 * The writer takes the virtual clock's microseconds, so a trace of a seeded
 * run is the same file byte for byte.
 */
import { fail, ok } from '../bytes';
import type { Result } from '../bytes';
import { H4PacketType } from '../hci/h4';
import { concatBytes } from '../../bytes';

export const BTSNOOP_MAGIC = Uint8Array.from('btsnoop\0', (c) => c.charCodeAt(0));
export const BTSNOOP_VERSION = 1;
/** Datalink types: 1001 unencapsulated HCI, 1002 HCI UART (H4), 1003 BCSP, 1004 HCI 3-wire. */
export const BtsnoopDatalink = { HCI_UNENCAPSULATED: 1001, HCI_UART_H4: 1002, HCI_BCSP: 1003, HCI_THREE_WIRE: 1004 } as const;
/** Microseconds from 0000-01-01 AD to 1970-01-01 (Unix time 0). */
export const BTSNOOP_UNIX_EPOCH_US = 0x00dcddb30f2f8000n;
export const FILE_HEADER_SIZE = 16;
export const RECORD_HEADER_SIZE = 24;

export type Direction = 'sent' | 'received';

export interface TraceRecord {
  /** `sent`: host → controller; `received`: controller → host. */
  direction: Direction;
  /** Microseconds of the virtual clock since the trace's start. */
  timeUs: number | bigint;
  /** One H4 packet: type octet, then the HCI packet. */
  packet: Uint8Array;
  /** Packets lost so far (cumulative), 0 by default. */
  drops?: number;
}

export interface TraceOptions {
  /** Unix time of the virtual clock's zero, in µs (default 0: 1970-01-01, what Wireshark shows). */
  startUnixUs?: bigint;
}

export interface DecodedRecord {
  flags: number;
  direction: Direction;
  originalLength: number;
  drops: number;
  /** µs since 0000-01-01 AD, as stored. */
  timestampUs: bigint;
  packet: Uint8Array;
}

export type BtsnoopError = { reason: 'magic' | 'version' | 'truncated'; offset: number; message: string };

export function btsnoopHeader(datalink: number = BtsnoopDatalink.HCI_UART_H4): Uint8Array {
  const out = new Uint8Array(FILE_HEADER_SIZE);
  out.set(BTSNOOP_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, BTSNOOP_VERSION);
  view.setUint32(12, datalink);
  return out;
}

/** Packet flags of an H4 packet: bit 1 from its type (command, event), bit 0 from the direction. */
export function packetFlags(direction: Direction, packet: Uint8Array): number {
  const type = packet[0];
  const commandOrEvent = type === H4PacketType.COMMAND || type === H4PacketType.EVENT;
  return (commandOrEvent ? 0b10 : 0) | (direction === 'received' ? 0b01 : 0);
}

/** One record: its 24-octet header and the packet. Throws RangeError on a negative time. */
export function btsnoopRecord(record: TraceRecord, options: TraceOptions = {}): Uint8Array {
  const timeUs = BigInt(record.timeUs);
  if (timeUs < 0n) throw new RangeError(`trace time ${timeUs} µs is negative`);
  const out = new Uint8Array(RECORD_HEADER_SIZE + record.packet.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, record.packet.length);
  view.setUint32(4, record.packet.length);
  view.setUint32(8, packetFlags(record.direction, record.packet));
  view.setUint32(12, record.drops ?? 0);
  view.setBigInt64(16, BTSNOOP_UNIX_EPOCH_US + (options.startUnixUs ?? 0n) + timeUs);
  out.set(record.packet, RECORD_HEADER_SIZE);
  return out;
}

/** A whole H4 btsnoop file. */
export function encodeBtsnoop(records: readonly TraceRecord[], options: TraceOptions = {}): Uint8Array {
  return concatBytes(btsnoopHeader(), ...records.map((r) => btsnoopRecord(r, options)));
}

/** A btsnoop file back into its datalink and records (for tests and trace tools). Never throws. */
export function decodeBtsnoop(bytes: Uint8Array): Result<{ datalink: number; records: DecodedRecord[] }, BtsnoopError> {
  if (bytes.length < FILE_HEADER_SIZE || !BTSNOOP_MAGIC.every((b, i) => bytes[i] === b)) {
    return fail({ reason: 'magic', offset: 0, message: 'btsnoop: no "btsnoop\\0" file header' });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8) !== BTSNOOP_VERSION) return fail({ reason: 'version', offset: 8, message: `btsnoop: version ${view.getUint32(8)}, expected 1` });
  const records: DecodedRecord[] = [];
  let at = FILE_HEADER_SIZE;
  while (at < bytes.length) {
    if (at + RECORD_HEADER_SIZE > bytes.length) return fail({ reason: 'truncated', offset: at, message: `btsnoop: record header cut at offset ${at}` });
    const included = view.getUint32(at + 4);
    if (at + RECORD_HEADER_SIZE + included > bytes.length) return fail({ reason: 'truncated', offset: at, message: `btsnoop: record data cut at offset ${at}` });
    const flags = view.getUint32(at + 8);
    records.push({
      flags,
      direction: (flags & 1) === 1 ? 'received' : 'sent',
      originalLength: view.getUint32(at),
      drops: view.getUint32(at + 12),
      timestampUs: view.getBigInt64(at + 16),
      packet: bytes.slice(at + RECORD_HEADER_SIZE, at + RECORD_HEADER_SIZE + included),
    });
    at += RECORD_HEADER_SIZE + included;
  }
  return ok({ datalink: view.getUint32(12), records });
}
