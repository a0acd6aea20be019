/**
 * The bit fields a qVSDC tap negotiates with: Terminal Transaction
 * Qualifiers ('9F66'), Card Transaction Qualifiers ('9F6C') and the
 * Cryptogram Information Data ('9F27').
 *
 * Sources: EMV Contactless Book C-3 (Kernel 3) Annex A, data elements '9F66'
 * and '9F6C' (bit layouts as [byte, mask], byte 1 first; unlisted bits are
 * RFU); EMV 4.3 Book 3 6.5.5.4, Table 15 for '9F27'.
 */

/** A bit: [byte index from 0, mask]. */
export type Bit = readonly [byte: number, mask: number];

/** '9F66' TTQ, 4 bytes, sent by the reader in the PDOL data. */
export const TTQ = {
  MAG_STRIPE_MODE_SUPPORTED: [0, 0x80],
  EMV_MODE_SUPPORTED: [0, 0x20], // qVSDC
  EMV_CONTACT_CHIP_SUPPORTED: [0, 0x10],
  OFFLINE_ONLY_READER: [0, 0x08],
  ONLINE_PIN_SUPPORTED: [0, 0x04],
  SIGNATURE_SUPPORTED: [0, 0x02],
  OFFLINE_DATA_AUTHENTICATION_FOR_ONLINE_SUPPORTED: [0, 0x01],
  ONLINE_CRYPTOGRAM_REQUIRED: [1, 0x80],
  CVM_REQUIRED: [1, 0x40],
  CONTACT_CHIP_OFFLINE_PIN_SUPPORTED: [1, 0x20],
  ISSUER_UPDATE_PROCESSING_SUPPORTED: [2, 0x80],
  CONSUMER_DEVICE_CVM_SUPPORTED: [2, 0x40],
} as const satisfies Record<string, Bit>;

/** '9F6C' CTQ, 2 bytes, returned by the card in the GPO response. */
export const CTQ = {
  ONLINE_PIN_REQUIRED: [0, 0x80],
  SIGNATURE_REQUIRED: [0, 0x40],
  GO_ONLINE_IF_ODA_FAILS: [0, 0x20],
  SWITCH_INTERFACE_IF_ODA_FAILS: [0, 0x10],
  GO_ONLINE_IF_APPLICATION_EXPIRED: [0, 0x08],
  SWITCH_INTERFACE_FOR_CASH: [0, 0x04],
  SWITCH_INTERFACE_FOR_CASHBACK: [0, 0x02],
  CONSUMER_DEVICE_CVM_PERFORMED: [1, 0x80],
  CARD_SUPPORTS_ISSUER_UPDATE_PROCESSING: [1, 0x40],
} as const satisfies Record<string, Bit>;

/** Whether `bit` is set in `field` (false when the field is too short). */
export function hasBit(field: Uint8Array, bit: Bit): boolean {
  return ((field[bit[0]] ?? 0) & bit[1]) !== 0;
}

/** A field of `length` bytes with the given bits set. */
export function withBits(length: number, bits: readonly Bit[]): Uint8Array {
  const out = new Uint8Array(length);
  for (const [byte, mask] of bits) {
    if (byte >= length) throw new RangeError(`bit in byte ${byte + 1} of a ${length}-byte field`);
    out[byte]! |= mask;
  }
  return out;
}

/** '9F27' b8-b7: the cryptogram type (EMV Book 3 Table 15). */
export type CryptogramType = 'AAC' | 'TC' | 'ARQC' | 'RFU';

export const CryptogramTypeBits: Record<Exclude<CryptogramType, 'RFU'>, number> = { AAC: 0x00, TC: 0x40, ARQC: 0x80 };

export interface CryptogramInformation {
  type: CryptogramType;
  /** b4: advice required. */
  adviceRequired: boolean;
  /** b3-b1: 0 no information, 1 service not allowed, 2 PIN try limit exceeded, 3 issuer authentication failed. */
  reason: number;
  /** b6-b5, payment system-specific. */
  schemeBits: number;
}

export function decodeCryptogramInformation(cid: number): CryptogramInformation {
  const type = (['AAC', 'TC', 'ARQC', 'RFU'] as const)[(cid >> 6) & 3]!;
  return { type, adviceRequired: (cid & 0x08) !== 0, reason: cid & 0x07, schemeBits: (cid >> 4) & 3 };
}

export function encodeCryptogramInformation(info: Partial<CryptogramInformation> & { type: Exclude<CryptogramType, 'RFU'> }): number {
  return CryptogramTypeBits[info.type] | ((info.schemeBits ?? 0) & 3) << 4 | (info.adviceRequired ? 0x08 : 0) | ((info.reason ?? 0) & 7);
}
