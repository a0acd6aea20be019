/**
 * H4: the HCI UART transport (Core v5.4 Vol 4 Part A 2). One packet-type
 * octet, then the HCI packet as Vol 4 Part E 5.4 lays it out. ble-host's
 * transport writes and expects exactly these bytes (lib/internal/adapter.js:
 * HCI_COMMAND_PKT 0x01, HCI_ACLDATA_PKT 0x02, HCI_EVENT_PKT 0x04).
 *
 * H4 has no sync octet and no checksum: a receiver that meets an unknown
 * packet type cannot find the next packet boundary (Vol 4 Part A 2 leaves
 * recovery to the transport, e.g. a reset). The splitter therefore stops at
 * the first unknown type, returns the packets before it and the error, and
 * refuses further bytes until `reset()`.
 */
import { fail, ok } from '../bytes';
import type { Result } from '../bytes';

/** Vol 4 Part A Table 2.1. */
export const H4PacketType = {
  COMMAND: 0x01,
  ACL_DATA: 0x02,
  SYNCHRONOUS_DATA: 0x03,
  EVENT: 0x04,
  ISO_DATA: 0x05,
} as const;
export type H4PacketType = (typeof H4PacketType)[keyof typeof H4PacketType];

/**
 * Header octets after the type octet, and where its length field sits
 * (Vol 4 Part E 5.4.1 command: opcode 2 + length 1; 5.4.2 ACL: handle 2 +
 * length 2; 5.4.3 synchronous: handle 2 + length 1; 5.4.4 event: code 1 +
 * length 1; 5.4.5 ISO: handle 2 + length 2, of which 14 bits count).
 */
const HEADERS: Record<H4PacketType, { header: number; lengthAt: number; lengthSize: 1 | 2; lengthMask: number }> = {
  [H4PacketType.COMMAND]: { header: 3, lengthAt: 2, lengthSize: 1, lengthMask: 0xff },
  [H4PacketType.ACL_DATA]: { header: 4, lengthAt: 2, lengthSize: 2, lengthMask: 0xffff },
  [H4PacketType.SYNCHRONOUS_DATA]: { header: 3, lengthAt: 2, lengthSize: 1, lengthMask: 0xff },
  [H4PacketType.EVENT]: { header: 2, lengthAt: 1, lengthSize: 1, lengthMask: 0xff },
  [H4PacketType.ISO_DATA]: { header: 4, lengthAt: 2, lengthSize: 2, lengthMask: 0x3fff },
};

export interface H4Packet {
  type: H4PacketType;
  /** The HCI packet after the type octet (header and parameters/data). */
  packet: Uint8Array;
}

export type H4Error =
  | { reason: 'unknown-packet-type'; type: number; offset: number; message: string }
  | { reason: 'empty'; message: string }
  | { reason: 'length'; type: H4PacketType; expected: number; got: number; message: string };

export function isH4PacketType(type: number): type is H4PacketType {
  return Object.prototype.hasOwnProperty.call(HEADERS, type);
}

/** The type octet, then the HCI packet. */
export function encodeH4(type: H4PacketType, packet: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + packet.length);
  out[0] = type;
  out.set(packet, 1);
  return out;
}

/** One whole H4 packet (as ble-host's transport passes them): its type, and a length that matches its header. */
export function decodeH4(bytes: Uint8Array): Result<H4Packet, H4Error> {
  const type = bytes[0];
  if (type === undefined) return fail({ reason: 'empty', message: 'H4: no bytes' });
  if (!isH4PacketType(type)) return fail(unknownType(type, 0));
  const packet = bytes.subarray(1);
  const expected = wholeLength(type, packet);
  if (expected === undefined || expected !== packet.length) {
    const want = expected ?? HEADERS[type].header;
    return fail({ reason: 'length', type, expected: want, got: packet.length, message: `H4 type 0x0${type}: header says ${want} octets, got ${packet.length}` });
  }
  return ok({ type, packet: packet.slice() });
}

/**
 * Bytes arriving in arbitrary chunks → whole H4 packets, in order.
 * Stateful but pure: no I/O, no clock.
 */
export class H4Splitter {
  private pending = new Uint8Array(0);
  private consumed = 0;
  private broken: H4Error | undefined;

  /** The packets this chunk completes; `error` once an unknown type is met (then and on every later push). */
  push(chunk: Uint8Array): { packets: H4Packet[]; error?: H4Error } {
    if (this.broken) return { packets: [], error: this.broken };
    const buffer = new Uint8Array(this.pending.length + chunk.length);
    buffer.set(this.pending, 0);
    buffer.set(chunk, this.pending.length);
    const packets: H4Packet[] = [];
    let at = 0;
    while (at < buffer.length) {
      const type = buffer[at] ?? 0;
      if (!isH4PacketType(type)) {
        this.broken = unknownType(type, this.consumed + at);
        this.pending = new Uint8Array(0);
        return { packets, error: this.broken };
      }
      const length = wholeLength(type, buffer.subarray(at + 1));
      if (length === undefined || at + 1 + length > buffer.length) break;
      packets.push({ type, packet: buffer.slice(at + 1, at + 1 + length) });
      at += 1 + length;
    }
    this.consumed += at;
    this.pending = buffer.slice(at);
    return { packets };
  }

  /** Octets held for a packet not complete yet. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Forget everything (what a transport does after resynchronising, e.g. an HCI Reset on a fresh link). */
  reset(): void {
    this.pending = new Uint8Array(0);
    this.consumed = 0;
    this.broken = undefined;
  }
}

/** Header + payload octets of the packet at the start of `packet`, or undefined while its header is incomplete. */
function wholeLength(type: H4PacketType, packet: Uint8Array): number | undefined {
  const { header, lengthAt, lengthSize, lengthMask } = HEADERS[type];
  if (packet.length < header) return undefined;
  const low = packet[lengthAt] ?? 0;
  const length = lengthSize === 1 ? low : (low | ((packet[lengthAt + 1] ?? 0) << 8)) & lengthMask;
  return header + length;
}

function unknownType(type: number, offset: number): H4Error {
  const hex = type.toString(16).padStart(2, '0');
  return { reason: 'unknown-packet-type', type, offset, message: `H4: unknown packet type 0x${hex} at stream offset ${offset}` };
}
