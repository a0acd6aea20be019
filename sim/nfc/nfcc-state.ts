/**
 * The controller's state as its parts see it: the command handlers
 * (nci-commands.ts), the antenna (antenna.ts) and the power states
 * (nfcc-power.ts) work on this interface; NciController implements it.
 */
import type { SeededRandom } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import type { MessageCodec } from '../../protocols/nci/payload';
import type { ContactlessTarget } from './contactless';
import type { ListenRoutingTable } from './listen-routing';

/** NCI 2.0 5.2 RF communication states (the listen subset: the strap only emulates a card). */
export type RfState = 'RFST_IDLE' | 'RFST_DISCOVERY' | 'RFST_LISTEN_ACTIVE';
/** Before CORE_RESET_CMD, between reset and CORE_INIT_CMD, initialized. */
export type CoreState = 'unreset' | 'reset' | 'initialized';

/** NFCEE ID this controller gives its embedded SE (NCI 2.0: '01'-'FE' are assigned by the NFCC). */
export const EMBEDDED_SE_NFCEE_ID = 0xc0;

export interface Nfcee {
  id: number;
  target: ContactlessTarget;
  enabled: boolean;
  discovered: boolean;
}

/** Why the card side of an ISO-DEP link ends. */
export type StopReason = 'dh' | 'reset' | 'power' | 'field';

export interface AntennaControl {
  /** A reader's field is at the antenna. */
  readonly fieldPresent: boolean;
  /** Ends the card side of an active link (the reader then finds the card mute); no notification. */
  stop(reason: StopReason): void;
  /** A data packet from the DH on `connId`: false when refused (the antenna has answered CORE_INTERFACE_ERROR_NTF). */
  takeDhPacket(connId: number): boolean;
  /** A whole data message from the DH: the answer to the APDU it was given. */
  dhAnswer(payload: Uint8Array): void;
}

export interface NfccCore {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly antenna: AntennaControl;
  readonly routing: ListenRoutingTable;
  ven: boolean;
  core: CoreState;
  rf: RfState;
  listenA: boolean;
  standbyEnabled: boolean;
  powerSubState: number;
  config: Map<number, Uint8Array>;
  nfcee: Nfcee | undefined;
  /** Sends a message to the DH after the response latency. */
  send<T>(codec: MessageCodec<T>, value: T): void;
  /** Sends packets already encoded, after the response latency. */
  sendLater(packets: Uint8Array[]): void;
  configValue(id: number): Uint8Array | undefined;
  configFlag(id: number): boolean;
  resetCore(keepConfig: boolean): void;
  powerChanged(): void;
}
