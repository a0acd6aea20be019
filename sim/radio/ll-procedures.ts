/**
 * The Link Layer control procedures a connection runs for its hosts
 * (Core v5.4 Vol 6 Part B 5.1), PDUs coded by protocols/ble/ll/control-pdu:
 *
 * - encryption start (5.1.3.1): LL_ENC_REQ → the peripheral's host gets LE
 *   Long Term Key Request; its reply → LL_START_ENC_REQ → LL_START_ENC_RSP.
 *   Encryption Change (or Key Refresh Complete on an encrypted link) goes to
 *   each host once it holds. The LTK never goes on air: a real link with
 *   different keys fails the MIC of the first encrypted PDU, so here unequal
 *   keys end the link with reason 0x3D on both sides. A negative reply is
 *   LL_REJECT_EXT_IND with PIN or Key Missing (0x06): Encryption Change with
 *   that status to the central. Data pauses meanwhile (5.1.3.1).
 * - connection update (5.1.1): LL_CONNECTION_UPDATE_IND with an instant 6
 *   events ahead; both hosts get LE Connection Update Complete at it.
 * - feature exchange (5.1.4), version exchange (5.1.5), termination (5.1.6:
 *   the peer's host gets the given reason, the local host 0x16).
 */
import { encryptionChangeEvent, EventParameters } from '../../protocols/ble/hci/event-params';
import { encodeEvent } from '../../protocols/ble/hci/packets';
import { encodeH4, H4PacketType } from '../../protocols/ble/hci/h4';
import { HciEvent, LeSubevent } from '../../protocols/ble/hci/events';
import { LeEventParameters, leMetaEvent } from '../../protocols/ble/hci/le-events';
import { HciStatus } from '../../protocols/ble/hci/status';
import { decodeLlControl, encodeLlControl, LlControlOpcode } from '../../protocols/ble/ll/control-pdu';
import type { LlControl } from '../../protocols/ble/ll/control-pdu';
import type { LinkAir, LinkSide } from './link-side';
import type { Role } from './link-types';

/** LE features this controller reports (Vol 6 Part B 4.6: bit 0, LE Encryption). */
const FEATURES = Uint8Array.of(0x01, 0, 0, 0, 0, 0, 0, 0);
/** VersNr 0x0D (Core 5.4), CompId 0xFFFF (reserved for tests). */
const VERSION = { versNr: 0x0d, compId: 0xffff, subVersNr: 0x0001 };
/** 5.1.1: the instant is at least 6 connection events after the update PDU (central's own margin). */
const UPDATE_INSTANT_EVENTS = 6;

interface Parameters {
  intervalUnits: number;
  latency: number;
  timeoutUnits: number;
}

/** The connection as its procedures see it (link.ts). */
export interface ProcedureLink {
  readonly encrypted: boolean;
  readonly eventCounter: number;
  params: Parameters;
  side(role: Role): LinkSide;
  peer(role: Role): LinkSide;
  queueControl(from: Role, payload: Uint8Array): void;
  close(atMs: number, reasons: Record<Role, number>): void;
  applyParameters(params: Parameters): void;
  setEncrypted(on: boolean): void;
}

export class LlProcedures {
  dataPaused = false;
  private centralLtk: Uint8Array | undefined;
  private peripheralLtk: Uint8Array | undefined;
  private pendingUpdate: { instant: number; params: Parameters } | undefined;
  private versionSent = { central: false, peripheral: false };
  private versionWanted = { central: false, peripheral: false };
  private refreshing = false;

  constructor(
    private readonly link: ProcedureLink,
    private readonly air: LinkAir,
  ) {}

  startEncryption(rand: Uint8Array, ediv: number, ltk: Uint8Array): void {
    this.centralLtk = ltk;
    this.dataPaused = true;
    this.link.queueControl('central', encodeLlControl({ name: 'ENC_REQ', rand, ediv, skdm: this.randomBytes(8), ivm: this.randomBytes(4) }));
  }

  longTermKeyReply(ltk: Uint8Array | undefined): void {
    if (ltk === undefined) {
      this.link.queueControl('peripheral', encodeLlControl({ name: 'REJECT_EXT_IND', rejectOpcode: LlControlOpcode.ENC_REQ, errorCode: HciStatus.PIN_OR_KEY_MISSING }));
      return;
    }
    this.peripheralLtk = ltk;
    this.link.queueControl('peripheral', encodeLlControl({ name: 'ENC_RSP', skds: this.randomBytes(8), ivs: this.randomBytes(4) }));
    this.link.queueControl('peripheral', encodeLlControl({ name: 'START_ENC_REQ' }));
  }

  terminate(from: Role, reason: number): void {
    this.link.queueControl(from, encodeLlControl({ name: 'TERMINATE_IND', errorCode: reason }));
  }

  update(params: Parameters): void {
    const instant = (this.link.eventCounter + UPDATE_INSTANT_EVENTS) & 0xffff;
    this.pendingUpdate = { instant, params };
    this.link.queueControl('central', encodeLlControl({
      name: 'CONNECTION_UPDATE_IND', winSize: 1, winOffset: 0, interval: params.intervalUnits, latency: params.latency, timeout: params.timeoutUnits, instant,
    }));
  }

  readRemoteFeatures(from: Role): void {
    this.link.queueControl(from, encodeLlControl({ name: 'FEATURE_REQ', featureSet: FEATURES }));
  }

  readRemoteVersion(from: Role): void {
    this.versionWanted[from] = true;
    if (this.versionSent[from]) return;
    this.versionSent[from] = true;
    this.link.queueControl(from, encodeLlControl({ name: 'VERSION_IND', ...VERSION }));
  }

