/**
 * What the SoftDevice knows about a link's security, kept by the model
 * itself rather than taken from ble-host 1.0.3 (which reports `mitm: true`
 * after Just Works when MITM was requested, and `sc: true` for any bonded
 * reconnect): MITM only when the pairing used an authenticated association
 * model (passkey), LESC only when Secure Connections pairing ran; a bonded
 * reconnect gets the level stored with the bond (in the bond's own record,
 * below).
 *
 * The ATT answers for a characteristic's requirement (Core v5.4 Vol 3
 * Part C 10.3.1, Part F 4 and 3.4.1.1): an unencrypted link gets Insufficient
 * Encryption (0x0F) when the peer is bonded (an LTK exists to start
 * encryption with), else Insufficient Authentication (0x05); an encrypted
 * link without the MITM or LESC the requirement asks gets Insufficient
 * Authentication (0x05).
 */
import { readFileSync, readdirSync } from 'node:fs';
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

/**
 * The level stored with each bond. On the nRF the Peer Manager keeps a
 * peer's keys and the security they were made with in one bonding record
 * of its Flash Data Storage, written whole or not at all (nRF5 SDK FDS:
 * incompletely written data is recognised as invalid and never returned;
 * an update writes a new copy and invalidates the old one with a single
 * word write). The model keeps them together the same way: the level goes
 * into ble-host's own record, `bonds/<peer>/keys.json`, as `level`, in the
 * same write (`withLevel`), which ble-host-copy.ts makes whole-or-nothing.
 * A record without a level (none is written so) gets no MITM and no LESC.
 */
export const BONDS_ROOT = 'NodeBleLib-storage-dir';

/** keys.json as ble-host writes it, with the level the SoftDevice gives the bond. */
export function withLevel(keysJson: string, authenticated: boolean): string {
  const keys = JSON.parse(keysJson) as { mitm?: boolean; sc?: boolean };
  return JSON.stringify({ ...keys, level: { mitm: keys.mitm === true && authenticated, lesc: keys.sc === true } });
}

/** Is this store path a bond's keys record (`NodeBleLib-storage-dir/<own>/bonds/<peer>/keys.json`)? */
export function isBondRecord(path: string): boolean {
  const parts = path.split(/[\\/]/);
  return parts.length === 5 && parts[0] === BONDS_ROOT && parts[2] === 'bonds' && parts[4] === 'keys.json';
}

/** The level stored with the bond of `peer` (`AA:BB:…`), if there is one. */
export function storedLevel(bondDir: string, peer: string): { mitm: boolean; lesc: boolean } | undefined {
  const folder = peer.toUpperCase().replace(/:/g, '-');
  const root = join(bondDir, BONDS_ROOT);
  for (const own of listDir(root)) {
    for (const bond of listDir(join(root, own, 'bonds'))) {
      if (bond.slice(3).toUpperCase() !== folder) continue;
      try {
        const record = JSON.parse(readFileSync(join(root, own, 'bonds', bond, 'keys.json'), 'utf8')) as { level?: { mitm?: boolean; lesc?: boolean } };
        return { mitm: record.level?.mitm === true, lesc: record.level?.lesc === true };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
