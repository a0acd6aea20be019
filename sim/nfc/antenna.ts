/**
 * The controller's card side: what a reader in the virtual field (field.ts)
 * finds at the antenna, and the NCI notifications that tell the DH about it.
 *
 *  - The card answers only while the controller listens: VEN high,
 *    initialized, RFST_DISCOVERY with Listen NFC-A asked for (NCI 2.0 7.1).
 *  - Anticollision (ISO/IEC 14443-3 6.3-6.5): ATQA from LA_BIT_FRAME_SDD,
 *    LA_PLATFORM_CONFIG and the NFCID1 size; NFCID1 from LA_NFCID1, or a
 *    fresh random single-size UID whose first byte is '08' (6.5.4, "random
 *    ID"); SAK from LA_SEL_INFO.
 *  - RATS/ATS (ISO/IEC 14443-4 5.1-5.2): ATS = TL, T0 (TA, TB, TC present;
 *    FSCI 8 = 256 bytes), TA(1) '00' (106 kbit/s only), TB(1) from
 *    LI_A_RATS_TB1 (FWI, SFGI), TC(1) '00' (no CID, no NAD), LI_A_HIST_BY.
 *    Activation is reported with RF_INTF_ACTIVATED_NTF on the NFCEE Direct RF
 *    Interface (the following fields all 0, as NCI asks for that interface):
 *    the APDUs go to the NFCEE, not to the DH; RF state RFST_LISTEN_ACTIVE.
 *  - APDUs are routed by the listen-mode routing table (listen-routing.ts);
 *    a SELECT routed to the NFCEE raises RF_NFCEE_ACTION_NTF (trigger '00',
 *    the AID) when RF_NFCEE_ACTION is on. An APDU with no route to an enabled
 *    NFCEE is answered '6A 82' by the controller. When no route reaches an
 *    enabled NFCEE but one reaches the DH, the whole link goes to the DH
 *    instead (host card emulation, dh-link.ts); links that mix DH and NFCEE
 *    routes within one session are not modelled.
 *  - The SE's transaction events become RF_NFCEE_ACTION_NTF with trigger '10'
 *    (application initiation) and supporting data '81' AID, '82' parameters,
 *    the EVT_TRANSACTION layout of ETSI TS 102 622 12.3.2.
 *  - The field going away during the link: RF_DEACTIVATE_NTF (discovery, RF
 *    link loss), then RF_FIELD_INFO_NTF off (when RF_FIELD_INFO is on).
 */
import { ConfigParam, DH_NFCEE_ID, LA_SEL_INFO_ISO_DEP, RfInterface, Status } from '../../protocols/nci/identifiers';
import { CORE_INTERFACE_ERROR_NTF } from '../../protocols/nci/core';
import { DhLink } from './dh-link';
import * as rf from '../../protocols/nci/rf';
import { NFCEE_STATUS_NTF, NfceeStatusReport } from '../../protocols/nci/nfcee';
import type { SeEvent } from '../se/applet';
import type { AntennaControl, NfccCore, StopReason } from './nfcc-state';
import type { Route } from './listen-routing';

export interface CardIdentity {
  /** ATQA as sent, low byte first. */
  atqa: Uint8Array;
  uid: Uint8Array;
  sak: number;
}

export type CardAnswer =
  | {
    response: Uint8Array;
    /** The time the answer took to make behind the antenna (the SE's processing). */
    processingUs: number;
  }
  /** Routed to the DH (host card emulation, dh-link.ts): its answer when it comes, undefined if the link ends first. */
  | { fromHost: Promise<Uint8Array | undefined> };

const FSCI = 8;
const NOT_FOUND = Uint8Array.of(0x6a, 0x82);
const NO_PRECISE_DIAGNOSIS = Uint8Array.of(0x6f, 0x00);

export class Antenna implements AntennaControl {
  fieldPresent = false;
  private active = false;
  private sessionRoute: Route | undefined;
  private targetOn = false;
  private dh: DhLink | undefined;
  private readonly stopListeners = new Set<(reason: StopReason) => void>();

  constructor(private readonly c: NfccCore) {}

  /** Whether a reader polling NFC-A now would find a card. */
  listening(): boolean {
    const { c } = this;
    return c.ven && c.core === 'initialized' && c.rf === 'RFST_DISCOVERY' && c.listenA;
  }

  isActive(): boolean {
    return this.active;
  }

