/**
 * The virtual strap's flash kept between `strap pair` runs (`<state>/strap/flash.bin`), so the
 * firmware's own bond list (Storage `ble.bonds` / `ble.bonds2`, firmware/ble/README.md) lives as long as the
 * SoftDevice's bonds beside it, and `strap bonds` can read it without running a board.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FlashMemory } from '../board/storage/flash-memory';
import { JsfStorage } from '../board/storage/jsf-storage';

/**
 * The firmware's Storage files listing its bonds (addresses): two slots in turn, the longer list the
 * current one (firmware/ble/pairing.ts: a power cut mid-write leaves the other).
 */
export const STRAP_BONDS_FILES = ['ble.bonds', 'ble.bonds2'] as const;

export function loadStrapFlash(file: string): FlashMemory {
  const flash = new FlashMemory();
  if (existsSync(file)) flash.program(0, new Uint8Array(readFileSync(file)));
  return flash;
}

export function saveStrapFlash(file: string, flash: FlashMemory): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, flash.snapshot());
}

/** The strap firmware's bond list in a saved flash image; [] when there is none. */
export function strapFirmwareBonds(file: string): string[] {
  if (!existsSync(file)) return [];
  const storage = new JsfStorage(loadStrapFlash(file));
  const [first, second] = STRAP_BONDS_FILES.map((name) => parseList(storage.read(name)));
  return second!.length > first!.length ? second! : first!;
}

function parseList(bytes: Uint8Array | undefined): string[] {
  if (!bytes) return [];
  try {
    const list: unknown = JSON.parse(Buffer.from(bytes).toString('latin1'));
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}
