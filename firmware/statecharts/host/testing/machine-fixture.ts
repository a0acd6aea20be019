import type { AnyStateMachine } from 'xstate';
import type { AnyMachineTable, EventObject } from '../../table';

// What the differential tests need to drive one machine: the xstate machine
// and its table, the implementations both sides share (the model's context
// updates, pure guards and delay functions), the guards that read the world
// instead (hardware, the scheduler), and the events to try.

export type FixtureEvent = EventObject & Record<string, unknown>;
export type Update = (context: never, event: never) => void;
export type Guard = (context: never, event: never) => boolean;
export type DelayFunction = (context: never, event: never) => number;

export interface MachineFixture {
  name: string;
  machine: AnyStateMachine;
  table: AnyMachineTable;
  /** Context updates by action name (the other actions only get recorded). */
  updates: Readonly<Record<string, Update>>;
  /** Guards computed from context and event. */
  guards: Readonly<Record<string, Guard>>;
  /** Guards the firmware answers from the world: each step sets them. */
  worldGuards: readonly string[];
  /** Delays setup() computes with a function. */
  delays: Readonly<Record<string, DelayFunction>>;
  /** Events to try in every state (with payload variants). */
  events: readonly FixtureEvent[];
  /** Events an action sends to its own actor when it runs (they wait for the current step, as in xstate's mailbox). */
  reactions?: Readonly<Record<string, EventObject>>;
  /** What of the context tells states apart for the search (default: all of it); counters can be capped here. */
  contextKey?: (context: never) => unknown;
}

/** A step of a sequence: an event (with the world's answers to the world guards), or time passing to the next deadline. */
export type Step = { kind: 'event'; event: FixtureEvent; world: Readonly<Record<string, boolean>> } | { kind: 'tick' };

export function describeStep(step: Step): string {
  if (step.kind === 'tick') return 'tick';
  const { type, ...payload } = step.event;
  const world = Object.entries(step.world).map(([name, value]) => `${name}=${value}`);
  const extras = [...(Object.keys(payload).length > 0 ? [JSON.stringify(payload)] : []), ...world];
  return extras.length > 0 ? `${type} ${extras.join(' ')}` : type;
}

/** Every event with every combination of world-guard answers, and a tick. */
export function alphabet(fixture: MachineFixture): Step[] {
  let worlds: Array<Record<string, boolean>> = [{}];
  for (const guard of fixture.worldGuards) worlds = worlds.flatMap((world) => [{ ...world, [guard]: true }, { ...world, [guard]: false }]);
  const steps: Step[] = fixture.events.flatMap((event) => worlds.map((world): Step => ({ kind: 'event', event, world })));
  return [...steps, { kind: 'tick' }];
}
