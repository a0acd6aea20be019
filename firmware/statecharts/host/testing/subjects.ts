import { assign, createActor, type AnyActorRef, type AnyStateMachine, type AnyTransitionDefinition, type InspectionEvent } from 'xstate';
import { actionsByName, createTableActor, delaysByName, guardsByName, type TableActor } from '../../runtime';
import { tableNames, type AnyMachineTable, type EventObject } from '../../table';
import { FakeClock, withGlobalTimers } from './fake-clock';
import type { MachineFixture, Step } from './machine-fixture';

// The two sides of a differential test, behind one interface: xstate (the
// oracle) and the table runtime, each with its own fake clock, both given
// the same implementations: every action records its name (and applies the
// model's context update, if it has one), every guard records its name and
// answer.

export interface Observation {
  value: unknown;
  context: unknown;
  status: string;
  /** Actions run and guards evaluated (`guard?answer`) during the step, in order. */
  trace: string[];
  /** Milliseconds to each pending timer. */
  timers: number[];
}

export interface Subject {
  start(): Observation;
  step(step: Step): Observation;
}

export function oracleSubject(fixture: MachineFixture, onTransitions?: (taken: AnyTransitionDefinition[]) => void): Subject & { machine: AnyStateMachine } {
  const recorder = new Recorder(fixture);
  const clock = new FakeClock();
  const machine = fixture.machine.provide({
    // Every action is an assign here, even the ones that do not change the
    // context: assign actions are resolved in order inside the microstep,
    // so the record shows xstate's order exactly (plain function actions run
    // deferred while an actor starts).
    actions: Object.fromEntries(
      tableNames(fixture.table('a')).map((name) => [
        name,
        assign(({ context, event, self }: { context: object; event: EventObject; self: AnyActorRef }) =>
          recorder.act(name, context, event, (reaction) => self.send(reaction)),
        ),
      ]),
    ),
    guards: Object.fromEntries(tableNames(fixture.table('g')).map((name) => [name, ({ context, event }: { context: object; event: EventObject }) => recorder.guard(name, context, event)])),
  });
  let actor: AnyActorRef | undefined;
  const inspect = (event: InspectionEvent): void => {
    if (event.type === '@xstate.microstep' && onTransitions) onTransitions(event._transitions);
  };
  const observe = (): Observation => {
    const snapshot = actor!.getSnapshot();
    return { value: snapshot.value, context: snapshot.context, status: snapshot.status, trace: recorder.flush(), timers: clock.pending() };
  };
  return {
    machine,
    start() {
      actor = createActor(machine, { clock, inspect });
      actor.start();
      return observe();
    },
    step(step) {
      // A tick keeps the world of the step before: guards of delayed and eventless transitions may read it.
      if (step.kind === 'tick') clock.advanceToNext();
      else {
        recorder.world = step.world;
        actor!.send(step.event);
      }
      return observe();
    },
  };
}

export function tableSubject(fixture: MachineFixture): Subject & { actor(): TableActor<AnyMachineTable> } {
  const recorder = new Recorder(fixture);
  const clock = new FakeClock();
  const table = fixture.table;
  const actions = Object.fromEntries(
    tableNames(table('a')).map((name) => [
      name,
      (context: unknown, event: EventObject) => {
        // The runtime's actions change the context in place (a table's context is an object: its JSON, parsed).
        Object.assign(context as object, recorder.act(name, context as object, event, (reaction) => actor!.send(reaction)));
      },
    ]),
  );
  const guards = Object.fromEntries(tableNames(table('g')).map((name) => [name, (context: unknown, event: EventObject) => recorder.guard(name, context as object, event)]));
  let actor: TableActor<AnyMachineTable> | undefined;
  const observe = (): Observation => ({
    value: actor!.value(),
    context: JSON.parse(JSON.stringify(actor!.ctx)),
    status: actor!.st,
    trace: recorder.flush(),
    timers: clock.pending(),
  });
  return {
    actor: () => actor!,
    start() {
      actor = createTableActor(table, { actions: actionsByName(actions), guards: guardsByName(guards), delays: delaysByName(fixture.delays as never) });
      withGlobalTimers(clock, () => actor!.start());
      return observe();
    },
    step(step) {
      withGlobalTimers(clock, () => {
        if (step.kind === 'tick') clock.advanceToNext();
        else {
          recorder.world = step.world;
          actor!.send(step.event);
        }
      });
      return observe();
    },
  };
}

class Recorder {
  /** World guards answer false until a step says otherwise. */
  world: Readonly<Record<string, boolean>>;
  private trace: string[] = [];

  constructor(private readonly fixture: MachineFixture) {
    this.world = Object.fromEntries(fixture.worldGuards.map((name) => [name, false]));
  }

  /** Records the action (and sends its reaction, if any); returns the next context (a copy with the model's update applied). */
  act(name: string, context: object, event: EventObject, send: (event: EventObject) => void): object {
    this.trace.push(name);
    const reaction = this.fixture.reactions?.[name];
    if (reaction) send(reaction);
    const next = JSON.parse(JSON.stringify(context)) as object;
    const update = this.fixture.updates[name] as ((context: object, event: EventObject) => void) | undefined;
    if (update) update(next, event);
    return next;
  }

  guard(name: string, context: object, event: EventObject): boolean {
    const pure = this.fixture.guards[name] as ((context: object, event: EventObject) => boolean) | undefined;
    let answer: boolean;
    if (pure) answer = pure(context, event);
    else if (name in this.world) answer = this.world[name]!;
    else throw new Error(`guard ${name}: neither a model guard nor a world guard of ${this.fixture.name}`);
    this.trace.push(`${name}?${answer}`);
    return answer;
  }

  flush(): string[] {
    const trace = this.trace;
    this.trace = [];
    return trace;
  }
}
