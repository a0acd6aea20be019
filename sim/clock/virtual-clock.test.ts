import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock';

describe('VirtualClock', () => {
  it('jumps straight to each deadline and runs events in deadline order', () => {
    const clock = new VirtualClock();
    const seen: string[] = [];
    clock.scheduleAt(300, () => seen.push(`c@${clock.nowMs()}`));
    clock.scheduleAt(100, () => seen.push(`a@${clock.nowMs()}`));
    clock.scheduleAt(200, () => seen.push(`b@${clock.nowMs()}`));
    expect(clock.advanceTo(250)).toBe(2);
    expect(seen).toEqual(['a@100', 'b@200']);
    expect(clock.nowMs()).toBe(250);
    clock.advanceBy(1000);
    expect(seen).toEqual(['a@100', 'b@200', 'c@300']);
    expect(clock.nowMs()).toBe(1250);
  });

  it('runs events due at the same instant in the order they were scheduled', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) clock.scheduleAt(10, () => seen.push(i));
    clock.advanceBy(10);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('runs events that an event schedules inside the same window, and not those after it', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const tick = () => {
      seen.push(clock.nowMs());
      clock.scheduleIn(40, tick);
    };
    clock.scheduleIn(40, tick);
    clock.advanceTo(130);
    expect(seen).toEqual([40, 80, 120]);
    expect(clock.nextDeadlineMs()).toBe(160);
  });

  it('cancels a pending event and reports unknown ids', () => {
    const clock = new VirtualClock();
    let ran = false;
    const id = clock.scheduleIn(5, () => (ran = true));
    expect(clock.cancel(id)).toBe(true);
    expect(clock.cancel(id)).toBe(false);
    clock.advanceBy(10);
    expect(ran).toBe(false);
  });

  it('never moves time backwards: a deadline in the past runs now', () => {
    const clock = new VirtualClock(1000);
    let at = -1;
    clock.scheduleAt(10, () => (at = clock.nowMs()));
    clock.runDue();
    expect(at).toBe(1000);
  });

  it('stops a runaway zero-delay loop with an error instead of hanging', () => {
    const clock = new VirtualClock();
    const again = () => clock.scheduleIn(0, again);
    clock.scheduleIn(0, again);
    expect(() => clock.advanceBy(1, 1000)).toThrow(/runaway/);
  });

  it('refuses a NaN or infinite deadline with a RangeError at the caller, and keeps its queue', () => {
    const clock = new VirtualClock();
    clock.scheduleAt(5, () => undefined, 'a');
    expect(() => clock.scheduleAt(NaN, () => undefined)).toThrow(RangeError);
    expect(() => clock.scheduleAt(Infinity, () => undefined)).toThrow(RangeError);
    expect(() => clock.scheduleIn(Infinity, () => undefined)).toThrow(RangeError);
    expect(clock.pendingLabels()).toEqual(['5:a']);
  });

  it('runs many events with shuffled deadlines, ties and cancellations in (deadline, scheduling) order', () => {
    const clock = new VirtualClock();
    const expected: Array<{ atMs: number; seq: number }> = [];
    const seen: number[] = [];
    let state = 12345;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
    const ids: number[] = [];
    for (let seq = 0; seq < 2000; seq++) {
      const atMs = next() % 300;
      ids.push(clock.scheduleAt(atMs, () => seen.push(seq)));
      expected.push({ atMs, seq });
    }
    const cancelled = new Set<number>();
    for (let k = 0; k < 1500; k++) {
      const seq = next() % 2000;
      if (clock.cancel(ids[seq]!)) cancelled.add(seq);
    }
    expect(clock.pendingCount()).toBe(2000 - cancelled.size);
    clock.advanceBy(1000);
    const order = expected.filter((e) => !cancelled.has(e.seq)).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq).map((e) => e.seq);
    expect(seen).toEqual(order);
    expect(clock.pendingCount()).toBe(0);
  });
});
