// The room plan: decided from the probe alone, before anything is erased.
import { describe, expect, it } from 'vitest';
import { LOADER_SOURCE, type BoardProbe, type SlotState } from './slot-layout';
import { FlashNoRoomError, RESERVE_BYTES, planStorage, storageCost } from './storage-plan';

const TOTAL = 40 * 1024;
const slot = (size: number, seq = 1): SlotState => ({ record: { crc: 1, size, seq }, size, crc: 1, recordSize: 40 });
const empty: SlotState = { record: null, size: -1, crc: 0, recordSize: -1 };
/** A board whose Storage holds the loader, slots a and b, and `otherBytes` of other files. */
function probe(a: SlotState, b: SlotState, otherBytes = 0, boot = LOADER_SOURCE.length): BoardProbe {
  const fileBytes = storageCost(boot) + [a, b].reduce((sum, s) => sum + storageCost(s.size) + storageCost(s.recordSize), 0) + otherBytes;
  return { strap: 'object', status: null, rpc: true, boot: { size: boot, crc: 0, head: '', unwritten: false, banner: false }, a, b, storage: { totalBytes: TOTAL, fileBytes, trashBytes: 0, freeBytes: TOTAL - fileBytes } };
}
const need = (bundleBytes: number, writesLoader = false) => ({ bundleBytes, recordBytes: 60, writesLoader });

describe('planStorage', () => {
  it('keeps the other slot while both fit', () => {
    expect(planStorage(probe(slot(8000), empty), 'a', need(8000))).toMatchObject({ slot: 'b', keeps: 'a', mode: 'two-slot', erases: ['b'], loaderFirst: false, compacts: false });
  });

  it('erases both slots when two do not fit (a 20 KB bundle over a 20 KB slot)', () => {
    expect(planStorage(probe(slot(20_227), empty), 'a', need(20_227))).toMatchObject({ slot: 'b', keeps: undefined, mode: 'single-slot', erases: ['b', 'a'], compacts: true });
  });

  it('a record-less leftover slot beside no valid one is erased too (what an interrupted single-slot flash leaves)', () => {
    const leftover: SlotState = { record: null, size: 20_227, crc: 5, recordSize: -1 };
    expect(planStorage(probe(empty, leftover), undefined, need(20_227))).toMatchObject({ slot: 'a', erases: ['a', 'b'], mode: 'single-slot' });
  });

  it('writes the loader first only when the old .bootcde must make room', () => {
    const bundleInBootcde = probe(empty, empty, 0, 20_227);
    expect(planStorage(bundleInBootcde, undefined, need(20_227, true))).toMatchObject({ loaderFirst: true });
    expect(planStorage(probe(empty, empty, 0, 3000), undefined, need(3000, true))).toMatchObject({ loaderFirst: false });
  });

  it('refuses what cannot fit even with both slots erased, before anything is erased, naming the sizes', () => {
    const full = probe(slot(20_227), empty, 19_000);
    expect(() => planStorage(full, 'a', need(20_227))).toThrow(FlashNoRoomError);
    expect(() => planStorage(full, 'a', need(20_227))).toThrow(
      /^no room for the bundle: it needs 20\.9 KB of Storage \(the bundle 19\.8 KB, its record, 1\.0 KB kept for the firmware's own files\) and the board's 40\.0 KB of Storage has 20\.7 KB left once both strap slots are erased; nothing was erased$/,
    );
    const error = (() => {
      try {
        planStorage(full, 'a', need(20_227));
      } catch (e) {
        return e as FlashNoRoomError;
      }
    })()!;
    expect(error.neededBytes).toBe(storageCost(20_227) + storageCost(60) + RESERVE_BYTES);
    expect(error.availableBytes).toBeLessThan(error.neededBytes);
  });
});

describe('the firmware budget on a Puck.js', () => {
  // firmware/build/build.ts DEFAULT_BUDGET_BYTES (host-bridge does not import the firmware): a bundle of that
  // size with the firmware's own files beside it, as the firmware writes them: strap.cfg (86 octets with the
  // defaults), strap.boots, the scheduler's two saved states sched.0/sched.1, and ble.bonds holding MAX_BONDS (4).
  const BUDGET = 36 * 1024;
  const bonds = JSON.stringify(Array.from({ length: 4 }, (_, i) => `c0:11:22:33:44:0${i} random`));
  const firmwareFiles = [86, 6, 40, 40, bonds.length].reduce((sum, size) => sum + storageCost(size), 0);

  it('keeps the firmware files within the reserve the flasher leaves them', () => {
    expect(firmwareFiles).toBeLessThanOrEqual(RESERVE_BYTES);
  });

  it('flashes a bundle of the whole budget single-slot over a same-size slot, beside the loader and the firmware files', () => {
    const plan = planStorage(probe(slot(BUDGET), empty, firmwareFiles), 'a', need(BUDGET));
    expect(plan).toMatchObject({ slot: 'b', mode: 'single-slot', erases: ['b', 'a'] });
    expect(plan.neededBytes).toBeLessThanOrEqual(TOTAL - storageCost(LOADER_SOURCE.length) - firmwareFiles);
  });
});