  atEventStart(eventCounter: number): void {
    if (!this.pendingUpdate || this.pendingUpdate.instant !== eventCounter) return;
    const { params } = this.pendingUpdate;
    this.pendingUpdate = undefined;
    this.link.applyParameters(params);
    const at = this.air.clock.nowMs();
    for (const role of ['central', 'peripheral'] as const) {
      const s = this.link.side(role);
      this.toHost(s, at, leMetaEvent(LeSubevent.CONNECTION_UPDATE_COMPLETE, LeEventParameters.CONNECTION_UPDATE_COMPLETE.encode({
        status: 0, connectionHandle: s.handle, connectionInterval: params.intervalUnits, peripheralLatency: params.latency, supervisionTimeout: params.timeoutUnits,
      })));
    }
  }

  /** A control PDU `at` received. */
  received(at: Role, payload: Uint8Array, atMs: number): void {
    const decoded = decodeLlControl(payload);
    const me = this.link.side(at);
    if (!decoded.ok) {
      // 2.4.2.8: an opcode not understood is answered with LL_UNKNOWN_RSP; a malformed PDU is ignored.
      if (decoded.error.reason === 'unknown-opcode') this.link.queueControl(at, encodeLlControl({ name: 'UNKNOWN_RSP', unknownType: payload[0] ?? 0 }));
      return;
    }
    this.handle(decoded.value, at, me, atMs);
  }

  private handle(pdu: LlControl, at: Role, me: LinkSide, atMs: number): void {
    switch (pdu.name) {
      case 'ENC_REQ':
        if (at !== 'peripheral') return;
        this.dataPaused = true;
        this.toHost(me, atMs, leMetaEvent(LeSubevent.LONG_TERM_KEY_REQUEST, LeEventParameters.LONG_TERM_KEY_REQUEST.encode({
          connectionHandle: me.handle, randomNumber: pdu.rand, encryptedDiversifier: pdu.ediv,
        })));
        return;
      case 'START_ENC_REQ':
        if (at !== 'central') return;
        if (!sameKey(this.centralLtk, this.peripheralLtk)) {
          const mic = HciStatus.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE;
          this.link.close(atMs, { central: mic, peripheral: mic });
          return;
        }
        this.link.queueControl('central', encodeLlControl({ name: 'START_ENC_RSP' }));
        this.encryptionOn(me, atMs);
        return;
      case 'START_ENC_RSP':
        if (at !== 'peripheral') return;
        this.encryptionOn(me, atMs);
        this.dataPaused = false;
        return;
      case 'REJECT_EXT_IND':
        if (at === 'central' && pdu.rejectOpcode === LlControlOpcode.ENC_REQ) {
          this.dataPaused = false;
          this.toHost(me, atMs, encryptionChangeEvent(me.handle, pdu.errorCode, this.link.encrypted ? 1 : 0));
        }
        return;
      case 'TERMINATE_IND': {
        const from = this.link.peer(at).role;
        const reasons = { [at]: pdu.errorCode, [from]: HciStatus.CONNECTION_TERMINATED_BY_LOCAL_HOST } as Record<Role, number>;
        this.link.close(atMs, reasons);
        return;
      }
      case 'CONNECTION_UPDATE_IND':
        return; // both ends apply it at its instant (atEventStart)
      case 'FEATURE_REQ':
        this.link.queueControl(at, encodeLlControl({ name: 'FEATURE_RSP', featureSet: FEATURES }));
        return;
      case 'FEATURE_RSP':
        this.toHost(me, atMs, leMetaEvent(LeSubevent.READ_REMOTE_FEATURES_COMPLETE, LeEventParameters.READ_REMOTE_FEATURES_COMPLETE.encode({
          status: 0, connectionHandle: me.handle, leFeatures: pdu.featureSet,
        })));
        return;
      case 'VERSION_IND':
        if (!this.versionSent[at]) {
          this.versionSent[at] = true;
          this.link.queueControl(at, encodeLlControl({ name: 'VERSION_IND', ...VERSION }));
        }
        if (this.versionWanted[at]) {
          this.versionWanted[at] = false;
          this.toHost(me, atMs, encodeEvent(HciEvent.READ_REMOTE_VERSION_INFORMATION_COMPLETE, EventParameters.READ_REMOTE_VERSION_INFORMATION_COMPLETE.encode({
            status: 0, connectionHandle: me.handle, version: pdu.versNr, companyIdentifier: pdu.compId, subversion: pdu.subVersNr,
          })));
        }
        return;
      default:
        return;
    }
  }

  /** Encryption Change, or Encryption Key Refresh Complete when the link was encrypted already (Vol 4 Part E 7.7.39). */
  private encryptionOn(me: LinkSide, atMs: number): void {
    if (me.role === 'central') {
      this.refreshing = this.link.encrypted;
      this.link.setEncrypted(true);
    }
    const event = this.refreshing
      ? encodeEvent(HciEvent.ENCRYPTION_KEY_REFRESH_COMPLETE, EventParameters.ENCRYPTION_KEY_REFRESH_COMPLETE.encode({ status: 0, connectionHandle: me.handle }))
      : encryptionChangeEvent(me.handle, 0, 1);
    this.toHost(me, atMs, event);
  }

  private toHost(s: LinkSide, atMs: number, eventPacket: Uint8Array): void {
    if (!s.silent) s.ctrl.toHostAt(atMs, encodeH4(H4PacketType.EVENT, eventPacket));
  }

  private randomBytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.air.random.int(0, 255));
  }
}

function sameKey(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}
