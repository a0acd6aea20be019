/**
 * What the payment applet keeps in non-volatile memory, by record key, and
 * the DGIs that personalize it.
 *
 * DGIs (EMV CPS 1.1 conventions; '8000' and the record DGIs as CPS defines
 * them, 'A001' this applet's own):
 *   '0101'-'1E10'  one record: high byte the SFI (1-30), low byte the record
 *                  number (1-16); data = the record as READ RECORD returns it
 *                  (a '70' template).
 *   '8000'         the ICC Master Key for Application Cryptograms (MK-AC,
 *                  16 bytes; 48 = MK-AC || MK-SMI || MK-SMC, the last two kept
 *                  for issuer scripts, unused here). It reaches the applet
 *                  already decrypted by the security domain's secure channel
 *                  (SCP03 C-DECRYPTION).
 *   'A001'         card data returned in GET PROCESSING OPTIONS and SELECT, as
 *                  BER-TLV: '57' Track 2 Equivalent Data (required), '5F34'
 *                  PAN Sequence Number, '9F6E' Form Factor Indicator, '50'
 *                  Application Label, 'DF01' Derivation Key Index (1 byte,
 *                  default 01).
 *
 * Record keys: 'state' (absent = not personalized), 'atc', 'dgi:XXXX' for
 * each group, 'records' (the record DGIs, 2 bytes each, in order).
 */
import { lengthAllowed } from '../../../protocols/emv/tags';
import { parseTlv } from '../../../protocols/ber-tlv/tlv';
import type { TlvNode } from '../../../protocols/ber-tlv/tlv';
import type { AppletStoreTransaction } from '../applet';

export const DGI_MASTER_KEYS = 0x8000;
export const DGI_CARD_DATA = 0xa001;
export const TAG_DKI = 0xdf01;

export type TokenState = 'active' | 'suspended' | 'deleted';
export const TOKEN_STATE_CODES: Record<TokenState, number> = { active: 1, suspended: 2, deleted: 3 };

type Reader = Pick<AppletStoreTransaction, 'get'>;

export function readState(store: Reader): TokenState | undefined {
  const code = store.get('state')?.[0];
  return (Object.keys(TOKEN_STATE_CODES) as TokenState[]).find((s) => TOKEN_STATE_CODES[s] === code);
}

export function readAtc(store: Reader): number {
  const bytes = store.get('atc');
  return bytes && bytes.length === 2 ? (bytes[0]! << 8) | bytes[1]! : 0;
}

export function recordDgis(store: Reader): number[] {
  const list = store.get('records') ?? new Uint8Array(0);
  const out: number[] = [];
  for (let i = 0; i + 1 < list.length; i += 2) out.push((list[i]! << 8) | list[i + 1]!);
  return out;
}

export function isRecordDgi(dgi: number): boolean {
  const sfi = dgi >> 8;
  const record = dgi & 0xff;
  return sfi >= 1 && sfi <= 30 && record >= 1 && record <= 16;
}

/** The card data of DGI 'A001' as top-level TLV nodes; undefined if absent or unreadable. */
export function readCardData(store: Reader): TlvNode[] | undefined {
  const bytes = store.get(`dgi:${hex4(DGI_CARD_DATA)}`);
  if (!bytes) return undefined;
  const parsed = parseTlv(bytes);
  return parsed.ok ? parsed.value : undefined;
}

/** Why a group cannot be stored (a status word), or undefined when it can. */
export function checkDataGroup(dgi: number, data: Uint8Array): number | undefined {
  if (dgi === DGI_MASTER_KEYS) return data.length === 16 || data.length === 48 ? undefined : 0x6a80;
  if (dgi === DGI_CARD_DATA) {
    const parsed = parseTlv(data);
    if (!parsed.ok) return 0x6a80;
    if (!parsed.value.some((n) => n.tag === 0x57)) return 0x6a80;
    return parsed.value.every((n) => !n.constructed && lengthAllowed(n.tag, n.value.length)) ? undefined : 0x6a80;
  }
  if (isRecordDgi(dgi)) {
    const parsed = parseTlv(data);
    return parsed.ok && parsed.value.length === 1 && parsed.value[0]!.tag === 0x70 ? undefined : 0x6a80;
  }
  return 0x6a88; // referenced data (this DGI) not found: GP CS 11.11.3
}

/** Whether everything a tap needs has been stored. */
export function personalizationComplete(store: Reader): boolean {
  return store.get(`dgi:${hex4(DGI_MASTER_KEYS)}`) !== undefined && readCardData(store) !== undefined && recordDgis(store).length > 0;
}

export function masterKeyAc(store: Reader): Uint8Array | undefined {
  return store.get(`dgi:${hex4(DGI_MASTER_KEYS)}`)?.slice(0, 16);
}

export function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
