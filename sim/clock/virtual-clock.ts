/**
 * The simulator's only clock: discrete events on virtual time.
 *
 * Time never moves by itself. `advanceBy`/`advanceTo` run every event whose
 * deadline falls inside the window, in deadline order, jumping straight from one
 * deadline to the next; events due at the same instant run in the order they
 * were scheduled, so a run is reproducible byte for byte.
 *
 * The queue is a binary heap ordered by (deadline, scheduling order): a
 * schedule or a run costs O(log n), so a day with thousands of pending events
 * stays linear in its length. A cancelled event stays in the heap, marked,
 * until it reaches the top (or the heap is rebuilt when marked events
 * outnumber live ones).
 */
export type EventId = number;

interface ScheduledEvent {
  id: EventId;
  atMs: number;
  seq: number;
  run: () => void;
  label: string;
  cancelled: boolean;
}

export class VirtualClock {
  private current: number;
  private nextId = 1;
  private seq = 0;
  /** Binary heap: queue[0] runs next. */
  private queue: ScheduledEvent[] = [];
  /** Live (not cancelled) events by id. */
  private readonly live = new Map<EventId, ScheduledEvent>();

  constructor(startMs = 0) {
    this.current = startMs;
  }

  /** Virtual milliseconds since the simulation's epoch. */
  nowMs(): number {
    return this.current;
  }

  /** Runs `run` at virtual time `atMs` (or now, if that is in the past). A NaN or infinite time is a RangeError. */
  scheduleAt(atMs: number, run: () => void, label = ''): EventId {
    if (!Number.isFinite(atMs)) throw new RangeError(`virtual clock: cannot schedule ${label || 'an event'} at ${atMs} ms`);
    const event: ScheduledEvent = { id: this.nextId++, atMs: Math.max(atMs, this.current), seq: this.seq++, run, label, cancelled: false };
    this.live.set(event.id, event);
    this.push(event);
    return event.id;
  }

  scheduleIn(delayMs: number, run: () => void, label = ''): EventId {
    return this.scheduleAt(this.current + Math.max(0, delayMs), run, label);
  }

  cancel(id: EventId): boolean {
    const event = this.live.get(id);
    if (!event) return false;
    this.live.delete(id);
    event.cancelled = true;
    if (this.queue.length > 64 && this.queue.length > 2 * this.live.size) this.rebuild();
    return true;
  }

  /** Deadline of the earliest pending event, or undefined when nothing is pending. */
  nextDeadlineMs(): number | undefined {
    return this.top()?.atMs;
  }

  pendingCount(): number {
    return this.live.size;
  }

  /** Labels of pending events in run order (for traces and debugging). */
  pendingLabels(): string[] {
    return [...this.live.values()].sort(compare).map((e) => `${e.atMs}:${e.label}`);
  }

  /** Runs the earliest event, moving time to its deadline. Returns false when idle. */
  runNext(): boolean {
    const event = this.top();
    if (!event) return false;
    this.pop();
    this.live.delete(event.id);
    this.current = event.atMs;
    event.run();
    return true;
  }

  /** Runs every event due up to `targetMs`, then leaves time at `targetMs`. */
  advanceTo(targetMs: number, maxEvents = 10_000_000): number {
    let ran = 0;
    for (let next = this.top(); next !== undefined && next.atMs <= targetMs; next = this.top()) {
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
    for (let next = this.top(); next !== undefined && next.atMs <= targetMs; next = this.top()) {
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

  // ------------------------------------------------------------ the heap

  /** The earliest live event (cancelled ones on top are dropped). */
  private top(): ScheduledEvent | undefined {
    let head = this.queue[0];
    while (head !== undefined && head.cancelled) {
      this.pop();
      head = this.queue[0];
    }
    return head;
  }

  private push(event: ScheduledEvent): void {
    const q = this.queue;
    let i = q.length;
    q.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(q[parent]!, event) <= 0) break;
      q[i] = q[parent]!;
      i = parent;
    }
    q[i] = event;
  }

  private pop(): void {
    const q = this.queue;
    const last = q.pop();
    if (last === undefined || q.length === 0) return;
    this.siftDown(0, last);
  }

  private siftDown(from: number, event: ScheduledEvent): void {
    const q = this.queue;
    const n = q.length;
    let i = from;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && compare(q[child + 1]!, q[child]!) < 0) child++;
      if (compare(q[child]!, event) >= 0) break;
      q[i] = q[child]!;
      i = child;
    }
    q[i] = event;
  }

  /** Drops cancelled events: the live ones, heapified again. */
  private rebuild(): void {
    this.queue = [...this.live.values()];
    for (let i = (this.queue.length >> 1) - 1; i >= 0; i--) this.siftDown(i, this.queue[i]!);
  }
}

/** Earlier deadline first, then scheduling order (compared, not subtracted: no number is made for it). */
function compare(a: ScheduledEvent, b: ScheduledEvent): number {
  return a.atMs < b.atMs ? -1 : a.atMs > b.atMs ? 1 : a.seq - b.seq;
}