  /** The card side ended without the reader asking (DH deactivation, reset, VEN low). */
  onStop(listener: (reason: StopReason) => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  // --- the reader's side ------------------------------------------------------------

  fieldOn(): void {
    if (this.fieldPresent) return;
    this.fieldPresent = true;
    if (this.listening() && this.c.configFlag(ConfigParam.RF_FIELD_INFO)) this.c.send(rf.RF_FIELD_INFO_NTF, { fieldOn: true });
    this.c.powerChanged();
  }

  fieldOff(): void {
    if (!this.fieldPresent) return;
    const wasListening = this.active || this.listening();
    if (this.active) {
      this.end();
      this.c.rf = 'RFST_DISCOVERY';
      this.c.send(rf.RF_DEACTIVATE_NTF, { type: rf.DeactivationType.DISCOVERY, reason: rf.DeactivationReason.RF_LINK_LOSS });
    }
    this.fieldPresent = false;
    if (wasListening && this.c.configFlag(ConfigParam.RF_FIELD_INFO)) this.c.send(rf.RF_FIELD_INFO_NTF, { fieldOn: false });
    this.c.powerChanged();
  }

  /** REQA/WUPA and the anticollision loop: the card's identity, or undefined when nothing answers. */
  sense(): CardIdentity | undefined {
    if (!this.fieldPresent || !this.listening()) return undefined;
    const configured = this.c.configValue(ConfigParam.LA_NFCID1);
    const uid = configured && configured.length > 0 ? configured.slice() : Uint8Array.of(0x08, this.byte(), this.byte(), this.byte());
    const sizeBits = uid.length === 4 ? 0x00 : uid.length === 7 ? 0x40 : 0x80;
    const sdd = this.c.configValue(ConfigParam.LA_BIT_FRAME_SDD)?.[0] ?? 0x04;
    const platform = this.c.configValue(ConfigParam.LA_PLATFORM_CONFIG)?.[0] ?? 0x00;
    return { atqa: Uint8Array.of(sizeBits | (sdd & 0x1f), platform & 0x0f), uid, sak: this.sak() };
  }

  /** RATS (its parameter byte): the ATS without CRC, or undefined when the card does not speak ISO-DEP. */
  rats(parameter: number): Uint8Array | undefined {
    if (!this.fieldPresent || !this.listening() || (this.sak() & LA_SEL_INFO_ISO_DEP) === 0) return undefined;
    const tb1 = this.c.configValue(ConfigParam.LI_A_RATS_TB1)?.[0] ?? 0x70;
    const historical = this.c.configValue(ConfigParam.LI_A_HIST_BY) ?? new Uint8Array(0);
    const body = [0x70 | FSCI, 0x00, tb1, 0x00, ...historical];
    this.active = true;
    this.sessionRoute = undefined;
    this.c.rf = 'RFST_LISTEN_ACTIVE';
    const ee = this.c.nfcee;
    const toSe = ee !== undefined && ee.enabled && this.c.routing.reaches(ee.id);
    if (!toSe && this.c.routing.reaches(DH_NFCEE_ID)) this.dh = new DhLink(this.c, parameter);
    else {
      if (toSe) this.powerTarget();
      this.c.send(rf.RF_INTF_ACTIVATED_NTF, {
        rfDiscoveryId: 1, rfInterface: RfInterface.NFCEE_DIRECT, rfProtocol: 0, activationTechMode: 0, maxDataPacketPayloadSize: 0, initialCredits: 0,
        techParameters: new Uint8Array(0), dataExchangeTechMode: 0, dataExchangeTxBitRate: 0, dataExchangeRxBitRate: 0, activationParameters: new Uint8Array(0),
      });
    }
    this.c.powerChanged();
    return Uint8Array.from([body.length + 1, ...body]);
  }

  /** One APDU through the routing table; undefined when the card is mute (link not active). */
  exchange(apdu: Uint8Array): CardAnswer | undefined {
    if (!this.active) return undefined;
    if (this.dh) return { fromHost: this.dh.forward(apdu) };
    const aid = selectedAid(apdu);
    const route = aid ? this.c.routing.resolve(aid) : (this.sessionRoute ?? this.c.routing.resolve(undefined));
    if (aid) this.sessionRoute = route;
    const ee = this.c.nfcee;
    if (!route || !ee || route.nfceeId !== ee.id || !ee.enabled) return { response: NOT_FOUND, processingUs: 0 };
    if (aid && this.c.configFlag(ConfigParam.RF_NFCEE_ACTION)) {
      this.c.send(rf.RF_NFCEE_ACTION_NTF, { nfceeId: ee.id, trigger: rf.NfceeActionTrigger.SELECT_AID, data: aid });
    }
    try {
      this.powerTarget();
      const answer = ee.target.transceive(apdu.slice());
      return { response: answer.response.slice(), processingUs: Math.max(0, answer.processingUs) };
    } catch {
      this.c.send(NFCEE_STATUS_NTF, { nfceeId: ee.id, status: NfceeStatusReport.UNRECOVERABLE_ERROR });
      return { response: NO_PRECISE_DIAGNOSIS, processingUs: 0 };
    }
  }

  /** S(DESELECT) from the reader: the link ends at the endpoint's request, discovery goes on. */
  deselect(): void {
    if (!this.active) return;
    this.end();
    this.c.rf = 'RFST_DISCOVERY';
    this.c.send(rf.RF_DEACTIVATE_NTF, { type: rf.DeactivationType.DISCOVERY, reason: rf.DeactivationReason.ENDPOINT_REQUEST });
    this.c.powerChanged();
  }

  // --- the controller's side --------------------------------------------------------

  stop(reason: StopReason): void {
    if (!this.active) return;
    this.end();
    for (const listener of [...this.stopListeners]) listener(reason);
  }

  seEvent(event: SeEvent): void {
    const { c } = this;
    const ee = c.nfcee;
    if (!c.ven || c.core !== 'initialized' || !ee?.enabled || !c.configFlag(ConfigParam.RF_NFCEE_ACTION)) return;
    const aid = event.aid.slice(0, 16);
    const room = 255 - (4 + aid.length);
    const parameters = event.data.slice(0, Math.min(room, 255));
    const data = Uint8Array.from([0x81, aid.length, ...aid, 0x82, parameters.length, ...parameters]);
    c.send(rf.RF_NFCEE_ACTION_NTF, { nfceeId: ee.id, trigger: rf.NfceeActionTrigger.APPLICATION_INITIATION, data });
  }

  // ----------------------------------------------------------------------------------

  /** A data packet from the DH: taken (a credit used and given back) or refused with CORE_INTERFACE_ERROR_NTF. */
  takeDhPacket(connId: number): boolean {
    if (this.dh) return this.dh.takePacket(connId);
    this.c.send(CORE_INTERFACE_ERROR_NTF, { status: Status.SEMANTIC_ERROR, connId });
    return false;
  }

  dhAnswer(payload: Uint8Array): void {
    this.dh?.answer(payload);
  }

  private end(): void {
    this.active = false;
    this.dh?.end();
    this.dh = undefined;
    this.sessionRoute = undefined;
    if (this.targetOn) {
      this.targetOn = false;
      try {
        this.c.nfcee?.target.fieldOff();
      } catch {
        const ee = this.c.nfcee;
        if (ee) this.c.send(NFCEE_STATUS_NTF, { nfceeId: ee.id, status: NfceeStatusReport.UNRECOVERABLE_ERROR });
      }
    }
  }

  /** The SE's contactless side comes up with the link (ContactlessTarget.fieldOn), once. */
  private powerTarget(): void {
    if (this.targetOn || !this.c.nfcee) return;
    this.targetOn = true;
    try {
      this.c.nfcee.target.fieldOn();
    } catch {
      this.c.send(NFCEE_STATUS_NTF, { nfceeId: this.c.nfcee.id, status: NfceeStatusReport.UNRECOVERABLE_ERROR });
    }
  }

  private sak(): number {
    return this.c.configValue(ConfigParam.LA_SEL_INFO)?.[0] ?? LA_SEL_INFO_ISO_DEP;
  }

  private byte(): number {
    return this.c.random.int(0, 255);
  }
}

/** The AID of a SELECT by DF name (ISO/IEC 7816-4 7.1.1: INS 'A4', P1 '04'), or undefined. */
export function selectedAid(apdu: Uint8Array): Uint8Array | undefined {
  if (apdu.length < 6 || apdu[1] !== 0xa4 || apdu[2] !== 0x04) return undefined;
  const lc = apdu[4]!;
  if (lc === 0 || apdu.length < 5 + lc) return undefined;
  return apdu.slice(5, 5 + lc);
}


