import {
  CODE_BASE,
  NAME_SEPARATOR,
  PART_SEPARATOR,
  tableName,
  type ActionImplementation,
  type ActionOf,
  type ActionsImplementation,
  type AnyMachineTable,
  type ContextOf,
  type DelayFunctionOf,
  type DelayImplementation,
  type DelayOf,
  type DelaysImplementation,
  type EventOf,
  type GuardImplementation,
  type GuardOf,
  type GuardsImplementation,
  type SystemEvent,
  type ValueOf,
} from './table';

// Runs a statechart table (see ./table.ts) on the strap: the part of xstate's
// actor a lowered machine needs. Behaviour follows xstate v5's macrostep:
// an event takes at most one transition (innermost first), then eventless
// transitions are taken until none is enabled; events sent while a step runs
// wait in a queue (xstate's mailbox); delayed transitions run on the board's
// setTimeout. Espruino subset only: no Map/Set, no closures made in loops.
// Memory: the table gives a field's string when asked (its strings stay in
// code, in flash: table.ts), and the runtime reads the part it needs;
// every function is at module level (one scope link each on Espruino), and a
// timer's callback is one of them, its actor and event code its arguments.
// Every index below comes from the table itself (lowered and checked by the
// build), so it is in range: hence the non-null assertions.

export type ActorStatus = 'idle' | 'active' | 'done' | 'stopped' | 'error';

/** Delays by name (host code, delaysByName): those named in setup({ delays }) as numbers are optional overrides; the ones xstate computes with a function must be given. */
export type DelayImplementations<T extends AnyMachineTable> = { [K in DelayFunctionOf<T>]: DelayImplementation<ContextOf<T>, EventOf<T>> } & {
  [K in Exclude<DelayOf<T>, DelayFunctionOf<T>>]?: DelayImplementation<ContextOf<T>, EventOf<T>>;
};

/**
 * The firmware's actions and guards, each kind as one function given the
 * table's name: on Espruino every function costs variables for as long as
 * the strap runs (about five), and an object of them a name per entry more,
 * so a machine's dozen actions written as one `switch (name)` cost one
 * function instead of twelve. `actionsByName` and `guardsByName` make one
 * from an object of functions (host code and tests).
 */
export interface Implementations<T extends AnyMachineTable> {
  /** Runs the action so named; an action it does not know does nothing. */
  actions: ActionsImplementation<ContextOf<T>, EventOf<T>, ActionOf<T>>;
  /** Answers the guard so named. */
  guards: GuardsImplementation<ContextOf<T>, EventOf<T>, GuardOf<T>>;
  /** The delays' milliseconds (undefined: the table's); the ones xstate computes with a function must be answered, or their timer throws. */
  delays?: DelaysImplementation<ContextOf<T>, EventOf<T>, DelayOf<T>>;
  /** Replaces the table's initial context (xstate's `input`, in effect). */
  context?: ContextOf<T>;
}

/** Implementations by name as one function (host code): an action not given does nothing. */
export function actionsByName<TContext, TEvent, TName extends string>(
  actions: { [K in TName]?: ActionImplementation<TContext, TEvent> },
): ActionsImplementation<TContext, TEvent, TName> {
  return (name, context, event) => {
    const action = actions[name];
    if (action) action(context, event);
  };
}

/** Delays by name as one function (host code): a number, a function of context and event, or the table's. */
export function delaysByName<T extends AnyMachineTable>(delays: DelayImplementations<T>): DelaysImplementation<ContextOf<T>, EventOf<T>, DelayOf<T>> {
  return (name, context, event) => {
    const delay = (delays as { [name: string]: DelayImplementation<ContextOf<T>, EventOf<T>> | undefined })[name];
    return typeof delay === 'function' ? delay(context, event) : delay;
  };
}

/** Guards by name as one function (host code): a guard not given throws where it is called. */
export function guardsByName<TContext, TEvent, TName extends string>(
  guards: { [K in TName]: GuardImplementation<TContext, TEvent> },
): GuardsImplementation<TContext, TEvent, TName> {
  return (name, context, event) => guards[name](context, event);
}

/** Creates an actor for a table; `start()` it. Host code's spelling: the firmware writes `new TableActor(…)`, so the bundle keeps no wrapper function (one fewer in Espruino's RAM). */
export function createTableActor<T extends AnyMachineTable>(table: T, implementations: Implementations<T>): TableActor<T> {
  return new TableActor(table, implementations);
}

