/**
 * Waits for something a test cannot await directly (bytes through a socket,
 * a child process, a poll of the event loop): checks `condition` between
 * event-loop turns until it holds. The time limit is wall-clock and only
 * fails a test that would otherwise hang; code with timeouts of its own is
 * better tested on fake time (host-bridge/testing/fake-timers.ts).
 */

export interface UntilOptions {
  /** Default 5000 ms. */
  timeoutMs?: number;
  /** What the failure message adds (e.g. what was received so far). */
  describe?: () => string;
}

const POLL_MS = 5;

/** Resolves once `condition()` is true; rejects when `timeoutMs` passes first. */
export async function until(condition: () => boolean, options: UntilOptions | number = {}): Promise<void> {
  const { timeoutMs = 5000, describe } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${describe ? `: ${describe()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
