/**
 * The factory step's side of personalization: a token's data turned into the
 * STORE DATA commands (GlobalPlatform CS 2.3 11.11) the payment applet takes
 * on the SE's host interface, after the security domain opened its secure
 * channel and INSTALL [for personalization] named this applet.
 */
import { encodeTlv } from '../../../protocols/ber-tlv/tlv';
import type { CommandApdu } from '../../../protocols/iso7816/apdu';
import { encodeCompressedNumeric, encodeDate, encodeNumeric } from '../../../protocols/emv/numeric';
import { concatBytes } from '../../emv/des';
import { encodeDataGroup } from './dgi';
import { DGI_CARD_DATA, DGI_MASTER_KEYS, TAG_DKI } from './token-data';

export interface TokenProfile {
  /** MK-AC, 16 bytes: deriveIccMasterKey(issuerMasterKey, pan, psn) (sim/emv/key-derivation.ts). */
  iccMasterKey: Uint8Array;
  /** The token PAN (the card number the terminal and issuer see), 13-19 digits. */
  pan: string;
  /** PAN Sequence Number, 2 digits (default '00'). */
  psn?: string;
  expiry: { year: number; month: number };
  /** Service code, 3 digits (default '201': international, chip, normal authorization). */
  serviceCode?: string;
  label?: string;
  /** Derivation Key Index carried in the IAD (default 1). */
  dki?: number;
}

/** Track 2 Equivalent Data ('57', EMV Book 3 Annex A): PAN 'D' YYMM service code, discretionary data, 'F' pad. */
export function track2Equivalent(profile: Pick<TokenProfile, 'pan' | 'expiry' | 'serviceCode'>): Uint8Array {
  const yymm = `${String(profile.expiry.year % 100).padStart(2, '0')}${String(profile.expiry.month).padStart(2, '0')}`;
  let nibbles = `${profile.pan}D${yymm}${profile.serviceCode ?? '201'}00000`;
  if (nibbles.length % 2) nibbles += 'F';
  return Uint8Array.from(nibbles.match(/../g)!, (pair) => parseInt(pair, 16));
}

/** The data groups of a token, in the order they are sent. */
export function tokenDataGroups(profile: TokenProfile): { dgi: number; data: Uint8Array }[] {
  if (profile.iccMasterKey.length !== 16) throw new RangeError('MK-AC is 16 bytes');
  const psn = profile.psn ?? '00';
  const lastDay = daysInMonth(profile.expiry.year, profile.expiry.month);
  const cardData = encodeTlv([
    { tag: 0x57, value: track2Equivalent(profile) },
    { tag: 0x5f34, value: encodeNumeric(psn, 1) },
    { tag: 0x50, value: new TextEncoder().encode(profile.label ?? 'VISA TOKEN') },
    { tag: TAG_DKI, value: Uint8Array.of(profile.dki ?? 1) },
  ]);
  const record = encodeTlv({
    tag: 0x70,
    children: [
      { tag: 0x5a, value: encodeCompressedNumeric(profile.pan, Math.ceil(profile.pan.length / 2)) },
      { tag: 0x5f24, value: encodeDate({ ...profile.expiry, day: lastDay }) },
      { tag: 0x5f28, value: encodeNumeric(276, 2) },
    ],
  });
  return [
    { dgi: DGI_MASTER_KEYS, data: profile.iccMasterKey },
    { dgi: DGI_CARD_DATA, data: cardData },
    { dgi: 0x0101, data: record },
  ];
}

/** STORE DATA commands (CLA '80', INS 'E2', P1 b8 on the last, P2 the block number), one DGI each. */
export function personalizationCommands(profile: TokenProfile): CommandApdu[] {
  const groups = tokenDataGroups(profile);
  return groups.map((group, i) => ({
    cla: 0x80, ins: 0xe2, p1: i === groups.length - 1 ? 0x80 : 0x00, p2: i, data: concatBytes(encodeDataGroup(group)),
  }));
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 30;
}