/** step's event codes besides the table's: the start program, and "the next queued event". */
const START = -1;
const FROM_QUEUE = -2;

type TimerId = ReturnType<typeof setTimeout>;
type Event = { type: string };

// The status strings and system events are written where they are used: kept
// in module constants they would cost Espruino RAM for as long as the strap runs.

export class TableActor<T extends AnyMachineTable> {
  // xstate's snapshot.status and snapshot.context, named in at most 4 characters: a longer property
  // name costs Espruino a second variable in every actor.
  /** The actor's status (xstate's snapshot.status). */ st: ActorStatus;
  /** The machine's context (xstate's snapshot.context). */ ctx: ContextOf<T>;
  // Internal state, used by the step functions below. One-letter names on
  // purpose: terser shortens module functions and variables but never
  // property names, and the runtime has a 2 KB budget.
  /** @internal The table. */ t: T;
  /** @internal The actions, as given. */ a: ActionsImplementation<unknown, Event, string>;
  /** @internal The guards, as given. */ g: GuardsImplementation<unknown, Event, string>;
  // The properties below are left out while they would be empty (fewer variables per actor on Espruino).
  /** @internal The delays, as given (absent when none are). */ d?: DelaysImplementation<unknown, Event, string>;
  /** @internal The active leaf state: with no parallel states, it and its ancestors are the configuration. */ l: number;
  /** @internal The pending timers' ids by their delayed transition's event code (each is one timer's own); none once fired or cancelled. Absent until a timer is armed, and once the actor halts. */ w?: TimerId[];
  /** @internal Events waiting: present before start() and while a step runs (its presence says a step runs), absent otherwise. */ q?: Event[];

  constructor(table: T, implementations: Implementations<T>) {
    this.t = table;
    // Kept as given and called with the table's names: the tasks share one function of each, so an
    // actor costs no RAM for them.
    this.a = implementations.actions as ActionsImplementation<unknown, Event, string>;
    this.g = implementations.guards as GuardsImplementation<unknown, Event, string>;
    if (implementations.delays) this.d = implementations.delays as DelaysImplementation<unknown, Event, string>;
    this.ctx = implementations.context || JSON.parse(table('c'));
    this.l = code(table('s'), 0);
    this.q = [];
    this.st = 'idle';
  }

  /** Enters the initial states (running their entry actions), then handles any events sent before. */
  start(): this {
    if (this.st === 'idle') {
      this.st = 'active';
      step(this, START, { type: '$init' } satisfies SystemEvent);
    }
    return this;
  }

  /** Queues the event and, unless a step is running, handles the queue. Ignored once done or stopped. */
  send(event: EventOf<T>): void {
    if (this.st !== 'idle' && this.st !== 'active') return;
    if (this.q) this.q.push(event);
    else {
      this.q = [event];
      step(this, FROM_QUEUE, event);
    }
  }

  /** Cancels the timers; no exit actions run (as xstate's actor.stop()). */
  stop(): void {
    if (this.st === 'idle' || this.st === 'active') halt(this, 'stopped');
  }

  /**
   * The state value, shaped as xstate's snapshot.value: 'leaf' or { parent: 'leaf' }, nested.
   * Before start() it is the initial leaf as entered; xstate's createActor also
   * takes eventless transitions then (calling guards), the table actor only on start().
   */
  value(): ValueOf<T> {
    const keys = this.t('k');
    const parents = this.t('p');
    let state = this.l;
    let value: unknown = tableName(keys, state);
    let parent: number;
    // Up to a child of the root (0), which the value never shows.
    while ((parent = code(parents, state))) {
      const wrapped: { [key: string]: unknown } = {};
      wrapped[tableName(keys, parent)] = value;
      value = wrapped;
      state = parent;
    }
    return value as ValueOf<T>;
  }
}

type Actor = TableActor<AnyMachineTable>;


/**
 * Macrosteps until the queue is empty (or the actor stops): first the start
 * program (START), a known event (its code) or the queue's next (FROM_QUEUE);
 * an event's code is 0 when the machine does not know its type. After each,
 * eventless transitions: xstate checks them after every event, taken or not.
 * Events sent meanwhile wait in the queue (xstate's mailbox).
 *
 * Also every timer's callback, given its actor and event code by setTimeout's
 * extra arguments (Espruino keeps them with the timer: src/jswrap_interactive.c
 * _jswrap_interface_setTimeoutOrInterval): no closure, and no kept call scope,
 * per pending timer, and no function of its own. Then there is no event.
 */
