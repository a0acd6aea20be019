/**
 * The two seams between a controller and a connection on the air, as
 * interfaces so that neither imports the other: what a connection needs of
 * each controller at its ends, and what a controller asks of a connection.
 */
import type { Llid } from '../../protocols/ble/ll/control-pdu';
import type { SeededRandom } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';

export type Role = 'central' | 'peripheral';

/** A controller as one end of a connection. */
export interface LinkEndpoint {
  readonly name: string;
  readonly powered: boolean;
  /** Queues one H4 packet to the host at virtual time `atMs`. */
  toHostAt(atMs: number, h4: Uint8Array): void;
  /** The connection ended (the link has already told the host, if it should). */
  linkClosed(handle: number): void;
}

/** A connection as a controller drives it from HCI commands. */
export interface ConnectionLink {
  readonly id: number;
  /** LL payload octets per data PDU (Vol 6 Part B 2.4: 27 unless the Data Length Update procedure ran). */
  readonly maxPayload: number;
  readonly encrypted: boolean;
  /** `completesHostPacket` marks the last PDU of one host ACL packet: its acknowledgement frees one buffer. */
  sendData(from: Role, llid: Llid, payload: Uint8Array, completesHostPacket: boolean): void;
  startEncryption(rand: Uint8Array, ediv: number, ltk: Uint8Array): void;
  /** The peripheral host's answer to LE Long Term Key Request; undefined for the negative reply. */
  longTermKeyReply(ltk: Uint8Array | undefined): void;
  terminate(from: Role, reason: number): void;
  updateParameters(from: Role, intervalUnits: number, latency: number, timeoutUnits: number): void;
  readRemoteFeatures(from: Role): void;
  readRemoteVersion(from: Role): void;
  /** The RSSI `at` side last measured, dBm. */
  rssi(at: Role): number;
  /** The side stops taking part (its controller was reset): the peer finds out by supervision timeout. */
  abandon(side: Role): void;
}

/** Where a controller's link ends sit: its handle and role on each connection. */
export interface LinkEnd {
  link: ConnectionLink;
  handle: number;
  role: Role;
}

/** What a controller asks of the air (one medium per controller, made by the air). */
export interface RadioMedium {
  readonly clock: VirtualClock;
  /** This controller's own seeded stream (LE_Rand, SKD/IV). */
  readonly random: SeededRandom;
  /** Advertising, scanning or initiating was switched on or off, or re-parametrised. */
  changed(what: 'advertising' | 'scanning' | 'initiating'): void;
}
