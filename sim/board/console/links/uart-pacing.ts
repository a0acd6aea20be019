/**
 * A UART's line rate on a console link that has none of its own (a
 * pseudo-terminal moves bytes as fast as the host writes them). At 8N1 each
 * byte takes 10 bit times (start bit, 8 data bits, stop bit), so a line at
 * `baudRate` carries baudRate / 10 bytes a second in each direction; byte k
 * of a busy stretch arrives (k + 1) byte times after the stretch began.
 *
 * This paces real bytes between real processes, so it runs on wall-clock
 * timers (like socat itself, sim/clock/paced-driver.ts REAL_TIMERS), outside
 * the board's virtual time; the board on such a link is paced to the wall
 * clock anyway.
 */
import { REAL_TIMERS, type WallTimers } from '../../../clock/paced-driver';
import type { ConsolePort } from '../console-contract';

/** `port` with both directions limited to `baudRate` / 10 bytes per wall second. */
export function pacedConsolePort(port: ConsolePort, baudRate: number, timers: WallTimers = REAL_TIMERS): ConsolePort & { stop(): void } {
  if (!Number.isFinite(baudRate) || baudRate <= 0) throw new RangeError(`baud rate must be positive, got ${baudRate}`);
  const bytesPerSecond = baudRate / 10;
  const toBoard = new LinePacer(bytesPerSecond, timers, (bytes) => port.input(bytes));
  const listeners = new Set<(bytes: string) => void>();
  const toHost = new LinePacer(bytesPerSecond, timers, (bytes) => listeners.forEach((l) => l(bytes)));
  const unsubscribe = port.onOutput((bytes) => toHost.push(bytes));
  return {
    input: (bytes) => toBoard.push(bytes),
    onOutput(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      unsubscribe();
      toBoard.stop();
      toHost.stop();
    },
  };
}

/** Bytes waiting to go down one direction of the line. */
class LinePacer {
  private queue = '';
  private busySinceMs = 0;
  private sentInStretch = 0;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly timers: WallTimers,
    private readonly deliver: (bytes: string) => void,
  ) {}

  push(bytes: string): void {
    if (this.stopped || bytes.length === 0) return;
    if (this.queue.length === 0 && this.timer === undefined) {
      this.busySinceMs = this.timers.now();
      this.sentInStretch = 0;
    }
    this.queue += bytes;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
    this.queue = '';
  }

  private pump(): void {
    this.timer = undefined;
    const arrived = Math.floor(((this.timers.now() - this.busySinceMs) * this.bytesPerSecond) / 1000) - this.sentInStretch;
    if (arrived > 0) {
      const out = this.queue.slice(0, arrived);
      this.queue = this.queue.slice(out.length);
      this.sentInStretch += out.length;
      this.deliver(out);
    }
    if (this.queue.length > 0) this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined || this.stopped) return;
    const nextByteAtMs = this.busySinceMs + ((this.sentInStretch + 1) * 1000) / this.bytesPerSecond;
    this.timer = this.timers.setTimeout(() => this.pump(), Math.max(1, nextByteAtMs - this.timers.now()));
  }
}
