/**
 * Where the new bundle goes and what has to make room for it, decided from
 * the probe before anything on the board is erased (README.md "Room for two
 * slots"):
 *
 *   two-slot     the inactive slot (and an old .bootcde the loader replaces)
 *                make room; the other slot stays as the fallback
 *   single-slot  both slots make room; an interruption leaves the loader's
 *                safe mode until the flash is repeated
 *   no room      FlashNoRoomError naming the sizes; nothing erased
 *
 * Sizes follow Espruino's Storage (jsflash.h, 2v29): each file takes a
 * 32-byte header and its data rounded up to 4 bytes; erased files stay as
 * trash until a compaction, which moves every live file. The firmware is
 * stopped before a compaction (its functions run from the flash that moves).
 */
import { LOADER_SOURCE, SLOTS, recordFile, slotFile, type BoardProbe, type Slot } from './slot-layout';

/** Espruino's Storage header before each file's data (JsfFileHeader: 4-byte size and flags, 28-byte name). */
export const FILE_HEADER_BYTES = 32;
/** JSF_ALIGNMENT on nRF52. */
const ALIGNMENT_BYTES = 4;
/** Bytes Storage keeps for the files the firmware itself writes (boot counter, settings, saved state). */
export const RESERVE_BYTES = 1024;

export interface StoragePlan {
  /** The slot the bundle goes to. */
  slot: Slot;
  /** The slot that stays as the fallback (two-slot), if it holds a valid firmware. */
  keeps?: Slot;
  mode: 'two-slot' | 'single-slot';
  /** Slots erased before the upload (record first, then data). */
  erases: Slot[];
  /**
   * The loader (when it is written at all) goes in before the upload: the old
   * .bootcde must make room. Otherwise it goes in last, so the board keeps
   * booting what it booted until the new slot is complete.
   */
  loaderFirst: boolean;
  /** Whether Storage must be compacted to fit (trash reclaimed): the running firmware is stopped first. */
  compacts: boolean;
  /** Bytes the new files take, the reserve included. */
  neededBytes: number;
}

/** What is asked for: the bundle, its record and whether the loader is (re)written. */
export interface StorageNeed {
  bundleBytes: number;
  recordBytes: number;
  writesLoader: boolean;
}

/** The bundle cannot fit in the board's Storage, even with both slots erased; nothing was erased. */
export class FlashNoRoomError extends Error {
  constructor(
    message: string,
    readonly neededBytes: number,
    readonly availableBytes: number,
  ) {
    super(message);
    this.name = 'FlashNoRoomError';
  }
}

/** Bytes a file of `size` data bytes takes in Storage (none for -1: no file). */
export function storageCost(size: number): number {
  return size < 0 ? 0 : FILE_HEADER_BYTES + Math.ceil(size / ALIGNMENT_BYTES) * ALIGNMENT_BYTES;
}

/**
 * The plan for `need` on the board `probe` describes, `active` being the
 * valid slot with the highest seq (if any). In order of preference: keep the
 * other slot and write the loader last; keep it and write the loader first;
 * erase both slots, loader last; loader first. Throws FlashNoRoomError when
 * not even that fits.
 */
export function planStorage(probe: BoardProbe, active: Slot | undefined, need: StorageNeed): StoragePlan {
  const { totalBytes, fileBytes, freeBytes } = probe.storage;
  const slotCost = (s: Slot) => storageCost(probe[s].size) + storageCost(probe[s].recordSize);
  const bootCost = need.writesLoader && probe.boot ? storageCost(probe.boot.size) : 0;
  const neededBytes = storageCost(need.bundleBytes) + storageCost(need.recordBytes) + (need.writesLoader ? storageCost(LOADER_SOURCE.length) : 0) + RESERVE_BYTES;
  const slot: Slot = active === 'a' ? 'b' : 'a';
  const other: Slot = slot === 'a' ? 'b' : 'a';
  // Room once these are erased (and compacted away): what the live files other than them leave.
  const room = (erased: Slot[], loaderFirst: boolean) =>
    totalBytes - (fileBytes - erased.reduce((sum, s) => sum + slotCost(s), 0) - (loaderFirst ? bootCost : 0));
  const choices: { erases: Slot[]; loaderFirst: boolean }[] = [
    ...(active === undefined ? [] : [{ erases: [slot], loaderFirst: false }, { erases: [slot], loaderFirst: true }]),
    { erases: [slot, other], loaderFirst: false },
    { erases: [slot, other], loaderFirst: true },
  ].filter((c) => need.writesLoader || !c.loaderFirst);
  const plan = choices.find((c) => room(c.erases, c.loaderFirst) >= neededBytes);
  if (!plan) {
    const best = room([slot, other], true);
    throw new FlashNoRoomError(noRoomMessage(need, neededBytes, totalBytes, best), neededBytes, best);
  }
  const keeps = plan.erases.length === 1 ? other : undefined;
  return { slot, keeps, mode: keeps ? 'two-slot' : 'single-slot', erases: plan.erases, loaderFirst: plan.loaderFirst, compacts: freeBytes < neededBytes, neededBytes };
}

function noRoomMessage(need: StorageNeed, neededBytes: number, totalBytes: number, room: number): string {
  const parts = [`the bundle ${kb(need.bundleBytes)}`, 'its record', ...(need.writesLoader ? [`the loader ${kb(LOADER_SOURCE.length)}`] : []), `${kb(RESERVE_BYTES)} kept for the firmware's own files`];
  return (
    `no room for the bundle: it needs ${kb(neededBytes)} of Storage (${parts.join(', ')}) and the board's ${kb(totalBytes)} of Storage has ` +
    `${kb(Math.max(0, room))} left once both strap slots are erased; nothing was erased`
  );
}

/** `21.5 KB`, `96 bytes`. */
export function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** An expression: each file's name and size, biggest first, but the strap's slots (for FlashNoRoomError's message: what stays). */
export const OTHER_FILES_EXPRESSION = `(function(S){return S.list().filter(function(n){return ${JSON.stringify(SLOTS.flatMap((s) => [slotFile(s), recordFile(s)]))}.indexOf(n)<0}).map(function(n){var d=S.read(n);return [n,d===undefined?0:d.length]}).sort(function(x,y){return y[1]-x[1]})})(require("Storage"))`;
