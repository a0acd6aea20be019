/**
 * GET PROCESSING OPTIONS for a Visa qVSDC online-only token (cryptogram
 * version 18): the PDOL the card asks for, the card's decision, and the
 * format 2 response.
 *
 * Sources: EMV Contactless Book C-3 (Kernel 3) 5.2 (qVSDC GPO processing,
 * the card returns the cryptogram in the GPO response) and Annex A (TTQ,
 * CTQ); EMV 4.3 Book 3 6.5.8 (GET PROCESSING OPTIONS: data field '83' L
 * PDOL-related data; response template '77', format 2) and 10.2 (AFL).
 *
 * The card's decision, before any counter is touched:
 *  - a reader whose TTQ does not offer qVSDC (b6 of byte 1) gets '6985': this
 *    card has no magnetic-stripe mode, and '6985' tells a Kernel 3 reader to
 *    try another application or interface;
 *  - otherwise the ATC is incremented and committed, then the cryptogram is
 *    computed with the new ATC:
 *    · active token, online-capable reader → ARQC ('9F27' = '80');
 *    · suspended token → AAC ('9F27' = '00'), a decline the reader shows at
 *      once. Book C-3 has the card decline offline with an AAC; '6985' would
 *      instead make the reader try another interface or application, and the
 *      issuer would never see that the suspended token was tried;
 *    · an offline-only reader (TTQ byte 1 b4) → AAC: this card never approves
 *      offline.
 * CTQ byte 2 b8 "Consumer Device CVM performed" is set only while the host
 * has set the wearer-verified flag.
 */
import { encodeTlv } from '../../../protocols/ber-tlv/tlv';
import type { TlvInput, TlvNode } from '../../../protocols/ber-tlv/tlv';
import { TTQ, CTQ, hasBit, withBits } from '../../../protocols/emv/qualifiers';
import type { DolEntry } from '../../../protocols/emv/dol';
import { cvn18Cryptogram, cvn18IssuerApplicationData } from '../../emv/cvn18';

/** The PDOL ('9F38') this card sends in its FCI. 33 bytes of PDOL-related data. */
export const PDOL: readonly DolEntry[] = [
  { tag: 0x9f66, length: 4 }, // TTQ
  { tag: 0x9f02, length: 6 }, // amount, authorised
  { tag: 0x9f03, length: 6 }, // amount, other
  { tag: 0x9f1a, length: 2 }, // terminal country code
  { tag: 0x95, length: 5 }, // TVR
  { tag: 0x5f2a, length: 2 }, // transaction currency code
  { tag: 0x9a, length: 3 }, // transaction date
  { tag: 0x9c, length: 1 }, // transaction type
  { tag: 0x9f37, length: 4 }, // unpredictable number
];

export function encodePdol(): Uint8Array {
  const out: number[] = [];
  for (const { tag, length } of PDOL) out.push(...(tag > 0xff ? [tag >> 8, tag & 0xff] : [tag]), length);
  return Uint8Array.from(out);
}

/** No offline data authentication (no ODA keys on this token): the ARQC is what authenticates it. */
export const AIP = Uint8Array.of(0x00, 0x00);

/** CVR flag (IAD byte 6, b8) this simulator sets when the consumer device CVM was performed, so the MAC covers it. */
export const CVR_CDCVM_PERFORMED = 0x8000;

export type DeclineReason = 'token-suspended' | 'offline-only-reader';
export type Decision = { kind: 'refuse' } | { kind: 'ARQC' } | { kind: 'AAC'; reason: DeclineReason };

export function decide(ttq: Uint8Array, suspended: boolean): Decision {
  if (!hasBit(ttq, TTQ.EMV_MODE_SUPPORTED)) return { kind: 'refuse' };
  if (suspended) return { kind: 'AAC', reason: 'token-suspended' };
  if (hasBit(ttq, TTQ.OFFLINE_ONLY_READER)) return { kind: 'AAC', reason: 'offline-only-reader' };
  return { kind: 'ARQC' };
}

export interface GpoInputs {
  pdol: Map<number, Uint8Array>;
  decision: Exclude<Decision, { kind: 'refuse' }>;
  atc: number;
  iccMasterKey: Uint8Array;
  cardData: TlvNode[];
  afl: Uint8Array;
  wearerVerified: boolean;
}

export interface GpoOutputs {
  response: Uint8Array;
  cryptogram: Uint8Array;
  cid: number;
}

/** The format 2 response ('77') with the cryptogram computed over the PDOL data (CVN 18). */
export function respondToGpo(inputs: GpoInputs): GpoOutputs {
  const { pdol, decision, atc, cardData } = inputs;
  const type = decision.kind;
  const dki = cardData.find((n) => n.tag === 0xdf01)?.value[0] ?? 1;
  const iad = cvn18IssuerApplicationData({ dki, cryptogram: type, cvrFlags: inputs.wearerVerified ? CVR_CDCVM_PERFORMED : 0 });
  const value = (tag: number) => pdol.get(tag) ?? new Uint8Array(0);
  const cryptogram = cvn18Cryptogram(inputs.iccMasterKey, {
    amountAuthorised: value(0x9f02), amountOther: value(0x9f03), terminalCountry: value(0x9f1a), tvr: value(0x95),
    currency: value(0x5f2a), date: value(0x9a), type: value(0x9c), unpredictableNumber: value(0x9f37), aip: AIP, atc, iad,
  });
  const cid = type === 'ARQC' ? 0x80 : 0x00;
  const ctq = withBits(2, inputs.wearerVerified ? [CTQ.CONSUMER_DEVICE_CVM_PERFORMED] : []);
  const items: TlvInput[] = [
    { tag: 0x82, value: AIP },
    { tag: 0x94, value: inputs.afl },
    { tag: 0x9f36, value: Uint8Array.of(atc >> 8, atc & 0xff) },
    { tag: 0x9f26, value: cryptogram },
    { tag: 0x9f27, value: Uint8Array.of(cid) },
    { tag: 0x9f10, value: iad },
    { tag: 0x9f6c, value: ctq },
  ];
  for (const tag of [0x57, 0x5f34, 0x9f6e]) {
    const node = cardData.find((n) => n.tag === tag);
    if (node) items.push({ tag, value: node.value });
  }
  return { response: encodeTlv({ tag: 0x77, children: items }), cryptogram, cid };
}

/** The AFL ('94', Book 3 10.2): one 4-byte entry per SFI, records first-last, none for offline authentication. */
export function buildAfl(recordDgis: readonly number[]): Uint8Array {
  const bySfi = new Map<number, number[]>();
  for (const dgi of recordDgis) bySfi.set(dgi >> 8, [...(bySfi.get(dgi >> 8) ?? []), dgi & 0xff]);
  const out: number[] = [];
  for (const [sfi, records] of [...bySfi].sort((a, b) => a[0] - b[0])) {
    out.push(sfi << 3, Math.min(...records), Math.max(...records), 0);
  }
  return Uint8Array.from(out);
}
