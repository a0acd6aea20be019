// Test clock for both sides of the differential tests: xstate takes it as its
// `clock` option, the table runtime gets its setTimeout/clearTimeout as the
// globals while it runs (withGlobalTimers). Time only moves when told to,
// to the next deadline. setTimeout passes its arguments after the delay to the
// callback, and clearTimeout behaves as Espruino's: an id that is not pending
// (already ran, or never was) throws "Unknown Timeout".

interface PendingTimer {
  dueMs: number;
  callback: () => void;
}

export class FakeClock {
  nowMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, PendingTimer>();

  readonly setTimeout = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]): number => {
    const id = this.nextId++;
    this.timers.set(id, { dueMs: this.nowMs + Math.max(0, ms ?? 0), callback: () => callback(...args) });
    return id;
  };

  readonly clearTimeout = (id?: number): void => {
    // Espruino's clearTimeout() with no id clears every timer: the runtime must never do that.
    if (id === undefined) throw new Error('clearTimeout() without an id clears all timers on Espruino');
    if (!this.timers.delete(id)) throw new Error('Unknown Timeout');
  };

  /** Milliseconds from now to each pending timer, soonest first. */
  pending(): number[] {
    return [...this.timers.values()].map((timer) => timer.dueMs - this.nowMs).sort((a, b) => a - b);
  }

  /**
   * Moves time to the soonest deadline and runs every timer due by then,
   * soonest first, ties in the order they were set (as Espruino and xstate's
   * SimulatedClock do). False when nothing was pending.
   */
  advanceToNext(): boolean {
    if (this.timers.size === 0) return false;
    this.nowMs = Math.min(...[...this.timers.values()].map((timer) => timer.dueMs));
    for (;;) {
      let next: [number, PendingTimer] | undefined;
      for (const entry of this.timers) {
        if (entry[1].dueMs <= this.nowMs && (!next || entry[1].dueMs < next[1].dueMs)) next = entry;
      }
      if (!next) return true;
      this.timers.delete(next[0]);
      next[1].callback();
    }
  }
}

/** Runs `body` with the clock's setTimeout/clearTimeout as the globals (how the runtime reaches the board's timers). */
export function withGlobalTimers<T>(clock: FakeClock, body: () => T): T {
  const globals = globalThis as unknown as Record<'setTimeout' | 'clearTimeout', unknown>;
  const saved = { setTimeout: globals.setTimeout, clearTimeout: globals.clearTimeout };
  globals.setTimeout = clock.setTimeout;
  globals.clearTimeout = clock.clearTimeout;
  try {
    return body();
  } finally {
    globals.setTimeout = saved.setTimeout;
    globals.clearTimeout = saved.clearTimeout;
  }
}
