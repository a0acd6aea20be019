/**
 * What the SoftDevice knows about a link's security, kept by the model
 * itself rather than taken from ble-host 1.0.3 (which reports `mitm: true`
 * after Just Works when MITM was requested, and `sc: true` for any bonded
 * reconnect): MITM only when the pairing used an authenticated association
 * model (passkey), LESC only when Secure Connections pairing ran; a bonded
 * reconnect gets the level stored with the bond. Bond levels are kept in
 * `<bondDir>/softdevice-bond-levels.json` beside ble-host's own store.
 *
 * The ATT answers for a characteristic's requirement (Core v5.4 Vol 3
 * Part C 10.3.1, Part F 4 and 3.4.1.1): an unencrypted link gets Insufficient
 * Encryption (0x0F) when the peer is bonded (an LTK exists to start
 * encryption with), else Insufficient Authentication (0x05); an encrypted
 * link without the MITM or LESC the requirement asks gets Insufficient
 * Authentication (0x05).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinkRequirement } from '../board/buses/radio-port';

export const ATT_INSUFFICIENT_AUTHENTICATION = 0x05;
export const ATT_INSUFFICIENT_ENCRYPTION = 0x0f;

export interface LinkLevel {
  encrypted: boolean;
  mitm: boolean;
  lesc: boolean;
}

export const UNENCRYPTED: LinkLevel = { encrypted: false, mitm: false, lesc: false };

/** 0 when the link meets the requirement, else the ATT error to answer. */
export function attAnswer(requirement: LinkRequirement, level: LinkLevel, peerHasLtk: boolean): number {
  const needs = requirement.encrypted || requirement.mitm || requirement.lesc || requirement.signed;
  if (!needs) return 0;
  if (!level.encrypted) return peerHasLtk ? ATT_INSUFFICIENT_ENCRYPTION : ATT_INSUFFICIENT_AUTHENTICATION;
  if ((requirement.mitm && !level.mitm) || (requirement.lesc && !level.lesc)) return ATT_INSUFFICIENT_AUTHENTICATION;
  return 0;
}

export class BondLevels {
  private readonly file: string;
  private levels: Record<string, { mitm: boolean; lesc: boolean }>;

  constructor(bondDir: string) {
    this.file = join(bondDir, 'softdevice-bond-levels.json');
    this.levels = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as typeof this.levels) : {};
  }

  get(peer: string): { mitm: boolean; lesc: boolean } | undefined {
    return this.levels[peer.toLowerCase()];
  }

  set(peer: string, level: { mitm: boolean; lesc: boolean }): void {
    this.levels[peer.toLowerCase()] = level;
    writeFileSync(this.file, JSON.stringify(this.levels));
  }

  clear(): void {
    this.levels = {};
    writeFileSync(this.file, '{}');
  }
}