function step(actor: Actor, eventCode: number, event?: Event): void {
  const table = actor.t;
  if (!event) {
    // A timer: forget its id first (Espruino's clearTimeout throws on a timer that already ran).
    // (The actor is active: halt() cancels every timer.)
    delete actor.w![eventCode];
    event = { type: '$after' } satisfies SystemEvent;
  }
  if (!actor.q) actor.q = [];
  try {
    for (;;) {
      if (eventCode === FROM_QUEUE) {
        if (actor.st !== 'active' || !actor.q!.length) break;
        event = actor.q!.shift() as Event;
        eventCode = table('e').split(NAME_SEPARATOR).indexOf(event.type) + 1;
      }
      if (eventCode === START) run(actor, table('s').substr(1), event);
      // 0: a type the machine does not know.
      else if (eventCode) take(actor, eventCode, event);
      // The build rejects eventless transitions that could loop, so this ends.
      while (actor.st === 'active' && take(actor, 0, event)) {
        // Each pass took one eventless transition.
      }
      eventCode = FROM_QUEUE;
    }
  } catch (error) {
    halt(actor, 'error');
    throw error;
  } finally {
    delete actor.q;
  }
}

/** Takes the first enabled transition of the active leaf for the event code; false if none. */
function take(actor: Actor, eventCode: number, event: Event): boolean {
  const records = tableName(actor.t('l'), actor.l, PART_SEPARATOR);
  for (let at = 0; at < records.length; at += 4 + code(records, at + 3)) {
    const guard = code(records, at + 1);
    if (code(records, at) !== eventCode || (guard && !actor.g(tableName(actor.t('g'), guard - 1), actor.ctx, event))) continue;
    run(actor, records.substr(at + 4, code(records, at + 3)), event);
    const target = code(records, at + 2);
    // 0: targetless.
    if (target) actor.l = target - 1;
    return true;
  }
  return false;
}

function run(actor: Actor, ops: string, event: Event): void {
  const names = actor.t('a');
  const actions = names ? names.split(NAME_SEPARATOR).length : 0;
  // Every timer group holds a timer, so only a machine without timers has t === ''.
  const timerGroups = actor.t('t');
  const groups = timerGroups ? timerGroups.split(PART_SEPARATOR).length : 0;
  for (let i = 0; i < ops.length; i++) {
    const op = code(ops, i);
    if (op < actions) actor.a(tableName(names, op), actor.ctx, event);
    else if (op < actions + groups) timers(actor, op - actions, event);
    else if (op < actions + 2 * groups) timers(actor, op - actions - groups);
    else halt(actor, 'done');
  }
}

/**
 * With the event, starts a state's timers, delays computed now, after the state's entry actions (as xstate's
 * delayed raise); without, cancels those that have not run. One function for both: one fewer in RAM.
 */
function timers(actor: Actor, group: number, event?: Event): void {
  const pairs = tableName(actor.t('t'), group, PART_SEPARATOR);
  for (let at = 0; at < pairs.length; at += 2) {
    const eventCode = code(pairs, at + 1);
    if (event) {
      const number = code(pairs, at);
      const name = tableName(actor.t('d'), number);
      const given = actor.d && actor.d(name, actor.ctx, event);
      const delay = given === undefined ? +tableName(actor.t('m'), number) : given;
      // -1: a delay setup() computes with a function, which the firmware did not answer
      if (delay < 0) throw new Error(tableName(actor.t('k'), 0) + ': no delay ' + name);
      (actor.w || (actor.w = []))[eventCode] = setTimeout(step, delay, actor, eventCode);
    } else if (actor.w && actor.w[eventCode] !== undefined) {
      clearTimeout(actor.w[eventCode]);
      delete actor.w[eventCode];
    }
  }
}

function halt(actor: Actor, status: ActorStatus): void {
  for (let eventCode = 0; actor.w && eventCode < actor.w.length; eventCode++) {
    if (actor.w[eventCode] !== undefined) clearTimeout(actor.w[eventCode]);
  }
  delete actor.w;
  // Whatever waits is dropped (a running step's queue is deleted as it ends).
  if (actor.q) actor.q = [];
  actor.st = status;
}

function code(text: string, at: number): number {
  return text.charCodeAt(at) - CODE_BASE;
}
