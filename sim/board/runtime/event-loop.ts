/**
 * Espruino's idle loop (src/jsinteractive.c, jsiIdle) on virtual time. One
 * pass, run when something is due:
 *   1. pin edges → watch callbacks (or debounce timers);
 *   2. timers whose time has come, in the order of their ids (the timer
 *      array order), intervals rescheduled from their due time, not from now;
 *   3. the event queue (promise settlements, `on('data')` and other events),
 *      until it is empty, including events queued by these events
 *      (jsiExecuteEvents);
 *   4. deferred work (reset/load/save requested by code) and the auto-kicked
 *      watchdog.
 * Timers created during a pass first run in a later pass (on hardware time
 * has moved on by then; here the later pass may be at the same instant).
 * Timers are due by the CPU's time (cpu-time.ts), which JS has moved on.
 *
 * An event queue that never empties (a promise chain that feeds itself) keeps
 * Espruino inside one pass for good, its console deaf but for Ctrl-C. Here the
 * pass goes on in slices: once the CPU is CPU_SLACK_MS ahead of the clock, the
 * rest of the queue waits until the CPU is free, so virtual time moves on and
 * the host keeps running. The pass is still one pass: no timers, no console
 * input, no prompt until the queue is empty. Ctrl-C (`ctrlC()`) stops it
 * the way Espruino's interrupted flag does: the queued events are dropped
 * unrun and "Execution Interrupted" is printed (jsiCheckErrors). An event
 * interrupted as a busy loop drops the rest of the queue in the same way.
 *
 * The loop owns one pending BoardClock event at a time: at "now" when work is
 * queued, else at the earliest timer; never before the CPU is free once it
 * is overloaded.
 */
import type { EventId } from '../../clock/virtual-clock';
import type { BoardClock } from './board-clock';
import type { BoardCpu } from './cpu-time';

export type TimerCallback = Function | string;

export interface TimerEntry {
  id: number;
  dueMs: number;
  intervalMs?: number;
  /** JS callback (or code string) for setTimeout/setInterval; absent for internal timers. */
  callback?: TimerCallback;
  args: unknown[];
  /** Internal timers (watch debounce) run host code instead of JS. */
  onDue?: (entry: TimerEntry) => void;
}

export interface LoopHooks {
  /** Runs a JS callback, reporting anything uncaught. False when it was interrupted (busy loop). */
  runCallback(callback: TimerCallback, thisArg: unknown, args: readonly unknown[]): boolean;
  /** An interval was interrupted and removed (Espruino: "Ctrl-C while processing interval"). */
  intervalInterrupted?(): void;
  /** Phase 1: process queued pin edges. */
  processEdges(): void;
  /** Phase 4: deferred work and watchdog. */
  afterEvents(): void;
  /** False once this loop's RAM is gone (reset, power off): the pass stops. */
  isCurrent(): boolean;
  /** Ctrl-C stopped a pass stuck in its event queue: "Execution Interrupted". */
  executionInterrupted?(): void;
}

interface QueuedEvent {
  callback: TimerCallback;
  thisArg: unknown;
  args: readonly unknown[];
}

export class EventLoop {
  /**
   * Pending timers in the order they were added (a Map's order): few, and
   * walked on every pass, so an array, which walks without making iterators.
   */
  private readonly timers: TimerEntry[] = [];
  private readonly events: QueuedEvent[] = [];
  private workQueued = false;
  /** The pending BoardClock event and its time (wakeId undefined: none). */
  private wakeId: EventId | undefined;
  private wakeAtMs = 0;
  private inPass = false;
  private stopped = false;
  /** A pass is under way in slices: its event queue has not emptied yet. */
  private stuck = false;
  /** Ctrl-C arrived while stuck: the rest of the queue is dropped. */
  private interruptRequested = false;
  /** Ctrl-C arrived since the last pass ended. */
  private ctrlCPending = false;

  constructor(
    private readonly clock: BoardClock,
    private readonly cpu: BoardCpu,
    private readonly hooks: LoopHooks,
  ) {}

  // ------------------------------------------------------------ timers

  /** Adds a timer; ids are the next after the highest live id (Espruino's array index), from 1. */
  addTimer(spec: Omit<TimerEntry, 'id'>): TimerEntry {
    let id = 1;
    for (let i = 0; i < this.timers.length; i++) if (this.timers[i]!.id >= id) id = this.timers[i]!.id + 1;
    // one shape for every entry (an object spread here cost more than the rest of the call)
    const entry: TimerEntry = { id, dueMs: spec.dueMs, intervalMs: spec.intervalMs, callback: spec.callback, args: spec.args, onDue: spec.onDue };
    this.timers.push(entry);
    this.schedule();
    return entry;
  }

  getTimer(id: number): TimerEntry | undefined {
    for (let i = 0; i < this.timers.length; i++) if (this.timers[i]!.id === id) return this.timers[i];
    return undefined;
  }

  /** Call after changing a timer's dueMs in place. */
  timersChanged(): void {
    this.schedule();
  }

  removeTimer(id: number): boolean {
    const timer = this.getTimer(id);
    if (timer) {
      this.dropTimer(timer);
      this.schedule();
    }
    return timer !== undefined;
  }

  /** Removes the JS timers (setTimeout/setInterval), keeping internal ones. */
  clearJsTimers(): void {
    for (let i = this.timers.length - 1; i >= 0; i--) if (!this.timers[i]!.onDue) this.timers.splice(i, 1);
    this.schedule();
  }

  timerCount(): number {
    return this.timers.length;
  }

  /** Pending JS timers, for process.memory() and tests. */
  jsTimers(): TimerEntry[] {
    return this.timers.filter((t) => !t.onDue);
  }

  private isPending(timer: TimerEntry): boolean {
    return this.timers.indexOf(timer) >= 0;
  }

