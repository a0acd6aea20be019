/**
 * The simulator's only clock: discrete events on virtual time.
 *
 * Time never moves by itself. `advanceBy`/`advanceTo` run every event whose
 * deadline falls inside the window, in deadline order, jumping straight from one
 * deadline to the next; events due at the same instant run in the order they
 * were scheduled, so a run is reproducible byte for byte.
 */
export type EventId = number;

interface ScheduledEvent {
  id: EventId;
  atMs: number;
  seq: number;
  run: () => void;
  label: string;
}

export class VirtualClock {
  private current: number;
  private nextId = 1;
  private seq = 0;
  private queue: ScheduledEvent[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  /** Virtual milliseconds since the simulation's epoch. */
  nowMs(): number {
    return this.current;
  }

  /** Runs `run` at virtual time `atMs` (or now, if that is in the past). */
  scheduleAt(atMs: number, run: () => void, label = ''): EventId {
    const event: ScheduledEvent = { id: this.nextId++, atMs: Math.max(atMs, this.current), seq: this.seq++, run, label };
    let i = this.queue.length;
    while (i > 0 && compare(this.queue[i - 1]!, event) > 0) i--;
    this.queue.splice(i, 0, event);
    return event.id;
  }

  scheduleIn(delayMs: number, run: () => void, label = ''): EventId {
    return this.scheduleAt(this.current + Math.max(0, delayMs), run, label);
  }

  cancel(id: EventId): boolean {
    const i = this.queue.findIndex((e) => e.id === id);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    return true;
  }

  /** Deadline of the earliest pending event, or undefined when nothing is pending. */
  nextDeadlineMs(): number | undefined {
    return this.queue[0]?.atMs;
  }

  pendingCount(): number {
    return this.queue.length;
  }

  /** Labels of pending events in run order (for traces and debugging). */
  pendingLabels(): string[] {
    return this.queue.map((e) => `${e.atMs}:${e.label}`);
  }

  /** Runs the earliest event, moving time to its deadline. Returns false when idle. */
  runNext(): boolean {
    const event = this.queue.shift();
    if (!event) return false;
    this.current = event.atMs;
    event.run();
    return true;
  }

  /** Runs every event due up to `targetMs`, then leaves time at `targetMs`. */
  advanceTo(targetMs: number, maxEvents = 10_000_000): number {
    let ran = 0;
    while (this.queue.length > 0 && this.queue[0]!.atMs <= targetMs) {
      if (ran++ >= maxEvents) throw new Error(`virtual clock: more than ${maxEvents} events before ${targetMs} ms (runaway timer?)`);
      this.runNext();
    }
    if (targetMs > this.current) this.current = targetMs;
    return ran;
  }

  /**
   * Runs events due up to `targetMs` while `keepGoing()` says so (asked before
   * each event), then leaves time at `targetMs`. Returns false when it stopped
   * short (time stays at the last event run).
   */
  advanceToWhile(targetMs: number, keepGoing: () => boolean): boolean {
    while (this.queue.length > 0 && this.queue[0]!.atMs <= targetMs) {
      if (!keepGoing()) return false;
      this.runNext();
    }
    if (targetMs > this.current) this.current = targetMs;
    return true;
  }

  advanceBy(deltaMs: number, maxEvents?: number): number {
    return this.advanceTo(this.current + deltaMs, maxEvents);
  }

  /** Runs events due now (deadline ≤ now) without moving time. */
  runDue(): number {
    return this.advanceTo(this.current);
  }
}

function compare(a: ScheduledEvent, b: ScheduledEvent): number {
  return a.atMs - b.atMs || a.seq - b.seq;
}
