// The pure parts of the flasher: which slot the loader boots, the record that
// makes a new slot win, and the progress line the CLI prints.
import { describe, expect, it } from 'vitest';
import { renderProgressBar } from './progress-bar';
import { activeSlot, nextRecord, type BoardProbe, type SlotState } from './slot-layout';

const valid = (seq: number, crc = 7, size = 100): SlotState => ({ record: { crc, size, seq }, size, crc, recordSize: 30 });
const probe = (a: SlotState, b: SlotState): BoardProbe => ({ strap: 'object', status: null, rpc: false, boot: null, a, b, storage: { totalBytes: 40960, fileBytes: 0, trashBytes: 0, freeBytes: 40960 } });
const empty: SlotState = { record: null, size: -1, crc: 0, recordSize: -1 };

describe('slot choice (mirrors the loader)', () => {
  it('boots the valid slot with the highest seq', () => {
    expect(activeSlot(probe(valid(1), valid(2)))).toBe('b');
    expect(activeSlot(probe(valid(3), valid(2)))).toBe('a');
  });
  it('skips a slot whose data does not match its record, or that has no record', () => {
    expect(activeSlot(probe(valid(1), { ...valid(2), crc: 8 }))).toBe('a');
    expect(activeSlot(probe(valid(1), { ...valid(2), size: 99 }))).toBe('a');
    expect(activeSlot(probe(empty, valid(1)))).toBe('b');
    expect(activeSlot(probe(empty, { record: null, size: 100, crc: 7, recordSize: -1 }))).toBeUndefined();
  });
  it('the new record outranks every valid slot', () => {
    expect(nextRecord(probe(valid(4), empty), 'b', 20, 99)).toEqual({ crc: 99, size: 20, seq: 5 });
    expect(nextRecord(probe(empty, empty), 'a', 20, 99).seq).toBe(1);
  });
});

describe('renderProgressBar', () => {
  it('shows phase, bar, percent and kilobytes', () => {
    expect(renderProgressBar({ phase: 'upload', sentBytes: 10_342, totalBytes: 19_866 }, 10)).toBe('upload   [#####-----]  52% 10.1/19.4 KB');
    expect(renderProgressBar({ phase: 'banner', sentBytes: 0, totalBytes: 0 }, 4)).toBe('banner   [----]   0% 0.0/0.0 KB');
  });
});
