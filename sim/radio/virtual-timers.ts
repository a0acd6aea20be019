/**
 * Node-style timer functions on the virtual clock, for code that calls the
 * globals (a ble-host copy): callbacks run when virtual time reaches them.
 * Handles are numbers; clearing an unknown or spent handle does nothing.
 */
import type { EventId, VirtualClock } from '../clock/virtual-clock';

type Callback = (...args: unknown[]) => void;

export interface VirtualTimers {
  setTimeout(callback: Callback, ms?: number, ...args: unknown[]): number;
  clearTimeout(handle: unknown): void;
  setInterval(callback: Callback, ms?: number, ...args: unknown[]): number;
  clearInterval(handle: unknown): void;
  setImmediate(callback: Callback, ...args: unknown[]): number;
  clearImmediate(handle: unknown): void;
  /** Cancels every pending timer (the code that set them is gone, e.g. a device lost power). */
  cancelAll(): void;
}

/** `label` names the timers in the clock's pending list (`<label>:timer`). */
export function virtualTimers(clock: VirtualClock, label = 'timers'): VirtualTimers {
  let nextHandle = 1;
  const pending = new Map<number, EventId>();
  const clear = (handle: unknown): void => {
    if (typeof handle !== 'number') return;
    const id = pending.get(handle);
    if (id !== undefined) clock.cancel(id);
    pending.delete(handle);
  };
  const delay = (ms: unknown): number => (typeof ms === 'number' && ms > 0 ? ms : 0);
  const once = (callback: Callback, ms: unknown, args: unknown[]): number => {
    const handle = nextHandle++;
    pending.set(handle, clock.scheduleIn(delay(ms), () => {
      pending.delete(handle);
      callback(...args);
    }, `${label}:timer`));
    return handle;
  };
  return {
    setTimeout: (callback, ms, ...args) => once(callback, ms, args),
    clearTimeout: clear,
    setImmediate: (callback, ...args) => once(callback, 0, args),
    clearImmediate: clear,
    setInterval(callback, ms, ...args) {
      const handle = nextHandle++;
      // Node runs a 0 ms interval every millisecond; so does this.
      const period = Math.max(1, delay(ms));
      const tick = (): void => {
        pending.set(handle, clock.scheduleIn(period, tick, `${label}:interval`));
        callback(...args);
      };
      pending.set(handle, clock.scheduleIn(period, tick, `${label}:interval`));
      return handle;
    },
    clearInterval: clear,
    cancelAll() {
      for (const id of pending.values()) clock.cancel(id);
      pending.clear();
    },
  };
}
