/**
 * Host card emulation: an ISO-DEP link in listen mode whose APDUs go to the DH
 * instead of an NFCEE (the listen-mode routing table routes ISO-DEP to NFCEE
 * ID 00). NCI 2.0 chapter 8 "RF Interfaces" (ISO-DEP RF Interface) and 4.4
 * "Data Messages" / 4.4.4 credits:
 *  - activation: RF_INTF_ACTIVATED_NTF on the ISO-DEP RF Interface, protocol
 *    ISO-DEP, Listen NFC-A at 106 kbit/s, Max Data Packet Payload Size 255,
 *    one initial credit for the Static RF Connection (Conn ID 0); the
 *    activation parameters are the RATS parameter byte;
 *  - each reader APDU becomes a data message on Conn ID 0 to the DH; the DH
 *    answers with a data message on Conn ID 0, one credit per packet; the
 *    controller gives each credit back with CORE_CONN_CREDITS_NTF once it
 *    has taken the packet (its own count of the DH's credits is restored at
 *    once, not when the notification is read: a DH that sends before reading
 *    it is not caught);
 *  - a DH data packet without a credit, or with no APDU waiting for an
 *    answer, is refused with CORE_INTERFACE_ERROR_NTF.
 */
import { RfInterface, RfProtocol, RfTechMode, Status } from '../../protocols/nci/identifiers';
import { segmentMessage } from '../../protocols/nci/packet';
import { CORE_CONN_CREDITS_NTF, CORE_INTERFACE_ERROR_NTF } from '../../protocols/nci/core';
import { RF_INTF_ACTIVATED_NTF } from '../../protocols/nci/rf';
import type { NfccCore } from './nfcc-state';

export const STATIC_RF_CONN_ID = 0;
const INITIAL_CREDITS = 1;
const MAX_DATA_PAYLOAD = 255;

export class DhLink {
  private credits = INITIAL_CREDITS;
  private waiting: ((response: Uint8Array | undefined) => void) | undefined;

  constructor(private readonly c: NfccCore, ratsParameter: number) {
    c.send(RF_INTF_ACTIVATED_NTF, {
      rfDiscoveryId: 1, rfInterface: RfInterface.ISO_DEP, rfProtocol: RfProtocol.ISO_DEP, activationTechMode: RfTechMode.NFC_A_PASSIVE_LISTEN,
      maxDataPacketPayloadSize: MAX_DATA_PAYLOAD, initialCredits: INITIAL_CREDITS, techParameters: new Uint8Array(0),
      dataExchangeTechMode: RfTechMode.NFC_A_PASSIVE_LISTEN, dataExchangeTxBitRate: 0, dataExchangeRxBitRate: 0, activationParameters: Uint8Array.of(ratsParameter),
    });
  }

  /** A reader's APDU to the DH; resolves with the DH's answer, or undefined when the link ends first. */
  forward(apdu: Uint8Array): Promise<Uint8Array | undefined> {
    this.waiting?.(undefined);
    this.c.sendLater(segmentMessage({ kind: 'data', connId: STATIC_RF_CONN_ID, credits: 0, payload: apdu }, MAX_DATA_PAYLOAD));
    return new Promise((resolve) => { this.waiting = resolve; });
  }

  /** One data packet from the DH: false (and the error notification) when it is refused. */
  takePacket(connId: number): boolean {
    if (connId !== STATIC_RF_CONN_ID || this.credits <= 0 || !this.waiting) {
      this.c.send(CORE_INTERFACE_ERROR_NTF, { status: Status.SEMANTIC_ERROR, connId });
      return false;
    }
    this.credits--;
    this.c.send(CORE_CONN_CREDITS_NTF, { entries: [{ connId, credits: 1 }] });
    this.credits++;
    return true;
  }

  /** The DH's whole answer (its packets reassembled). */
  answer(payload: Uint8Array): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.(payload.slice());
  }

  end(): void {
    this.waiting?.(undefined);
    this.waiting = undefined;
  }
}
