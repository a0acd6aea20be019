/**
 * The board's CPU time, so that virtual time moves on under JavaScript that
 * never lets the board idle.
 *
 * Virtual time stands still while JS runs (a callback takes no time on the
 * clock). That is harmless while the board idles between bursts of work, but
 * work that feeds itself — a promise chain that never ends, a watch callback
 * that toggles its own pin, boot code that reboots the board — would run
 * forever at one instant. So every JS run (a callback, an event, a console
 * line, a boot file) costs JS_RUN_COST_MS of CPU time. While the CPU is no
 * more than CPU_SLACK_MS ahead of the clock nothing changes (the usual zero-time
 * approximation); beyond that the idle loop's next pass, a reboot and a
 * watchdog reset wait until the CPU is free, so the clock moves on. The CPU
 * is the chip's: its time carries over a reset or a reboot.
 *
 * Espruino measures time with the real clock, so the same CPU time shows
 * there as time passing under the interpreter. Timers are checked against the
 * CPU's time (src/jsinteractive.c jsiIdle compares them with
 * jshGetSystemTime(), which moved on while JS ran): a `setTimeout(f, 0)` made
 * by a console line (due 0.1 ms later, TIMER_MIN_INTERVAL) is due by the time
 * the timers of that pass are checked, so it runs before the promise
 * callbacks queued by the same line, as on the board.
 *
 * APPROXIMATION: one cost for every run (Espruino interprets the source, so a
 * run of an empty callback takes roughly 0.1 ms on an nRF52 at 64 MHz); the
 * clock getTime() reads is still the virtual clock's.
 */
import type { BoardClock } from './board-clock';

/** CPU time of one JS run (callback, event, console line, boot file). */
export const JS_RUN_COST_MS = 0.1;
/** How far the CPU may run ahead of the clock before the board's next work waits for it. */
export const CPU_SLACK_MS = 10;

export class BoardCpu {
  private busyUntilMs = 0;

  constructor(private readonly clock: Pick<BoardClock, 'nowMs'>) {}

  /** One JS run took its CPU time. */
  ran(): void {
    this.busyUntilMs = Math.max(this.busyUntilMs, this.clock.nowMs()) + JS_RUN_COST_MS;
  }

  /** The CPU's time: the clock, or later while JS has kept the CPU busy. */
  nowMs(): number {
    return Math.max(this.clock.nowMs(), this.busyUntilMs);
  }

  /** The CPU has run more than CPU_SLACK_MS ahead of the clock: the board's next work waits. */
  get overloaded(): boolean {
    return this.busyUntilMs - this.clock.nowMs() > CPU_SLACK_MS;
  }

  /** When work wanted at `atMs` can start: then, or when the CPU is free if it is overloaded. */
  startAtMs(atMs: number): number {
    return this.overloaded ? Math.max(atMs, this.busyUntilMs) : atMs;
  }
}
