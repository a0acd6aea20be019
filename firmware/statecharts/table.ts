// The table format a statechart is lowered to (by firmware/build/statechart-lower.ts)
// and run from on the strap (by ./runtime.ts). Types, the character
// constants and tableNames.
//
// Why strings: on Espruino every array element costs a JS variable (about
// 13–16 bytes, 2–3 variables for an element holding a short string), and a
// Puck.js has 2,630 of them. A string packs about a dozen characters per
// variable, so the numbers of a table are stored as the character codes of
// strings: one character per number, offset by CODE_BASE so that every
// character is printable ASCII (no escapes in the minified file, no UTF-8
// surprises on Espruino's 8-bit strings). A number is 0..93. Lists are single
// strings too: the names of events, actions, guards, delays and state keys and
// the delays' milliseconds (in decimal) joined by a space (NAME_SEPARATOR), the
// records of the states and the timer groups joined by '~' (PART_SEPARATOR, the
// one printable character that is not a number); the runtime takes the part it
// needs when it needs it (tableName), firmware outside it reads a whole list
// with tableNames.
//
// Numbering (all per machine):
// - states: 0 is the root, then document order (xstate's StateNode.order);
// - events: 0 is "eventless" (xstate's `always`), 1..n the external event
//   types in `e`, then one code per delayed transition group member
//   (xstate's `xstate.after.<delay>.<state id>` events);
// - actions: index in the names of `a`; guards: index in `g` (stored + 1, 0 = no guard);
// - timer groups: one per state with `after`, index in `t`.
//
// A transition record, in part `leaf` of `l`, is
//   [event code, guard + 1, target leaf + 1 (0 = targetless), op count, ops...]
// and the records of a leaf come in the order xstate tries them: the leaf's
// own transitions first, then its parent's, up to the root (SCXML 3.13:
// "selecting transitions", first enabled in document order, innermost first).
//
// An op is, with A actions and G timer groups:
//   0 ≤ op < A          run action op
//   A ≤ op < A + G      start the timers of group op − A
//   A + G ≤ op < A + 2G cancel the timers of group op − A − G
//   op = A + 2G         the machine is done (a top-level final state was entered)
// The ops of a transition are already in xstate's order: exit actions of the
// exited states innermost first, the transition's actions, then entry actions
// of the entered states outermost first (SCXML 3.13 microstep; xstate's
// exitStates / enterStates), all worked out at build time from the least
// common compound ancestor of source and target, for each leaf the
// transition can be taken from.

/** Added to every number to make it a printable character (' ' is 0, '}' is 93). */
export const CODE_BASE = 32;
/** The largest number a table character holds ('~', one above, separates parts). */
export const CODE_MAX = 93;
/** Between the names of `e`, `a`, `g`, `d`, `k` and the numbers of `m` (a name never holds one: the build checks). */
export const NAME_SEPARATOR = ' ';
/** Between the parts of `l` and `t`: CODE_BASE + CODE_MAX + 1, never a number. */
export const PART_SEPARATOR = '~';

/** The names of a joined list (`e`, `a`, `g`, `d`, `k`, `m`) as an array; none for ''. */
export function tableNames(list: string): string[] {
  return list ? list.split(NAME_SEPARATOR) : [];
}

/**
 * Name `n` of a joined list (`e`, `a`, `g`, `d`, `k`, `m`), or part `n` of a list joined by
 * PART_SEPARATOR (`l`, `t`): found without splitting the whole list, so a step
 * makes no array of names. `n` is in range (the build checks every index).
 */
export function tableName(list: string, n: number, separator?: string): string {
  const sep = separator || NAME_SEPARATOR;
  let at = 0;
  while (n-- > 0) at = list.indexOf(sep, at) + 1;
  const end = list.indexOf(sep, at);
  return list.substring(at, end < 0 ? list.length : end);
}

export interface EventObject {
  type: string;
}

/** What actions and guards get as the event on start (xstate passes its `xstate.init`; no action reads the type). */
export interface InitEvent {
  type: '$init';
}

/** What actions, guards and delays get as the event of a delayed transition (xstate's is `xstate.after.<delay>.<state id>`). */
export interface AfterEvent {
  type: '$after';
}

export type SystemEvent = InitEvent | AfterEvent;

