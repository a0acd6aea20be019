import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, assign, fromPromise, raise, setup, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { buildFirmware, FirmwareBuildError, formatProblem } from '../../build/build';
import { lowerMachine } from '../../build/statechart-lower';
import { describeUnsupported, generateStatechartTables } from '../../build/statechart-tables';
import { MACHINE_FIXTURES } from './testing/fixtures';
import { tableNames } from '../table';

// The build step that lowers the machines: what it refuses, and how the
// refusal reads; and that the checked-in tables are the ones it writes.

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const stub = () => {};
const base = setup({ actions: { act: stub }, guards: { ready: () => true }, delays: { shortMs: 100 } });

/** The messages lowering gives, as the build prints them (without the file position). */
function refusals(machine: AnyStateMachine): string[] {
  const outcome = lowerMachine(machine);
  return outcome.ok ? [] : outcome.unsupported.map((finding) => describeUnsupported(machine.id, 'testMachine', finding));
}

describe('features the table runtime does not run fail the table build, named', () => {
  const cases: Array<[string, () => AnyStateMachine, string]> = [
    [
      'parallel states',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { type: 'parallel', states: { p: {}, q: {} } } } }),
      "machine #m (testMachine), state #m.x: parallel states (type: 'parallel') not supported by the table runtime: the table runtime keeps one active leaf: run each region as its own machine",
    ],
    [
      'history states',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { initial: 'a', states: { a: {}, back: { type: 'history' } } } } }),
      'machine #m (testMachine), state #m.x.back: history states not supported by the table runtime: the table keeps no history: target the state to return to',
    ],
    [
      'invoked actors',
      () =>
        setup({ actors: { fetchKeys: fromPromise(async () => 1) } }).createMachine({ id: 'm', initial: 'x', states: { x: { invoke: { src: 'fetchKeys' } } } }),
      'machine #m (testMachine), state #m.x: invoked actors (invoke) not supported by the table runtime: no actors run on the strap: let firmware code do the work and send the machine events',
    ],
    [
      'inline actions',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { entry: () => {} } } }),
      'machine #m (testMachine), state #m.x: an inline action (entry) not supported by the table runtime: name it in setup({ actions }): the firmware supplies actions by name',
    ],
    [
      'inline assign',
      () => base.createMachine({ id: 'm', initial: 'x', context: { n: 0 }, states: { x: { on: { GO: { actions: assign({ n: 1 }) } } } } }),
      "machine #m (testMachine), state #m.x: an inline action (xstate's xstate.assign) (on GO) not supported by the table runtime: name it in setup({ actions }): the firmware supplies actions by name",
    ],
    [
      'named xstate actions other than assign',
      () => setup({ actions: { again: raise({ type: 'GO' }) } }).createMachine({ id: 'm', initial: 'x', states: { x: { entry: 'again', on: { GO: {} } } } }),
      "machine #m (testMachine), state #m.x: the action 'again', which is xstate's xstate.raise not supported by the table runtime: only plain functions and assign can be replaced by firmware code; raise, sendTo, emit, cancel, spawnChild, stopChild, log and enqueueActions act on xstate itself",
    ],
    [
      'wildcard events',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { on: { '*': { actions: 'act' } } } } }),
      "machine #m (testMachine), state #m.x: wildcard event descriptor '*' not supported by the table runtime: events are numbered at build time: list each event type",
    ],
    [
      'inline delays',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { after: { 250: 'y' } }, y: {} } }),
      'machine #m (testMachine), state #m.x: the inline delay after: { 250: … } not supported by the table runtime: name it in setup({ delays }) so the firmware can see and tune it',
    ],
    [
      'guard combinators',
      () =>
        setup({ guards: { ready: () => true, both: and(['ready', 'ready']) } }).createMachine({ id: 'm', initial: 'x', states: { x: { on: { GO: { guard: 'both', target: 'y' } } }, y: {} } }),
      "machine #m (testMachine), state #m.x: the guard 'both' built with and/or/not/stateIn not supported by the table runtime: write it as one named guard: the firmware supplies guards by name",
    ],
    [
      'guard params',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { on: { GO: { guard: { type: 'ready', params: { level: 2 } }, target: 'y' } } }, y: {} } }),
      'machine #m (testMachine), state #m.x: guard params (on GO) not supported by the table runtime: the runtime calls guards with (context, event) only: name a guard per case',
    ],
    [
      'final states below the root, and onDone',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { initial: 'a', onDone: 'y', states: { a: { type: 'final' } } }, y: {} } }),
      'machine #m (testMachine), state #m.x: onDone (xstate.done.state events) not supported by the table runtime: final states may only be children of the root, where they end the machine',
    ],
    [
      'context from input',
      () => base.createMachine({ id: 'm', initial: 'x', context: () => ({ n: 0 }), states: { x: {} } }),
      'machine #m (testMachine): context as a function (of input) not supported by the table runtime: the table stores a static initial context; the firmware may pass its own to createTableActor',
    ],
    [
      'reentering root transitions',
      () => base.createMachine({ id: 'm', initial: 'x', on: { RESET: { target: '.x', reenter: true } }, states: { x: {} } }),
      'machine #m (testMachine): reenter on a transition of the root (on RESET) not supported by the table runtime: xstate then enters the root again without exiting it; the table does not model that',
    ],
    [
      'targetless eventless transitions',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { always: { guard: 'ready', actions: 'act' } } } }),
      'machine #m (testMachine), state #m.x: a targetless eventless (always) transition not supported by the table runtime: xstate repeats it only while it changes the context, which the table runtime cannot observe: give it a target',
    ],
    [
      'eventless cycles',
      () => base.createMachine({ id: 'm', initial: 'x', states: { x: { always: { guard: 'ready', target: 'y' } }, y: { always: { target: 'x' } } } }),
      'machine #m (testMachine): eventless (always) transitions that can loop (#m.x → #m.y → #m.x) not supported by the table runtime: xstate would never settle, and the table runtime has no iteration limit: break the cycle',
    ],
  ];

  it.each(cases)('%s', (_, machine, message) => {
    expect(refusals(machine())).toContain(message);
  });

  it('accepts the strap machines', () => {
    for (const fixture of MACHINE_FIXTURES) expect(refusals(fixture.machine)).toEqual([]);
  });
});

