/**
 * The two seams of the virtual field.
 *
 * `ContactlessTarget` is the secure element's contactless interface as the NFC
 * controller sees it: the controller carries the reader's ISO 14443-4 APDUs to
 * it (routed by AID, NCI 2.0 6.3 listen-mode routing) and takes its answers
 * back to the antenna. The SE implements it (sim/se).
 *
 * `ReaderLink` is what a reader (the POS terminal, sim/pos; a phone's NFC
 * reader) holds while a card is in its field: one APDU out, one answer back,
 * after the air time at 106 kbit/s and the card's processing time, on the
 * virtual clock.
 */
import type { SeEvent } from '../se/applet';

export interface ContactlessTarget {
  /** The reader's field came up at the antenna (the SE powers its contactless side). */
  fieldOn(): void;
  /** The field went away: the contactless session ends, selected applets are deselected. */
  fieldOff(): void;
  /** One command APDU from the reader; the answer and how long the SE took to make it. */
  transceive(apdu: Uint8Array): { response: Uint8Array; processingUs: number };
  /** Events the SE raises (transactions), for the controller's NFCEE action notifications. */
  onEvent(listener: (event: SeEvent) => void): () => void;
}

/** The field was lost (the card left the reader) before the answer arrived. */
export class FieldLost extends Error {
  constructor(detail = 'the card left the field') {
    super(detail);
    this.name = 'FieldLost';
  }
}

export interface ReaderLink {
  /** Sends one command APDU; resolves with the response APDU, or rejects with FieldLost. */
  transceive(apdu: Uint8Array): Promise<Uint8Array>;
}
