/**
 * HCI packets without the H4 type octet (Core v5.4 Vol 4 Part E 5.4):
 * command (5.4.1), ACL data (5.4.2) and event (5.4.4) packets. h4.ts adds and
 * removes the type octet; command-params.ts, event-params.ts and le-events.ts
 * read what is inside.
 *
 *   command: opcode u16 | parameter total length u8 | parameters
 *   event:   event code u8 | parameter total length u8 | parameters
 *   ACL:     handle (12 bits) + PB flag (2) + BC flag (2) u16 | data total length u16 | data
 */
import { ByteReader, ByteWriter, fail, ok } from '../bytes';
import type { Result } from '../bytes';

/** Largest Connection_Handle; 0x0F00–0x0FFF are reserved (Vol 4 Part E 5.4.2). */
export const MAX_CONNECTION_HANDLE = 0x0eff;

/**
 * Packet_Boundary_Flag (Vol 4 Part E 5.4.2). On LE, a host starts an L2CAP
 * PDU with 0b00 (ble-host does) or 0b10, a controller always with 0b10;
 * continuations are 0b01. ble-host silently drops an incoming first fragment
 * flagged 0b00. 0b11 (a complete, flushable PDU) is not allowed on LE.
 */
export const PacketBoundary = {
  FIRST_NON_FLUSHABLE: 0b00,
  CONTINUING_FRAGMENT: 0b01,
  FIRST_FLUSHABLE: 0b10,
  COMPLETE_FLUSHABLE: 0b11,
} as const;
export type PacketBoundary = (typeof PacketBoundary)[keyof typeof PacketBoundary];

/** Broadcast_Flag (Vol 4 Part E 5.4.2): LE uses point-to-point only; 0b10 and 0b11 are reserved. */
export const BroadcastFlag = {
  POINT_TO_POINT: 0b00,
  BR_EDR_BROADCAST: 0b01,
} as const;

export interface CommandPacket {
  opcode: number;
  parameters: Uint8Array;
}

export interface EventPacket {
  code: number;
  parameters: Uint8Array;
}

export interface AclPacket {
  /** Connection_Handle, 0x0000–0x0EFF. */
  handle: number;
  packetBoundary: PacketBoundary;
  /** Broadcast_Flag, 0 on LE. */
  broadcast: number;
  data: Uint8Array;
}

/** What is wrong with an HCI packet's bytes. */
export type HciPacketError =
  | { reason: 'short-header'; packet: 'command' | 'event' | 'acl'; got: number; message: string }
  | { reason: 'length'; packet: 'command' | 'event' | 'acl'; declared: number; got: number; message: string };

/** Throws RangeError for more than 255 parameter octets. */
export function encodeCommand(opcode: number, parameters: Uint8Array = new Uint8Array(0)): Uint8Array {
  return new ByteWriter().u16(opcode).u8(parameters.length).bytes(parameters).finish();
}

export function decodeCommand(packet: Uint8Array): Result<CommandPacket, HciPacketError> {
  if (packet.length < 3) return fail(shortHeader('command', packet.length));
  const r = new ByteReader(packet);
  const opcode = r.u16();
  const declared = r.u8();
  if (declared !== r.remaining) return fail(lengthMismatch('command', declared, r.remaining));
  return ok({ opcode, parameters: r.rest() });
}

/** Throws RangeError for more than 255 parameter octets. */
export function encodeEvent(code: number, parameters: Uint8Array = new Uint8Array(0)): Uint8Array {
  return new ByteWriter().u8(code).u8(parameters.length).bytes(parameters).finish();
}

export function decodeEvent(packet: Uint8Array): Result<EventPacket, HciPacketError> {
  if (packet.length < 2) return fail(shortHeader('event', packet.length));
  const r = new ByteReader(packet);
  const code = r.u8();
  const declared = r.u8();
  if (declared !== r.remaining) return fail(lengthMismatch('event', declared, r.remaining));
  return ok({ code, parameters: r.rest() });
}

/** Throws RangeError for a handle above 0x0EFF, a flag wider than 2 bits or more than 65535 octets. */
export function encodeAcl(packet: AclPacket): Uint8Array {
  const { handle, packetBoundary, broadcast, data } = packet;
  if (!Number.isInteger(handle) || handle < 0 || handle > MAX_CONNECTION_HANDLE) throw new RangeError(`connection handle 0x${handle.toString(16)} out of range`);
  if (packetBoundary >> 2 !== 0 || broadcast >> 2 !== 0 || broadcast < 0) throw new RangeError('PB and BC flags are 2 bits each');
  return new ByteWriter()
    .u16(handle | (packetBoundary << 12) | (broadcast << 14))
    .u16(data.length)
    .bytes(data)
    .finish();
}

/** The header and a data length that matches it. A reserved handle is the caller's to judge (`handle > MAX_CONNECTION_HANDLE`). */
export function decodeAcl(packet: Uint8Array): Result<AclPacket, HciPacketError> {
  if (packet.length < 4) return fail(shortHeader('acl', packet.length));
  const r = new ByteReader(packet);
  const word = r.u16();
  const declared = r.u16();
  if (declared !== r.remaining) return fail(lengthMismatch('acl', declared, r.remaining));
  return ok({
    handle: word & 0x0fff,
    packetBoundary: ((word >> 12) & 0b11) as PacketBoundary,
    broadcast: (word >> 14) & 0b11,
    data: r.rest(),
  });
}

function shortHeader(packet: 'command' | 'event' | 'acl', got: number): HciPacketError {
  return { reason: 'short-header', packet, got, message: `HCI ${packet} packet: ${got} octets, shorter than its header` };
}

function lengthMismatch(packet: 'command' | 'event' | 'acl', declared: number, got: number): HciPacketError {
  return { reason: 'length', packet, declared, got, message: `HCI ${packet} packet: header says ${declared} octets follow, ${got} do` };
}
