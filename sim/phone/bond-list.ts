/**
 * The bonds a ble-host copy keeps in its bond folder: ble-host 1.0.3 writes
 * `NodeBleLib-storage-dir/<own address>/bonds/<type>-<peer address>/keys.json`
 * (its lib/internal/storage.js; the folder name is "00" public / "01" random
 * then the address with "-" for ":").
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BondEntry {
  peer: string;
  peerType: 'public' | 'random';
  mitm: boolean;
  sc: boolean;
}

export function listBonds(bondDir: string): BondEntry[] {
  const root = join(bondDir, 'NodeBleLib-storage-dir');
  const out: BondEntry[] = [];
  for (const own of list(root)) {
    for (const folder of list(join(root, own, 'bonds'))) {
      const parts = folder.split('-');
      const file = join(root, own, 'bonds', folder, 'keys.json');
      if (parts.length !== 7 || !existsSync(file)) continue;
      let keys: { mitm?: boolean; sc?: boolean; level?: { mitm?: boolean; lesc?: boolean } };
      try {
        keys = JSON.parse(readFileSync(file, 'utf8')) as typeof keys;
      } catch {
        continue; // a half-written file is no bond
      }
      // the SoftDevice model's own level where it stored one (sim/softdevice/link-security.ts), else ble-host's flags
      const mitm = keys.level ? keys.level.mitm === true : keys.mitm === true;
      const sc = keys.level ? keys.level.lesc === true : keys.sc === true;
      out.push({ peer: parts.slice(1).join(':').toUpperCase(), peerType: parts[0] === '01' ? 'random' : 'public', mitm, sc });
    }
  }
  return out;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
