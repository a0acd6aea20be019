/**
 * Paced mode: ties virtual time to the wall clock for interactive use and real
 * serial links. REAL_TIMERS, NEXT_LOOP_TURN and processCpuMs here are the only
 * places in sim/ that read real time or use real timers (injectable, so tests
 * stay deterministic).
 *
 * While running, the driver keeps `clock.nowMs()` ≈ start + (wall elapsed ×
 * scale): it advances the clock (running every event due), then sleeps until
 * the next deadline or at most `maxSleepMs` (so events scheduled from outside,
 * e.g. bytes arriving on a socket, are picked up; call `poke()` to pick them up
 * at once).
 *
 * One tick runs events for at most `maxTickMs` of wall time (one event may
 * overrun it), then gives the
 * host's event loop a turn (sockets, signals). When the events due take longer
 * than that — the simulation cannot keep pace — virtual time slows down
 * instead of falling further behind. With `onError`, an exception out of an
 * event is reported there and the driver carries on instead of throwing it
 * into a timer callback or a socket handler.
 */
import type { VirtualClock } from './virtual-clock';

export interface WallTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PacedDriverOptions {
  /** Virtual ms per wall ms (2 = twice as fast as real time). */
  scale?: number;
  /** Longest real sleep between checks (ms). */
  maxSleepMs?: number;
  /** Real time source and timers (default: performance.now and global timers). */
  timers?: WallTimers;
  /**
   * Longest wall time one tick spends running events (ms); default 10. Keep it
   * well under 30: tsx (what `npm start` runs) kills its child when the child
   * does not take a SIGINT or SIGTERM within 30 ms.
   */
  maxTickMs?: number;
  /** Hears what an event threw; without it the exception propagates. */
  onError?: (error: unknown) => void;
  /**
   * While true the driver runs no event: something else drives the clock
   * (a POS tap's async exchange, sim/scenario/strap-payment.ts, which must
   * let promise continuations run between events), or the clock waits for a
   * host outside the simulation to answer (sim/radio/host-turn.ts). Checked
   * before each event.
   */
  hold?: () => boolean;
}

/** The host's clock and timers: for what paces real bytes or real time, and the busy-loop limit's start (this driver, sim/board/console/links/uart-pacing.ts, the phone on a real adapter: sim/phone/phone-driver.ts, a PC/SC reader: sim/pos/pcsc-reader.ts). */
export const REAL_TIMERS: WallTimers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Runs a callback at the host's event loop's next turn, after pending I/O (sim/radio/host-turn.ts counts them). */
export const NEXT_LOOP_TURN = (run: () => void): void => {
  setImmediate(run);
};

/**
 * The CPU time this process has used, in ms: the busy-loop limit's clock
 * (sim/board/runtime/context/program-runner.ts). A run of board code is
 * synchronous, so its CPU time is its own work, which the machine's other
 * load does not stretch as it stretches wall time (a firmware's boot took
 * over 1 s of wall time on a loaded 2-core machine and was cut as a hang).
 */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export class PacedDriver {
  readonly scale: number;
  private readonly maxSleepMs: number;
  private readonly maxTickMs: number;
  private readonly timers: WallTimers;
  private readonly onError: ((error: unknown) => void) | undefined;
  private handle: unknown;
  private wallOrigin = 0;
  private virtualOrigin = 0;
  private running = false;
  private readonly hold: () => boolean;
  private held = false;

  constructor(
    private readonly clock: VirtualClock,
    options: PacedDriverOptions = {},
  ) {
    this.scale = options.scale ?? 1;
    if (!(this.scale > 0)) throw new Error('PacedDriver: scale must be > 0');
    this.maxSleepMs = options.maxSleepMs ?? 50;
    this.maxTickMs = options.maxTickMs ?? 10;
    this.timers = options.timers ?? REAL_TIMERS;
    this.onError = options.onError;
    this.hold = options.hold ?? (() => false);
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.wallOrigin = this.timers.now();
    this.virtualOrigin = this.clock.nowMs();
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** Catch up now (e.g. after input was queued on the clock). */
  poke(): void {
    if (!this.running) return;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.tick();
  }

  /** Runs the clock towards `targetMs` while `keepGoing`; false when it stopped short. */
  private advance(targetMs: number, keepGoing: () => boolean): boolean {
    if (!this.onError) return this.clock.advanceToWhile(targetMs, keepGoing);
    for (;;) {
      try {
        return this.clock.advanceToWhile(targetMs, keepGoing);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  /** Virtual time the clock should show at this wall instant. */
  targetMs(): number {
    return this.virtualOrigin + (this.timers.now() - this.wallOrigin) * this.scale;
  }

  private tick(): void {
    this.handle = undefined;
    if (!this.running) return;
    if (this.hold()) {
      // whoever holds the clock runs it; look again soon
      this.held = true;
      this.handle = this.timers.setTimeout(() => this.tick(), 1);
      return;
    }
    if (this.held) {
      // pace on from where the holder left the clock
      this.held = false;
      this.wallOrigin = this.timers.now();
      this.virtualOrigin = this.clock.nowMs();
    }
    const target = this.targetMs();
    let keptPace = true;
    if (target > this.clock.nowMs() || (this.clock.nextDeadlineMs() ?? Infinity) <= this.clock.nowMs()) {
      const tickEnd = this.timers.now() + this.maxTickMs;
      keptPace = this.advance(Math.max(target, this.clock.nowMs()), () => this.timers.now() < tickEnd && !this.hold());
    }
    if (!this.running) return; // an event stopped us
    if (!keptPace) {
      // behind the wall clock: start counting again from here, and let the host breathe first
      this.wallOrigin = this.timers.now();
      this.virtualOrigin = this.clock.nowMs();
      this.handle = this.timers.setTimeout(() => this.tick(), 0);
      return;
    }
    const next = this.clock.nextDeadlineMs();
    const untilNextWallMs = next === undefined ? this.maxSleepMs : Math.max(0, (next - this.targetMs()) / this.scale);
    this.handle = this.timers.setTimeout(() => this.tick(), Math.min(this.maxSleepMs, Math.ceil(untilNextWallMs)));
  }
}
