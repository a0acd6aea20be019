// What the scheduler keeps across resets, in Storage: the shed level (so a
// reset inside a hysteresis band does not restore work the cell cannot
// afford) and the ledger (so a voltage that reads high after a reset is not
// believed over what was counted).
//
// Storage.write of an existing file deletes the old one first, so a power cut
// mid-write (a brownout is exactly when that happens) can leave no file or a
// truncated one. Two slots therefore take turns: each write goes to the slot
// the newest record is NOT in, so the newest intact record survives any cut.
// A record is one short line, `seq,level,ledgerUah,crc32`, the CRC (E.CRC32)
// over the first three fields; a slot that is missing, torn or fails its CRC
// is ignored. With neither slot usable the scheduler recomputes from the
// voltage, on the conservative side (scheduler.ts).

import type { SchedulerBoard } from './board-port';

export interface SavedState {
  /** Counts writes: the higher valid one is the newer record. */
  seq: number;
  /** Rungs shed (power-mode.model.ts), 0..4. */
  shedLevel: number;
  /** The ledger less what was committed to running tasks, µAh. */
  ledgerUah: number;
}

/** The Storage file of slot 0 or 1: `sched.0`, `sched.1` (for tests: the firmware writes the name where it is used, one function fewer in RAM). */
export function stateFile(slot: number): string {
  return 'sched.' + slot;
}

/** The newest intact record, or undefined. */
export function loadState(board: SchedulerBoard): SavedState | undefined {
  let newest: SavedState | undefined;
  for (let slot = 0; slot < 2; slot++) {
    const text = board.storage.read('sched.' + slot);
    if (!text) continue;
    const fields = text.split(',');
    // Four fields, checked here: the indices below are in range.
    if (fields.length !== 4 || String(board.crc32(fields[0] + ',' + fields[1] + ',' + fields[2]) >>> 0) !== fields[3]) continue;
    const record = { seq: parseInt(fields[0]!, 10), shedLevel: parseInt(fields[1]!, 10), ledgerUah: parseInt(fields[2]!, 10) };
    if (record.seq >= 0 && record.shedLevel >= 0 && record.shedLevel <= 4 && record.ledgerUah >= 0 && (!newest || record.seq > newest.seq)) newest = record;
  }
  return newest;
}

/** Writes the next record (seq + 1) into the other slot; false when Storage refused it. */
export function saveState(board: SchedulerBoard, state: SavedState): boolean {
  const body = state.seq + 1 + ',' + state.shedLevel + ',' + Math.floor(state.ledgerUah);
  try {
    if (!board.storage.write('sched.' + ((state.seq + 1) & 1), body + ',' + (board.crc32(body) >>> 0))) return false;
  } catch (e) {
    // A full or failing flash must not stop the scheduler: the next boot recomputes.
    return false;
  }
  state.seq++;
  return true;
}