/** The table's fields: what a table answers when asked for one (MachineTable). */
export type TableField = 'e' | 'a' | 'g' | 'd' | 'm' | 'k' | 'p' | 's' | 'l' | 't' | 'c';

/**
 * A machine's table, as a function answering each field with its string: the
 * strings are literals in the function's code, which Espruino keeps where the
 * code is (flash, for a bundle loaded from Storage: src/jsparse.c
 * jspeFunctionDefinitionInternal points a function's `#cod` at it); only the
 * field asked for becomes a string in RAM, and only while it is used. An
 * object of strings would hold all of them in RAM for as long as the strap
 * runs (about 90 variables for the power mode's).
 *
 *  - `e`: external event types, joined by NAME_SEPARATOR: code = index + 1;
 *  - `a`: action names, joined by NAME_SEPARATOR: op = index;
 *  - `g`: guard names, joined by NAME_SEPARATOR;
 *  - `d`: delay names, joined by NAME_SEPARATOR;
 *  - `m`: per delay, its milliseconds from setup({ delays }) in decimal, joined
 *    by NAME_SEPARATOR; -1 where that is a function, which the firmware must supply;
 *  - `k`: state keys by state number, joined by NAME_SEPARATOR; the root's is
 *    the machine's id (the value never shows it; messages do);
 *  - `p`: parent state number per state (the root's is 0);
 *  - `s`: start: the initial leaf, then the ops of the initial microstep;
 *  - `l`: per state, joined by PART_SEPARATOR: its transition records ('' for
 *    states that are not leaves);
 *  - `t`: per timer group, joined by PART_SEPARATOR: pairs [delay number, event code];
 *  - `c`: the initial context, as JSON.
 */
export interface MachineTable<
  TContext,
  TEvent extends EventObject,
  TAction extends string,
  TGuard extends string,
  TDelay extends string,
  TDelayFunction extends TDelay,
  TValue,
> {
  (field: TableField): string;
  /** Types only; never present at run time. */
  _?: { context: TContext; event: TEvent; value: TValue; action: TAction; guard: TGuard; delay: TDelay; delayFunction: TDelayFunction };
}

/** Any table: the phantom types only ever come out of `_` (ContextOf, EventOf, ValueOf), so `unknown` and EventObject cover them all. */
export type AnyMachineTable = MachineTable<unknown, EventObject, string, string, string, string, unknown>;

type Phantom<T extends AnyMachineTable> = NonNullable<T['_']>;
export type ContextOf<T extends AnyMachineTable> = Phantom<T>['context'];
export type EventOf<T extends AnyMachineTable> = Phantom<T>['event'];
export type ValueOf<T extends AnyMachineTable> = Phantom<T>['value'];
export type ActionOf<T extends AnyMachineTable> = Phantom<T>['action'];
export type GuardOf<T extends AnyMachineTable> = Phantom<T>['guard'];
export type DelayOf<T extends AnyMachineTable> = Phantom<T>['delay'];
export type DelayFunctionOf<T extends AnyMachineTable> = Phantom<T>['delayFunction'];

/** An action implementation: may change the context in place (that is how context changes on the strap). */
export type ActionImplementation<TContext, TEvent> = (context: TContext, event: TEvent | SystemEvent) => void;
export type GuardImplementation<TContext, TEvent> = (context: TContext, event: TEvent | SystemEvent) => boolean;
/** A machine's actions as one function, called with the action's name (runtime.ts Implementations). */
export type ActionsImplementation<TContext, TEvent, TName extends string> = (name: TName, context: TContext, event: TEvent | SystemEvent) => void;
/** A machine's guards as one function, called with the guard's name. */
export type GuardsImplementation<TContext, TEvent, TName extends string> = (name: TName, context: TContext, event: TEvent | SystemEvent) => boolean;
/** A machine's delays as one function given the delay's name: its milliseconds, or undefined for the table's (setup()'s number). */
export type DelaysImplementation<TContext, TEvent, TName extends string> = (name: TName, context: TContext, event: TEvent | SystemEvent) => number | undefined;
/** One delay, by name (runtime.ts delaysByName): milliseconds, or a function of context and event. */
export type DelayImplementation<TContext, TEvent> = number | ((context: TContext, event: TEvent | SystemEvent) => number);
