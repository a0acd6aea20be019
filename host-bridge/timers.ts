/**
 * The clock under host-bridge's timeouts, retries and back-off. The modules
 * that wait (RPC requests, console commands, baud-rate probing, reconnecting,
 * the flasher's banner wait) take a Timers, the real one by default, so their
 * tests can run on fake time (testing/fake-timers.ts) instead of sleeping.
 */

/** What setTimeout returned: only good for handing back to clearTimeout. */
export type TimerHandle = unknown;

export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Does nothing for a timer that already ran, was cleared, or is undefined. */
  clearTimeout(handle: TimerHandle | undefined): void;
  /** Milliseconds on a clock that never goes back; only differences mean something. */
  now(): number;
}

/** Node's timers and performance.now(), looked up at each call. */
export const realTimers: Timers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout> | undefined),
  now: () => performance.now(),
};

/** Resolves after `delayMs` on `timers`. */
export function sleep(timers: Timers, delayMs: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, delayMs));
}
