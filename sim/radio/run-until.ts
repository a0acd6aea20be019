/**
 * Runs the virtual clock until `condition()` holds (checked after every
 * event) or `limitMs` of virtual time pass. Returns whether it held — the
 * way tests and scenarios wait for a simulated radio to get somewhere.
 */
import type { VirtualClock } from '../clock/virtual-clock';

export function runUntil(clock: VirtualClock, condition: () => boolean, limitMs: number): boolean {
  const deadline = clock.nowMs() + limitMs;
  while (!condition()) {
    const next = clock.nextDeadlineMs();
    if (next === undefined || next > deadline) {
      clock.advanceTo(deadline);
      return condition();
    }
    clock.runNext();
  }
  return true;
}
