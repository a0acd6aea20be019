/**
 * The clock as the board's parts use it, and the fault barrier every clock
 * event the board schedules runs behind.
 *
 * The simulator's clock is shared (sim/clock): the paced driver, a TCP or
 * pty console's input handler and a test's `run()` all end up running the
 * board's events. Whatever goes wrong inside one of them — a fault of the
 * simulator itself, since firmware errors are handled where firmware runs —
 * must not surface in that host code as an exception: the barrier catches it
 * and the board reports it on its console, the way Espruino reports an
 * internal error (src/jsutils.c jsError: "ERROR: ..."), and carries on.
 */
import type { EventId, VirtualClock } from '../../clock/virtual-clock';

export type BoardClock = Pick<VirtualClock, 'nowMs' | 'scheduleAt' | 'scheduleIn' | 'cancel'>;

/** A view of `clock` whose events report what they throw to `onFault` instead of throwing it. */
export function behindFaultBarrier(clock: VirtualClock, onFault: (error: unknown, label: string) => void): BoardClock {
  const guarded = (run: () => void, label: string) => () => {
    try {
      run();
    } catch (error) {
      onFault(error, label);
    }
  };
  return {
    nowMs: () => clock.nowMs(),
    scheduleAt: (atMs: number, run: () => void, label = ''): EventId => clock.scheduleAt(atMs, guarded(run, label), label),
    scheduleIn: (delayMs: number, run: () => void, label = ''): EventId => clock.scheduleIn(delayMs, guarded(run, label), label),
    cancel: (id: EventId) => clock.cancel(id),
  };
}

/** Espruino's text for an internal error on the console (jsError). */
export function faultText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `ERROR: virtual board fault: ${message}\n`;
}
