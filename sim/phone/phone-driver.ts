/**
 * How the phone waits for its BLE stack. The phone's logic only starts
 * ble-host operations and waits for their callbacks through a driver, so the
 * same code runs on the virtual clock (here: the clock runs until the
 * callback came) or on a real HCI adapter (a driver that waits on Node's
 * event loop with a real timer).
 */
import { REAL_TIMERS, type WallTimers } from '../clock/paced-driver';
import type { VirtualClock } from '../clock/virtual-clock';
import { runUntil } from '../radio/run-until';

export interface PhoneDriver {
  nowMs(): number;
  /**
   * Calls `start(done)` and resolves with what `done` is first given; rejects
   * with a PhoneTimeoutError naming `what` when `limitMs` pass first.
   */
  wait<T>(what: string, limitMs: number, start: (done: (value: T) => void) => void): Promise<T>;
}

export class PhoneTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly limitMs: number,
  ) {
    super(`timed out after ${limitMs / 1000} s: ${what}`);
    this.name = 'PhoneTimeoutError';
  }
}

/** The driver on the virtual clock: each wait runs the clock (and all devices on it) until the answer came. */
export function virtualPhoneDriver(clock: VirtualClock): PhoneDriver {
  return {
    nowMs: () => clock.nowMs(),
    wait<T>(what: string, limitMs: number, start: (done: (value: T) => void) => void): Promise<T> {
      let settled: { value: T } | undefined;
      start((value) => (settled ??= { value }));
      if (!runUntil(clock, () => settled !== undefined, limitMs)) return Promise.reject(new PhoneTimeoutError(what, limitMs));
      return Promise.resolve(settled!.value);
    },
  };
}

/**
 * The driver on a real HCI adapter: ble-host runs on Node's event loop with
 * real timers, so each wait lets the loop run until the answer came or
 * `limitMs` of wall time passed.
 */
export function realTimePhoneDriver(timers: WallTimers = REAL_TIMERS): PhoneDriver {
  // the log's times count from the driver's start, as the virtual clock's from power-on
  const startedAt = timers.now();
  return {
    nowMs: () => timers.now() - startedAt,
    wait<T>(what: string, limitMs: number, start: (done: (value: T) => void) => void): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let settled = false;
        const timer = timers.setTimeout(() => {
          settled = true;
          reject(new PhoneTimeoutError(what, limitMs));
        }, limitMs);
        start((value) => {
          if (settled) return;
          settled = true;
          timers.clearTimeout(timer);
          resolve(value);
        });
      });
    },
  };
}
