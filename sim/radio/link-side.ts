/**
 * The state one end of a connection keeps (Core v5.4 Vol 6 Part B 4.5.9):
 * what it still has to send, the PDU in flight until acknowledged, the
 * sequence numbers standing in for SN/NESN, and when it last heard its peer.
 */
import type { Llid } from '../../protocols/ble/ll/control-pdu';
import type { SeededRandom } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import type { VirtualController } from './controller';
import type { Role } from './link-types';

export interface LlPdu {
  llid: Llid;
  payload: Uint8Array;
  /** 0 for an empty PDU; otherwise increasing per side (a model of the 1-bit SN). */
  seq: number;
  /** The last PDU of a host ACL packet: its acknowledgement frees a controller buffer. */
  completesHostPacket: boolean;
}

export interface LinkSide {
  role: Role;
  ctrl: VirtualController;
  handle: number;
  control: LlPdu[];
  data: LlPdu[];
  inFlight: LlPdu | undefined;
  nextSeq: number;
  lastSeqIn: number;
  lastHeardMs: number;
  /** Reset or abandoned by its controller: it sends and hears nothing more. */
  silent: boolean;
  /** dBm of the last packet it received. */
  rssi: number;
}

/** What a received PDU looked like after the air (loss and the tap) had its way. */
export interface HeardPdu {
  llid: Llid;
  payload: Uint8Array;
  rssi: number;
  /** The tap changed its bytes (on an encrypted link this fails the MIC). */
  tampered: boolean;
}

/** What a connection asks of the air it runs on. */
export interface LinkAir {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  /** Carries one PDU from `from` to `to`: undefined when lost or dropped by the tap. */
  carryData(link: { id: number; encrypted: boolean }, from: LinkSide, to: LinkSide, pdu: LlPdu, atMs: number): HeardPdu | undefined;
  linkClosed(link: object): void;
}