  private dropTimer(timer: TimerEntry): void {
    const i = this.timers.indexOf(timer);
    if (i >= 0) this.timers.splice(i, 1);
  }

  // ------------------------------------------------------------ events and work

  queueEvent(callback: TimerCallback, thisArg: unknown = undefined, args: readonly unknown[] = []): void {
    this.events.push({ callback, thisArg, args });
    this.schedule();
  }

  /** Asks for a pass now (pin edge, console input, deferred reset...). */
  queueWork(): void {
    this.workQueued = true;
    this.schedule();
  }

  pendingEventCount(): number {
    return this.events.length;
  }

  /** True when nothing at all is pending (no timers, events or work). */
  isIdle(): boolean {
    return this.timers.length === 0 && this.events.length === 0 && !this.workQueued;
  }

  /** A pass is stuck in an event queue that has not emptied (the console waits for it, Ctrl-C stops it). */
  get isStuck(): boolean {
    return this.stuck;
  }

  /** When the stuck pass goes on. */
  get resumeAtMs(): number {
    return this.wakeId !== undefined ? this.wakeAtMs : this.clock.nowMs();
  }

  /**
   * Ctrl-C reached the board. A pass that is stuck, or gets stuck before it
   * ends, is interrupted: its queued events are dropped when it goes on.
   * A pass that ends first just clears the input line (src/jsparse.h,
   * EXEC_CTRL_C: "we only interrupt code if we're actually stuck in
   * something, and otherwise the console just clears the line").
   */
  ctrlC(): void {
    if (this.stuck) this.interruptRequested = true;
    else this.ctrlCPending = true;
  }

  /** Forgets everything (RAM lost). The loop never runs again. */
  stop(): void {
    this.stopped = true;
    this.timers.length = 0;
    this.events.length = 0;
    this.workQueued = false;
    if (this.wakeId !== undefined) this.clock.cancel(this.wakeId);
    this.wakeId = undefined;
  }

  // ------------------------------------------------------------ the pass

  private schedule(): void {
    if (this.stopped || this.inPass) return;
    let atMs: number | undefined;
    if (this.stuck) atMs = this.cpu.nowMs();
    else if (this.workQueued || this.events.length > 0) atMs = this.clock.nowMs();
    else for (let i = 0; i < this.timers.length; i++) if (atMs === undefined || this.timers[i]!.dueMs < atMs) atMs = this.timers[i]!.dueMs;
    if (atMs !== undefined) atMs = Math.max(this.cpu.startAtMs(atMs), this.clock.nowMs());
    // a timer of Infinity ms (Espruino converts it to a time that never comes) never wakes the loop
    if (atMs !== undefined && !Number.isFinite(atMs)) atMs = undefined;
    if (this.wakeId !== undefined && this.wakeAtMs === atMs) return;
    if (this.wakeId !== undefined) this.clock.cancel(this.wakeId);
    this.wakeId = undefined;
    if (atMs === undefined) return;
    this.wakeAtMs = atMs;
    this.wakeId = this.clock.scheduleAt(atMs, this.runPass, 'board:idle');
  }

  private readonly runPass = (): void => this.pass();

  private pass(): void {
    this.wakeId = undefined;
    if (this.stopped) return;
    this.inPass = true;
    try {
      if (!this.stuck) {
        this.workQueued = false;
        this.hooks.processEdges();
        if (!this.live()) return;
        this.runDueTimers();
        if (!this.live()) return;
      }
      this.runEvents();
      if (!this.live() || this.stuck) return;
      this.ctrlCPending = false;
      this.hooks.afterEvents();
    } finally {
      this.inPass = false;
      this.schedule();
    }
  }

  private live(): boolean {
    return !this.stopped && this.hooks.isCurrent();
  }

  private runDueTimers(): void {
    const now = this.cpu.nowMs();
    let due: TimerEntry[] | undefined;
    for (let i = 0; i < this.timers.length; i++) if (this.timers[i]!.dueMs <= now) (due ??= []).push(this.timers[i]!);
    if (due === undefined) return;
    if (due.length > 1) due.sort((a, b) => a.id - b.id);
    for (const timer of due) {
      if (!this.isPending(timer)) continue; // cleared by an earlier callback
      if (timer.onDue) {
        this.dropTimer(timer);
        timer.onDue(timer);
      } else {
        if (timer.intervalMs === undefined) this.dropTimer(timer);
        const dueBefore = timer.dueMs;
        const completed = this.hooks.runCallback(timer.callback!, undefined, timer.args);
        if (!completed && timer.intervalMs !== undefined && this.isPending(timer)) {
          this.dropTimer(timer);
          this.hooks.intervalInterrupted?.();
          continue;
        }
        // the interval may have been changed (changeInterval) or cleared by its own callback
        if (timer.intervalMs !== undefined && this.isPending(timer) && timer.dueMs === dueBefore) {
          timer.dueMs += Math.max(timer.intervalMs, 0);
        }
      }
      if (!this.live()) return;
    }
  }

  private runEvents(): void {
    this.stuck = false;
    if (this.interruptRequested) {
      this.interruptRequested = false;
      this.events.length = 0;
      this.hooks.executionInterrupted?.();
      return;
    }
    while (this.events.length > 0) {
      if (this.cpu.overloaded) {
        // the queue goes on once the CPU is free: time moves on meanwhile
        this.stuck = true;
        if (this.ctrlCPending) this.interruptRequested = true;
        return;
      }
      const event = this.events.shift()!;
      const completed = this.hooks.runCallback(event.callback, event.thisArg, event.args);
      if (!this.live()) return;
      // interrupted (a busy loop): Espruino's interrupted flag stops the rest of the queue too
      if (!completed) this.events.length = 0;
    }
  }
}
