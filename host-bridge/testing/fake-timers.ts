/**
 * Fake time for host-bridge's tests: Timers (../timers.ts) whose clock moves
 * only when the test moves it, so a test of a 2 s timeout takes no time.
 * sinon's fake clock, installed on an object of its own rather than on the
 * global one: only the code handed these timers sees fake time; sockets,
 * vitest and everything else keep the real clock.
 */
import sinon from 'sinon';
import type { Timers } from '../timers';

export interface FakeTimers extends Timers {
  /** Moves time on by `ms`, running the timers that fall due and the promise jobs between them. */
  advance(ms: number): Promise<void>;
  /** Runs timers, and the timers they set, until none is left; time stops at the last one. */
  runAll(): Promise<void>;
  /** Runs every timer (runAll), then resolves or rejects as `promise` did: a call that waits on these timers, played to its end. */
  settle<T>(promise: Promise<T>): Promise<T>;
}

type InstallOptions = Exclude<Parameters<typeof sinon.useFakeTimers>[0], number | Date | undefined>;

export function createFakeTimers(): FakeTimers {
  // The clock replaces these timers on `host` only; its yields between timers use the real ones kept here.
  const host = { setTimeout, clearTimeout, Date, Promise };
  const options: InstallOptions & { global: object } = { global: host, toFake: ['setTimeout', 'clearTimeout', 'Date'] };
  const clock = sinon.useFakeTimers(options);
  return {
    setTimeout: (callback, delayMs) => clock.setTimeout(callback, delayMs),
    clearTimeout: (handle) => clock.clearTimeout(handle as Parameters<typeof clock.clearTimeout>[0]),
    now: () => clock.now,
    advance: async (ms) => {
      await clock.tickAsync(ms);
    },
    runAll: async () => {
      await clock.runAllAsync();
    },
    async settle<T>(promise: Promise<T>): Promise<T> {
      // Handled from the start: a rejection while the timers run is not an unhandled one.
      const outcome = promise.then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      );
      await clock.runAllAsync();
      const settled = await outcome;
      if (!settled.ok) throw settled.error;
      return settled.value;
    },
  };
}
