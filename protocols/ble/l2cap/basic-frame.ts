/**
 * L2CAP on an LE link: the basic information frame (Core v5.4 Vol 3 Part A
 * 3.1), the fixed LE channel IDs (2.1, Table 2.1 for LE-U), and how one
 * L2CAP PDU travels as HCI ACL fragments (Vol 4 Part E 5.4.2), both ways.
 *
 *   basic frame: PDU length u16 (of the payload) | channel ID u16 | payload
 *
 * Fragmentation and reassembly are pure: `toAclFragments` splits one frame,
 * `reassemble` folds one received fragment into an immutable state and
 * returns the frame it completes, if any.
 */
import { ByteReader, ByteWriter, fail, ok } from '../bytes';
import type { Result } from '../bytes';
import { PacketBoundary } from '../hci/packets';
import type { AclPacket } from '../hci/packets';

/** Fixed channel IDs on LE-U (Vol 3 Part A 2.1 Table 2.1). */
export const LeChannel = {
  ATT: 0x0004,
  LE_SIGNALING: 0x0005,
  SMP: 0x0006,
} as const;

/** Dynamically allocated LE channels (LE credit-based connections): 0x0040–0x007F. */
export const LE_DYNAMIC_CID_FIRST = 0x0040;
export const LE_DYNAMIC_CID_LAST = 0x007f;
/** Octets before the payload. */
export const BASIC_HEADER_SIZE = 4;

export interface BasicFrame {
  channelId: number;
  payload: Uint8Array;
}

export type L2capError =
  | { reason: 'short-header'; got: number; message: string }
  | { reason: 'length'; declared: number; got: number; message: string }
  /** A continuation arrived with no PDU started: the fragment is dropped. */
  | { reason: 'unexpected-continuation'; message: string }
  /** A new first fragment arrived before the previous PDU was complete: the old one is dropped. */
  | { reason: 'interrupted'; dropped: number; message: string }
  /** The fragments carry more octets than the frame's length field says: the PDU is dropped. */
  | { reason: 'overflow'; declared: number; got: number; message: string }
  /** Packet_Boundary_Flag 0b11 (a complete flushable PDU) is not used on LE: the fragment is dropped. */
  | { reason: 'boundary-flag'; flag: number; message: string };

/** Throws RangeError for a payload over 65535 octets. */
export function encodeBasicFrame(frame: BasicFrame): Uint8Array {
  return new ByteWriter().u16(frame.payload.length).u16(frame.channelId).bytes(frame.payload).finish();
}

/** Exactly one whole frame: a length field that matches the payload. */
export function decodeBasicFrame(bytes: Uint8Array): Result<BasicFrame, L2capError> {
  if (bytes.length < BASIC_HEADER_SIZE) return fail({ reason: 'short-header', got: bytes.length, message: `L2CAP: ${bytes.length} octets, shorter than the basic header` });
  const r = new ByteReader(bytes);
  const declared = r.u16();
  const channelId = r.u16();
  if (declared !== r.remaining) return fail({ reason: 'length', declared, got: r.remaining, message: `L2CAP: length field says ${declared} octets, ${r.remaining} follow` });
  return ok({ channelId, payload: r.rest() });
}

/**
 * One basic frame as ACL packets of at most `maxDataLength` octets (the
 * LE_ACL_Data_Packet_Length of LE_Read_Buffer_Size; 27 on a minimal LE
 * controller). A host starts with 0b00, as ble-host and BlueZ do on LE; a
 * controller starts with 0b10, the only first-fragment flag ble-host accepts.
 */
export function toAclFragments(handle: number, frame: BasicFrame, maxDataLength: number, from: 'host' | 'controller'): AclPacket[] {
  if (!Number.isInteger(maxDataLength) || maxDataLength < 1) throw new RangeError(`ACL data length ${maxDataLength} must be a positive integer`);
  const bytes = encodeBasicFrame(frame);
  const first = from === 'host' ? PacketBoundary.FIRST_NON_FLUSHABLE : PacketBoundary.FIRST_FLUSHABLE;
  const out: AclPacket[] = [];
  for (let at = 0; at < bytes.length; at += maxDataLength) {
    out.push({ handle, packetBoundary: at === 0 ? first : PacketBoundary.CONTINUING_FRAGMENT, broadcast: 0, data: bytes.slice(at, at + maxDataLength) });
  }
  return out;
}

/** What a receiver holds of a PDU not yet complete (per connection handle). */
export interface ReassemblyState {
  readonly received: readonly Uint8Array[];
}

export const EMPTY_REASSEMBLY: ReassemblyState = { received: [] };

export interface ReassemblyStep {
  state: ReassemblyState;
  /** The frame this fragment completed. */
  frame?: BasicFrame;
  /** What went wrong with this fragment or the PDU it belonged to (the state says what is kept). */
  error?: L2capError;
}

/** Folds one ACL fragment into the state (Vol 4 Part E 5.4.2 PB semantics). Never throws. */
export function reassemble(state: ReassemblyState, fragment: Pick<AclPacket, 'packetBoundary' | 'data'>): ReassemblyStep {
  const { packetBoundary, data } = fragment;
  if (packetBoundary === PacketBoundary.COMPLETE_FLUSHABLE) {
    return { state, error: { reason: 'boundary-flag', flag: packetBoundary, message: 'L2CAP: PB flag 0b11 is not used on LE; fragment dropped' } };
  }
  if (packetBoundary === PacketBoundary.CONTINUING_FRAGMENT) {
    if (state.received.length === 0) return { state, error: { reason: 'unexpected-continuation', message: 'L2CAP: continuation with no PDU started; dropped' } };
    return settle([...state.received, data]);
  }
  const step = settle([data]);
  if (state.received.length === 0) return step;
  const dropped = state.received.reduce((n, p) => n + p.length, 0);
  return { ...step, error: step.error ?? { reason: 'interrupted', dropped, message: `L2CAP: new PDU started; ${dropped} octets of the previous one dropped` } };
}

function settle(parts: Uint8Array[]): ReassemblyStep {
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total < BASIC_HEADER_SIZE) return { state: { received: parts } };
  const bytes = concat(parts, total);
  const declared = (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8);
  const expected = BASIC_HEADER_SIZE + declared;
  if (total < expected) return { state: { received: [bytes] } };
  if (total > expected) {
    return { state: EMPTY_REASSEMBLY, error: { reason: 'overflow', declared, got: total - BASIC_HEADER_SIZE, message: `L2CAP: fragments carry ${total - BASIC_HEADER_SIZE} octets, length field says ${declared}; PDU dropped` } };
  }
  const frame = decodeBasicFrame(bytes);
  return frame.ok ? { state: EMPTY_REASSEMBLY, frame: frame.value } : { state: EMPTY_REASSEMBLY, error: frame.error };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
