import {
  CODE_BASE,
  type ActionImplementation,
  type ActionOf,
  type AnyMachineTable,
  type ContextOf,
  type DelayFunctionOf,
  type DelayImplementation,
  type DelayOf,
  type EventOf,
  type GuardImplementation,
  type GuardOf,
  type SystemEvent,
  type ValueOf,
} from './table';

// Runs a statechart table (see ./table.ts) on the strap: the part of xstate's
// actor a lowered machine needs. Behaviour follows xstate v5's macrostep:
// an event takes at most one transition (innermost first), then eventless
// transitions are taken until none is enabled; events sent while a step runs
// wait in a queue (xstate's mailbox); delayed transitions run on the board's
// setTimeout. Espruino subset only: no Map/Set, no closures made in loops.
// Every index below comes from the table itself (lowered and checked by the
// build), so it is in range: hence the non-null assertions.

export type ActorStatus = 'idle' | 'active' | 'done' | 'stopped' | 'error';

/** Delays named in setup({ delays }) as numbers are optional overrides; the ones xstate computes with a function must be given. */
export type DelayImplementations<T extends AnyMachineTable> = { [K in DelayFunctionOf<T>]: DelayImplementation<ContextOf<T>, EventOf<T>> } & {
  [K in Exclude<DelayOf<T>, DelayFunctionOf<T>>]?: DelayImplementation<ContextOf<T>, EventOf<T>>;
};

export interface Implementations<T extends AnyMachineTable> {
  actions: { [K in ActionOf<T>]: ActionImplementation<ContextOf<T>, EventOf<T>> };
  guards: { [K in GuardOf<T>]: GuardImplementation<ContextOf<T>, EventOf<T>> };
  delays?: DelayImplementations<T>;
  /** Replaces the table's initial context (xstate's `input`, in effect). */
  context?: ContextOf<T>;
}

/** Creates an actor for a table; `start()` it. */
export function createTableActor<T extends AnyMachineTable>(table: T, implementations: Implementations<T>): TableActor<T> {
  return new TableActor(table, implementations);
}

type TimerId = ReturnType<typeof setTimeout>;
type Event = { type: string };

// As constants, the status strings minify to one-letter names.
const IDLE: ActorStatus = 'idle';
const ACTIVE: ActorStatus = 'active';
const INIT_EVENT: SystemEvent = { type: '$init' };
const AFTER_EVENT: SystemEvent = { type: '$after' };

export class TableActor<T extends AnyMachineTable> {
  status: ActorStatus;
  context: ContextOf<T>;
  // Internal state, used by the step functions below. One-letter names on
  // purpose: terser shortens module functions and variables but never
  // property names, and the runtime has a 2 KB budget.
  /** @internal The table. */ t: T;
  /** @internal Actions by number. */ a: Array<ActionImplementation<unknown, Event>>;
  /** @internal Guards by number. */ g: Array<GuardImplementation<unknown, Event>>;
  /** @internal Delays by number: ms, or a function of context and event. */ d: Array<DelayImplementation<unknown, Event>>;
  /** @internal The active leaf state: with no parallel states, it and its ancestors are the configuration. */ l: number;
  /** @internal Per timer group, the pending timer ids by the group's pair index (undefined once fired). */ w: Array<Array<TimerId | undefined> | undefined>;
  /** @internal Events waiting for the running step. */ q: Event[];
  /** @internal A step is running. */ b: boolean;

  constructor(table: T, implementations: Implementations<T>) {
    const delays: { [name: string]: DelayImplementation<unknown, Event> | undefined } = implementations.delays || {};
    this.t = table;
    this.a = resolve(table.a, implementations.actions);
    this.g = resolve(table.g, implementations.guards);
    this.d = table.d.map(function (name, i) {
      const delay = delays[name] === undefined ? table.m[i] : delays[name];
      // A missing delay function would otherwise run its timer at once.
      if (delay === -1) throw new Error(table.id + ': no delay ' + name);
      return delay as DelayImplementation<unknown, Event>;
    });
    this.context = implementations.context || JSON.parse(table.c);
    this.l = code(table.s, 0);
    this.w = [];
    this.q = [];
    this.b = false;
    this.status = IDLE;
  }

  /** Enters the initial states (running their entry actions), then handles any events sent before. */
  start(): this {
    if (this.status === IDLE) {
      this.status = ACTIVE;
      step(this, -1, INIT_EVENT);
      drain(this);
    }
    return this;
  }

  /** Queues the event and, unless a step is running, handles the queue. Ignored once done or stopped. */
  send(event: EventOf<T>): void {
    if (!live(this)) return;
    this.q.push(event);
    if (!this.b) drain(this);
  }

  /** Cancels the timers; no exit actions run (as xstate's actor.stop()). */
  stop(): void {
    if (live(this)) halt(this, 'stopped');
  }

