/**
 * setWatch/clearWatch with Espruino 2v29's edge and debounce rules
 * (src/jsinteractive.c, the EXTI branch of jsiIdle and the debounce branch of
 * its timer loop; src/jswrap_io.c, setWatch):
 *  - no debounce: every edge whose direction matches `edge` calls back with
 *    {state, time, lastTime, pin}; `lastTime` is the previous edge's time
 *    whatever its direction;
 *  - debounce d ms: an edge that differs from the last settled state starts a
 *    timer for d ms; each further edge pushes it back and records the newest
 *    level. When the timer fires and that level differs from the settled one,
 *    the callback gets `time` = the last edge's time (fire time - d);
 *  - defaults (Espruino reference for setWatch): edge 'both' and no debounce
 *    for pins, but edge 'rising' and debounce 25 ms for built-in buttons;
 *  - ids count from 1; `repeat:false` watches go after their first call.
 * The debounce timers live in the board's timer list, as in Espruino.
 */
import type { EventLoop, TimerEntry } from './event-loop';

export type Edge = 1 | -1 | 0;

export interface WatchSpec {
  pin: number;
  callback: Function | string;
  repeat: boolean;
  edge: Edge;
  debounceMs: number;
}

interface Watch extends WatchSpec {
  id: number;
  /** Last settled state (debounced watches). */
  state: boolean;
  /** Seconds (board time) of the last accepted edge. */
  lastTime: number | undefined;
  timer: (TimerEntry & { pendingState: boolean }) | undefined;
}

export interface WatchHost {
  loop: EventLoop;
  /** Board time in seconds for a virtual-clock instant (what getTime() returned then). */
  secondsAt(timeMs: number): number;
  /** Calls a watch callback with its event object. */
  fire(callback: Function | string, event: { state: boolean; time: number; lastTime: number | undefined; pin: number }): void;
}

interface QueuedEdge {
  pin: number;
  level: boolean;
  timeMs: number;
}

export class WatchManager {
  private readonly watches = new Map<number, Watch>();
  private readonly edges: QueuedEdge[] = [];

  constructor(private readonly host: WatchHost) {}

  add(spec: WatchSpec): number {
    let id = 1;
    for (const existing of this.watches.keys()) if (existing >= id) id = existing + 1;
    this.watches.set(id, { ...spec, id, state: false, lastTime: undefined, timer: undefined });
    return id;
  }

  /** clearWatch(id): false when there is no such watch. */
  remove(id: number): boolean {
    const watch = this.watches.get(id);
    if (!watch) return false;
    if (watch.timer) this.host.loop.removeTimer(watch.timer.id);
    return this.watches.delete(id);
  }

  clear(): void {
    for (const id of [...this.watches.keys()]) this.remove(id);
    this.edges.length = 0;
  }

  count(): number {
    return this.watches.size;
  }

  /** The watches' callbacks (the memory count walks them). */
  callbacks(): Array<Function | string> {
    const out: Array<Function | string> = [];
    for (const w of this.watches.values()) out.push(w.callback);
    return out;
  }

  isWatching(pin: number): boolean {
    for (const w of this.watches.values()) if (w.pin === pin) return true;
    return false;
  }

  /** A pin changed level (from PinBank); queued for the next idle pass. */
  noteEdge(pin: number, level: boolean, timeMs: number): void {
    if (!this.isWatching(pin)) return;
    this.edges.push({ pin, level, timeMs });
    this.host.loop.queueWork();
  }

  /**
   * Phase 1 of the idle pass: the edges queued before it began. Edges that
   * watch callbacks cause (a watch on a pin its own callback toggles) wait for
   * the next pass, which the CPU time of this one delays (../runtime/cpu-time.ts).
   */
  processEdges(): void {
    if (this.edges.length === 0) return;
    const edges = this.edges.splice(0);
    for (const edge of edges) {
      for (const watch of [...this.watches.values()]) {
        if (watch.pin !== edge.pin || this.watches.get(watch.id) !== watch) continue;
        this.applyEdge(watch, edge);
      }
    }
  }

  private applyEdge(watch: Watch, edge: QueuedEdge): void {
    if (watch.debounceMs <= 0) {
      this.settle(watch, edge.level, this.host.secondsAt(edge.timeMs));
      return;
    }
    if (watch.timer) {
      watch.timer.dueMs = edge.timeMs + watch.debounceMs;
      watch.timer.pendingState = edge.level;
      this.host.loop.timersChanged();
    } else if (edge.level !== watch.state) {
      const timer = this.host.loop.addTimer({
        dueMs: edge.timeMs + watch.debounceMs,
        args: [],
        onDue: (entry) => this.debounceDone(watch, entry as TimerEntry & { pendingState: boolean }),
      }) as TimerEntry & { pendingState: boolean };
      timer.pendingState = edge.level;
      watch.timer = timer;
    }
  }

  private debounceDone(watch: Watch, timer: TimerEntry & { pendingState: boolean }): void {
    watch.timer = undefined;
    if (this.watches.get(watch.id) !== watch) return;
    const previous = watch.state;
    watch.state = timer.pendingState;
    if (previous === timer.pendingState) return;
    this.settle(watch, timer.pendingState, this.host.secondsAt(timer.dueMs - watch.debounceMs));
  }

  /** An accepted edge: call back if it is the right direction, then remember its time. */
  private settle(watch: Watch, level: boolean, timeS: number): void {
    if (watch.edge === 0 || (watch.edge > 0 && level) || (watch.edge < 0 && !level)) {
      if (!watch.repeat) this.remove(watch.id);
      this.host.fire(watch.callback, { state: level, time: timeS, lastTime: watch.lastTime, pin: watch.pin });
    }
    watch.lastTime = timeS;
  }
}
