/**
 * Runs the virtual clock until a promise settles: the readers of the virtual
 * field (and their tests) await air time that only passes when the clock runs.
 * Between clock events it lets pending promise continuations run, so an async
 * exchange schedules its next step before time moves on.
 */
import type { VirtualClock } from '../clock/virtual-clock';

export async function settle<T>(clock: VirtualClock, promise: Promise<T>, limitMs = 60_000): Promise<T> {
  let done = false;
  promise.then(() => { done = true; }, () => { done = true; });
  const end = clock.nowMs() + limitMs;
  for (;;) {
    for (let i = 0; i < 20 && !done; i++) await Promise.resolve();
    if (done) break;
    const next = clock.nextDeadlineMs();
    if (next === undefined || next > end) break;
    clock.runNext();
  }
  if (!done) throw new Error(`nothing left on the virtual clock within ${limitMs} ms and the promise has not settled`);
  return promise;
}

/** Runs the virtual clock for `ms`, letting promise continuations run between events (a reader mid-exchange moves on). */
export async function runFor(clock: VirtualClock, ms: number): Promise<void> {
  const end = clock.nowMs() + ms;
  for (;;) {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    const next = clock.nextDeadlineMs();
    if (next === undefined || next > end) break;
    clock.runNext();
  }
  clock.advanceTo(end);
}
