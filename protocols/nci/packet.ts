/**
 * NCI packets: the 3-byte headers of control and data packets, a message
 * cut into packets by the Packet Boundary Flag, and packets joined back.
 *
 * Source: NFC Forum NCI 2.0 (NFCForum-TS-NCI-2.0, 2017-03-30) 3.4 "Packet
 * Formats" (3.4.1 common header, 3.4.2 control packets, 3.4.3 data packets)
 * and 3.5 "Segmentation and Reassembly"; field layout as in Android's
 * libnfc-nci (nci_defs.h) and the Linux kernel (include/net/nfc/nci.h).
 *
 *   control  MT(3) PBF(1) GID(4) | RFU(2) OID(6) | payload length | payload
 *   data     MT=000 PBF(1) ConnID(4) | RFU(6) CR(2) | payload length | payload
 *
 * MT: 000 data, 001 command, 010 response, 011 notification. PBF 1: more
 * packets of this message follow; 0: the last (or only) one. Payloads are at
 * most 255 bytes, and at most the receiver's Max Control/Data Packet Payload
 * Size (CORE_INIT_RSP, RF_INTF_ACTIVATED_NTF, CORE_CONN_CREATE_RSP). Segments
 * of one control message are not interleaved with another control message;
 * data segments are per connection (3.5).
 */

export const MessageType = { DATA: 0, COMMAND: 1, RESPONSE: 2, NOTIFICATION: 3 } as const;
export type ControlMessageType = 1 | 2 | 3;

export const HEADER_BYTES = 3;
export const MAX_PAYLOAD = 255;

export type Packet =
  | { kind: 'control'; mt: ControlMessageType; pbf: boolean; gid: number; oid: number; payload: Uint8Array }
  | { kind: 'data'; pbf: boolean; connId: number; credits: number; payload: Uint8Array };

/** A whole message, before segmentation or after reassembly. */
export type Message =
  | { kind: 'control'; mt: ControlMessageType; gid: number; oid: number; payload: Uint8Array }
  | { kind: 'data'; connId: number; credits: number; payload: Uint8Array };

export type PacketErrorKind = 'truncated' | 'bad-length' | 'bad-mt' | 'interleaved';
export interface PacketError {
  kind: PacketErrorKind;
  detail: string;
}

/** How many bytes the packet whose header starts `bytes` occupies (an I2C driver reads 3, then the rest). */
export function packetLength(header: Uint8Array): number | undefined {
  return header.length < HEADER_BYTES ? undefined : HEADER_BYTES + header[2]!;
}

/** One packet, exactly: the header's length must match the bytes given. Never throws. */
export function decodePacket(bytes: Uint8Array): { ok: true; value: Packet } | { ok: false; error: PacketError } {
  if (bytes.length < HEADER_BYTES) return fail('truncated', `an NCI packet has a 3-byte header, got ${bytes.length} bytes`);
  const [b0, b1, length] = [bytes[0]!, bytes[1]!, bytes[2]!];
  if (bytes.length !== HEADER_BYTES + length) return fail('bad-length', `payload length ${length}, ${bytes.length - HEADER_BYTES} bytes present`);
  const mt = (b0 >> 5) & 0x07;
  const pbf = (b0 & 0x10) !== 0;
  const payload = bytes.slice(HEADER_BYTES);
  if (mt === MessageType.DATA) return { ok: true, value: { kind: 'data', pbf, connId: b0 & 0x0f, credits: b1 & 0x03, payload } };
  if (mt > 3) return fail('bad-mt', `MT ${mt} is RFU`);
  return { ok: true, value: { kind: 'control', mt: mt as ControlMessageType, pbf, gid: b0 & 0x0f, oid: b1 & 0x3f, payload } };
}

export function encodePacket(packet: Packet): Uint8Array {
  if (packet.payload.length > MAX_PAYLOAD) throw new RangeError(`payload of ${packet.payload.length} bytes exceeds ${MAX_PAYLOAD}`);
  const out = new Uint8Array(HEADER_BYTES + packet.payload.length);
  const pbf = packet.pbf ? 0x10 : 0;
  if (packet.kind === 'control') {
    out[0] = (packet.mt << 5) | pbf | (packet.gid & 0x0f);
    out[1] = packet.oid & 0x3f;
  } else {
    out[0] = pbf | (packet.connId & 0x0f);
    out[1] = packet.credits & 0x03;
  }
  out[2] = packet.payload.length;
  out.set(packet.payload, HEADER_BYTES);
  return out;
}

/** A control message in one packet (throws RangeError past 255 bytes: segment it with `segmentMessage`). */
export function encodeControl(mt: ControlMessageType, gid: number, oid: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  return encodePacket({ kind: 'control', mt, pbf: false, gid, oid, payload });
}

/** Cut a message into packets of at most `maxPayload` bytes, PBF set on all but the last (3.5). */
export function segmentMessage(message: Message, maxPayload = MAX_PAYLOAD): Uint8Array[] {
  if (!Number.isInteger(maxPayload) || maxPayload < 1 || maxPayload > MAX_PAYLOAD) throw new RangeError(`max payload ${maxPayload} is not 1-255`);
  const packets: Uint8Array[] = [];
  for (let at = 0; at < message.payload.length || packets.length === 0; at += maxPayload) {
    const end = Math.min(at + maxPayload, message.payload.length);
    const payload = message.payload.slice(at, end);
    const pbf = end < message.payload.length;
    packets.push(encodePacket(message.kind === 'control' ? { ...message, pbf, payload } : { ...message, pbf, payload }));
  }
  return packets;
}

/**
 * Unfinished messages: at most one control message, and one data message per
 * connection (control segments are never interleaved; data and control, or
 * two connections, may be). Start with an empty map.
 */
export type Reassembly = ReadonlyMap<string, { first: Packet; chunks: Uint8Array[] }>;
export const EMPTY_REASSEMBLY: Reassembly = new Map();

/**
 * Fold one received packet in: the message when its last segment arrives, or
 * a refusal when a control packet of another group, opcode or type arrives
 * before the last segment of the unfinished control message.
 */
export function reassemble(state: Reassembly, packet: Packet): { ok: true; state: Reassembly; message?: Message } | { ok: false; error: PacketError } {
  const key = packet.kind === 'control' ? 'control' : `data:${packet.connId}`;
  const pending = state.get(key);
  if (pending && !sameStream(pending.first, packet)) return fail('interleaved', 'a control packet of another message arrived before the last segment');
  const first = pending?.first ?? packet;
  const chunks = pending ? [...pending.chunks, packet.payload] : [packet.payload];
  const next = new Map(state);
  if (packet.pbf) {
    next.set(key, { first, chunks });
    return { ok: true, state: next };
  }
  next.delete(key);
  const payload = join(chunks);
  const message: Message = first.kind === 'control'
    ? { kind: 'control', mt: first.mt, gid: first.gid, oid: first.oid, payload }
    : { kind: 'data', connId: first.connId, credits: packet.kind === 'data' ? packet.credits : 0, payload };
  return { ok: true, state: next, message };
}

// ---------------------------------------------------------------------------

function sameStream(a: Packet, b: Packet): boolean {
  if (a.kind === 'control' && b.kind === 'control') return a.mt === b.mt && a.gid === b.gid && a.oid === b.oid;
  return a.kind === 'data' && b.kind === 'data' && a.connId === b.connId;
}

function join(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

function fail(kind: PacketErrorKind, detail: string): { ok: false; error: PacketError } {
  return { ok: false, error: { kind, detail } };
}