describe('the table build on machine files', () => {
  it('fails with the machine file, the state line and the message', async () => {
    const machineFile = 'firmware/statecharts/host/testing/fixtures/parallel-radio.machine.ts';
    const result = await generateStatechartTables({ root: ROOT, machineFiles: [machineFile], write: false });
    expect(result.problems.map(formatProblem)).toEqual([
      `${machineFile}:12:5: statechart: machine #radio (radioMachine), state #radio.radioOn: parallel states (type: 'parallel') not supported by the table runtime: the table runtime keeps one active leaf: run each region as its own machine`,
    ]);
  });

  it('stops buildFirmware before bundling', async () => {
    // A repository of its own: a firmware entry and one machine the runtime cannot run.
    const root = await mkdtemp(path.join(os.tmpdir(), 'strap-statecharts-'));
    try {
      await symlink(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
      await mkdir(path.join(root, 'firmware', 'statecharts', 'host'), { recursive: true });
      await writeFile(path.join(root, 'firmware', 'main.ts'), "print('hello');\n");
      const machine = await readFile(path.join(ROOT, 'firmware/statecharts/host/testing/fixtures/parallel-radio.machine.ts'), 'utf8');
      await writeFile(path.join(root, 'firmware', 'statecharts', 'host', 'radio.machine.ts'), machine);
      const failure = await buildFirmware({ root, write: false, typeCheck: false }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(FirmwareBuildError);
      expect((failure as FirmwareBuildError).problems.map(formatProblem)).toEqual([
        "firmware/statecharts/host/radio.machine.ts:12:5: statechart: machine #radio (radioMachine), state #radio.radioOn: parallel states (type: 'parallel') not supported by the table runtime: the table runtime keeps one active leaf: run each region as its own machine",
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('has the checked-in tables the machines lower to', async () => {
    const result = await generateStatechartTables({ root: ROOT, write: false });
    expect(result.problems.map(formatProblem)).toEqual([]);
    expect(result.tables.map((table) => table.file)).toEqual([
      'firmware/statecharts/tables/payment-session.table.ts',
      'firmware/statecharts/tables/power-mode.table.ts',
      'firmware/statecharts/tables/task-lifecycle.table.ts',
    ]);
  });
});

describe('the strap machines and their models agree', () => {
  it.each(MACHINE_FIXTURES.filter((fixture) => fixture.name !== 'edge cases'))('$name', (fixture) => {
    const actions = fixture.machine.implementations.actions as Record<string, unknown>;
    const isAssign = (name: string) => (actions[name] as { type?: string }).type === 'xstate.assign';
    // Every action in setup() is used, and the context-changing ones are exactly the model's updates.
    expect(tableNames(fixture.table('a')).sort()).toEqual(Object.keys(actions).sort());
    expect(Object.keys(actions).filter(isAssign).sort()).toEqual(Object.keys(fixture.updates).sort());
    // Guards are the model's or the world's, and all are used.
    expect(tableNames(fixture.table('g')).sort()).toEqual([...Object.keys(fixture.guards), ...fixture.worldGuards].sort());
    expect(Object.keys(fixture.machine.implementations.guards).sort()).toEqual(tableNames(fixture.table('g')).sort());
  });
});