  /**
   * The state value, shaped as xstate's snapshot.value: 'leaf' or { parent: 'leaf' }, nested.
   * Before start() it is the initial leaf as entered; xstate's createActor also
   * takes eventless transitions then (calling guards), the table actor only on start().
   */
  value(): ValueOf<T> {
    const table = this.t;
    let state = this.l;
    let value: unknown = table.k[state];
    let parent: number;
    while ((parent = code(table.p, state)) > 0) {
      const wrapped: { [key: string]: unknown } = {};
      wrapped[table.k[parent]!] = value;
      value = wrapped;
      state = parent;
    }
    return value as ValueOf<T>;
  }
}

type Actor = TableActor<AnyMachineTable>;

function live(actor: Actor): boolean {
  return actor.status === IDLE || actor.status === ACTIVE;
}

function drain(actor: Actor): void {
  while (actor.status === ACTIVE && actor.q.length) {
    const event = actor.q.shift() as Event;
    step(actor, actor.t.e.indexOf(event.type) + 1, event);
  }
}

/**
 * One macrostep: the start program (code −1) or the event's transition
 * (code 0: an event type the machine does not know), then eventless ones.
 * xstate checks eventless transitions after every event, taken or not.
 */
function step(actor: Actor, eventCode: number, event: Event): void {
  const table = actor.t;
  actor.b = true;
  try {
    if (eventCode < 0) run(actor, table.s, 1, table.s.length - 1, event);
    else if (eventCode > 0) take(actor, eventCode, event);
    // The build rejects eventless transitions that could loop, so this ends.
    while (actor.status === ACTIVE && take(actor, 0, event)) {
      // Each pass took one eventless transition.
    }
  } catch (error) {
    halt(actor, 'error');
    throw error;
  } finally {
    actor.b = false;
  }
}

/** Takes the first enabled transition of the active leaf for the event code; false if none. */
function take(actor: Actor, eventCode: number, event: Event): boolean {
  const records = actor.t.l[actor.l]!;
  for (let at = 0; at < records.length; at += 4 + code(records, at + 3)) {
    const guard = code(records, at + 1);
    if (code(records, at) !== eventCode || (guard > 0 && !actor.g[guard - 1]!(actor.context, event))) continue;
    run(actor, records, at + 4, code(records, at + 3), event);
    const target = code(records, at + 2);
    if (target > 0) actor.l = target - 1;
    return true;
  }
  return false;
}

function run(actor: Actor, ops: string, from: number, count: number, event: Event): void {
  const actions = actor.t.a.length;
  const groups = actor.t.t.length;
  for (let i = from; i < from + count; i++) {
    const op = code(ops, i);
    if (op < actions) actor.a[op]!(actor.context, event);
    else if (op < actions + groups) arm(actor, op - actions, event);
    else if (op < actions + 2 * groups) disarm(actor, op - actions - groups);
    else halt(actor, 'done');
  }
}

/** Starts a state's timers; delays computed now, after the state's entry actions (as xstate's delayed raise). */
function arm(actor: Actor, group: number, event: Event): void {
  const pairs = actor.t.t[group]!;
  const ids: Array<TimerId | undefined> = (actor.w[group] = []);
  for (let at = 0; at < pairs.length; at += 2) {
    const delay = actor.d[code(pairs, at)]!;
    ids.push(timer(actor, group, ids.length, code(pairs, at + 1), typeof delay === 'function' ? delay(actor.context, event) : delay));
  }
}

/** A function of its own, so that each timer's callback closes over its own group and slot (Espruino has no per-iteration bindings). */
function timer(actor: Actor, group: number, slot: number, eventCode: number, ms: number): TimerId {
  return setTimeout(function () {
    // Forget the id first: Espruino's clearTimeout throws on a timer that already ran.
    // (The actor is active: halt() cancels every timer.)
    (actor.w[group] as Array<TimerId | undefined>)[slot] = undefined;
    step(actor, eventCode, AFTER_EVENT);
    drain(actor);
  }, ms);
}

function disarm(actor: Actor, group: number): void {
  const ids = actor.w[group] || [];
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== undefined) clearTimeout(ids[i]);
  }
  actor.w[group] = undefined;
}

function halt(actor: Actor, status: ActorStatus): void {
  for (let group = 0; group < actor.w.length; group++) disarm(actor, group);
  actor.q = [];
  actor.status = status;
}

function code(text: string, at: number): number {
  return text.charCodeAt(at) - CODE_BASE;
}

/** Implementations by number. The types make the firmware supply every one (a missing one fails where it is called). */
function resolve<F>(names: string[], given: { [name: string]: F }): F[] {
  return names.map(function (name) {
    return given[name]!;
  });
}
