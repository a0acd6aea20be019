import { paymentSessionMachine } from '../payment-session.machine';
import { paymentSessionUpdate, type PaymentSessionUpdate } from '../../payment-session.model';
import { powerModeMachine } from '../power-mode.machine';
import { powerModeGuard, powerModeUpdate, type PowerModeGuard, type PowerModeUpdate } from '../../power-mode.model';
import { paymentSessionTable } from '../../tables/payment-session.table';
import { powerModeTable } from '../../tables/power-mode.table';
import { taskTable } from '../../tables/task-lifecycle.table';
import { taskMachine } from '../task-lifecycle.machine';
import { taskDelay, taskGuard, taskUpdate, type TaskContext, type TaskDelay, type TaskGuard, type TaskUpdate } from '../../task-lifecycle.model';
import { encodeTable, tableFunction } from '../../../build/statechart-emit';
import { lowerMachine } from '../../../build/statechart-lower';
import type { AnyMachineTable } from '../../table';
import { edgeCasesMachine } from './edge-cases.machine';
import type { MachineFixture } from './machine-fixture';

// The strap's three machines, and a chart of xstate's corner cases, as the differential tests drive them.

/** A model's updates or guards (one function given the name) as the fixture's functions by name. */
function named<TName extends string>(names: readonly TName[], model: (name: TName, context: never, event: never) => unknown): Record<string, (context: never, event: never) => never> {
  return Object.fromEntries(names.map((name) => [name, (context: never, event: never) => model(name, context, event) as never]));
}

const sample = (percent: number, charging: boolean) => ({ type: 'BATTERY_SAMPLE', percent, charging });

export const powerModeFixture: MachineFixture = {
  name: 'power mode',
  machine: powerModeMachine,
  table: powerModeTable,
  updates: named<PowerModeUpdate>(['rememberBattery'], powerModeUpdate),
  guards: named<PowerModeGuard>(['atReserveFloor', 'atSaverThreshold', 'recoveredFromSaver', 'recoveredFromReserve'], powerModeGuard),
  worldGuards: ['linkUp'],
  delays: {},
  events: [
    { type: 'ACTIVITY' },
    { type: 'NFC_FIELD' },
    { type: 'BLE_CONNECTED' },
    { type: 'BLE_DISCONNECTED' },
    // Full, mid-range, at the saver threshold, between the thresholds, at the reserve floor, charging when low.
    sample(80, false),
    sample(20, false),
    sample(12, false),
    sample(5, false),
    sample(8, false),
    sample(6, true),
    { type: 'POWER_OFF' },
    { type: 'POWER_ON' },
  ],
};

export const paymentSessionFixture: MachineFixture = {
  name: 'payment session',
  machine: paymentSessionMachine,
  table: paymentSessionTable,
  updates: named<PaymentSessionUpdate>(['recordCompletion', 'recordFailure', 'recordRefusal', 'recordDecline'], paymentSessionUpdate),
  guards: {},
  worldGuards: ['buzzSafe', 'paid', 'declined'],
  delays: {},
  // requestTap's answer (TAP_ADMITTED, TAP_REFUSED or TAP_DROPPED) depends on the scheduler: the search sends each.
  events: [{ type: 'FIELD_DETECTED' }, { type: 'FIELD_LOST' }, { type: 'TAP_ADMITTED' }, { type: 'TAP_REFUSED' }, { type: 'TAP_DROPPED' }],
};

export const taskFixture: MachineFixture = {
  name: 'task lifecycle',
  machine: taskMachine,
  table: taskTable,
  updates: named<TaskUpdate>(['countAttempt', 'rememberFailure', 'rememberTimeout'], taskUpdate),
  guards: named<TaskGuard>(['canRetry'], taskGuard),
  worldGuards: [],
  delays: named<TaskDelay>(['deadlineMs', 'retryBackoffMs'], taskDelay),
  events: [
    { type: 'ADMIT' },
    { type: 'REVOKE' },
    { type: 'START' },
    { type: 'PROGRESS' },
    { type: 'SUCCEED' },
    { type: 'FAIL', retryable: true },
    { type: 'FAIL', retryable: false },
    { type: 'SHED' },
    { type: 'CANCEL' },
  ],
  contextKey: (context: TaskContext) => context,
};

export const edgeCasesFixture: MachineFixture = {
  name: 'edge cases',
  machine: edgeCasesMachine,
  table: tableInMemory(edgeCasesMachine),
  updates: {},
  guards: {},
  worldGuards: ['flag'],
  delays: {},
  events: ['RESET', 'SELF', 'INNER', 'DEEP', 'GO_B', 'NEXT', 'TOGGLE', 'BACK'].map((type) => ({ type })),
  reactions: { toggleA2: { type: 'NEXT' } },
};

export const MACHINE_FIXTURES: readonly MachineFixture[] = [powerModeFixture, paymentSessionFixture, taskFixture, edgeCasesFixture];

function tableInMemory(machine: typeof edgeCasesMachine): AnyMachineTable {
  const lowered = lowerMachine(machine);
  if (!lowered.ok) throw new Error(JSON.stringify(lowered.unsupported));
  return tableFunction(encodeTable(lowered.machine));
}
