import { describe, expect, it } from 'vitest';
import { paymentSessionUpdate, type PaymentSessionContext, type PaymentSessionEvent, type PaymentSessionUpdate } from './payment-session.model';
import { actionsByName, createTableActor, delaysByName, guardsByName } from './runtime';
import type { SystemEvent } from './table';
import { paymentSessionTable, type PaymentSessionAction } from './tables/payment-session.table';
import { taskTable, type TaskAction, type TaskDelay } from './tables/task-lifecycle.table';
import { taskDelay, taskUpdate, type TaskContext, type TaskEvent, type TaskUpdate } from './task-lifecycle.model';
import { FakeClock, withGlobalTimers } from './host/testing/fake-clock';

const TASK_UPDATES: readonly string[] = ['countAttempt', 'rememberFailure', 'rememberTimeout'] satisfies TaskUpdate[];
/** The task machine's computed delays (the model's), the others the table's. */
const TASK_DELAYS = (name: TaskDelay, context: TaskContext) => (name === 'deadlineMs' || name === 'retryBackoffMs' ? taskDelay(name, context) : undefined);

// The table actor's API around the semantics the differential tests pin:
// implementations, delays, context, the lifecycle (start, stop, done, error).

function recordingPaymentSession(log: string[], overrides: { delays?: { fieldLimitMs?: number }; failOn?: string } = {}) {
  const record = (name: string) => () => {
    if (name === overrides.failOn) throw new Error(name + ' failed');
    log.push(name);
  };
  const hardware = ['requestTap', 'powerUpSe', 'powerDownSe', 'endTap', 'flashGreen', 'flashRed', 'blinkRedTwice', 'buzz'] as const;
  const hardwareActions = Object.fromEntries(hardware.map((name) => [name, record(name)]));
  return createTableActor(paymentSessionTable, {
    actions: (name, context) => (hardwareActions[name] ? hardwareActions[name]() : paymentSessionUpdate(name as PaymentSessionUpdate, context)),
    guards: guardsByName({ buzzSafe: () => true, paid: () => true, declined: () => false }),
    delays: overrides.delays && delaysByName<typeof paymentSessionTable>(overrides.delays),
  });
}

/** A task actor whose every action records its name (the model's updates also apply). */
function recordingTask(log: string[]) {
  return createTableActor(taskTable, {
    actions: (name, context, event) => {
      log.push(name);
      if (TASK_UPDATES.includes(name)) taskUpdate(name as TaskUpdate, context, event);
    },
    guards: guardsByName({ canRetry: () => false }),
    delays: TASK_DELAYS,
  });
}

describe('a table actor', () => {
  it('is in its initial state before start, and runs entry actions only on start', () => {
    const log: string[] = [];
    const task = recordingTask(log);
    expect([task.st, task.value(), log]).toEqual(['idle', { pending: 'queued' }, []]);
    withGlobalTimers(new FakeClock(), () => task.start());
    expect([task.st, log]).toEqual(['active', ['registerTask', 'enqueue']]);
  });

  it('handles events sent before start after the initial entry, in order', () => {
    const log: string[] = [];
    const session = recordingPaymentSession(log);
    withGlobalTimers(new FakeClock(), () => {
      session.send({ type: 'FIELD_DETECTED' });
      session.send({ type: 'TAP_ADMITTED' });
      session.start();
    });
    expect(session.value()).toEqual('session');
    expect(log).toEqual(['requestTap', 'powerUpSe']);
  });

  it('changes its context only through the actions given for the model updates', () => {
    const session = recordingPaymentSession([]);
    const clock = new FakeClock();
    withGlobalTimers(clock, () => {
      session.start();
      session.send({ type: 'FIELD_DETECTED' });
      session.send({ type: 'TAP_REFUSED' });
    });
    expect(session.ctx).toEqual({ fail: 'brownout' });
  });

  it('takes a delay from the firmware over the one in setup()', () => {
    const clock = new FakeClock();
    const session = recordingPaymentSession([], { delays: { fieldLimitMs: 40 } });
    withGlobalTimers(clock, () => {
      session.start();
      session.send({ type: 'FIELD_DETECTED' });
      session.send({ type: 'TAP_ADMITTED' });
    });
    expect([session.value(), clock.pending()]).toEqual(['session', [40]]);
    withGlobalTimers(clock, () => clock.advanceToNext());
    expect([session.value(), session.ctx, clock.nowMs]).toEqual(['ready', { fail: 'failed' }, 40]);
  });

  it('goes to error when a timer needs a delay setup() computes with a function and the firmware does not answer it', () => {
    const task = createTableActor(taskTable, { actions: () => {}, guards: () => false, delays: (name, context) => (name === 'retryBackoffMs' ? taskDelay(name, context) : undefined) });
    expect(() => withGlobalTimers(new FakeClock(), () => task.start())).toThrow('task: no delay deadlineMs');
    expect(task.st).toBe('error');
  });

  it('starts from a context the firmware gives (a task with its own deadline)', () => {
    const clock = new FakeClock();
    const context = { runs: 0, max: 1, dlMs: 750, boMs: 100, retr: false };
    const actions = (name: TaskAction, context: TaskContext, event: TaskEvent | SystemEvent) => (TASK_UPDATES.includes(name) ? taskUpdate(name as TaskUpdate, context, event) : undefined);
    const task = createTableActor(taskTable, { actions, guards: () => false, delays: TASK_DELAYS, context });
    withGlobalTimers(clock, () => task.start());
    expect(clock.pending()).toEqual([750]);
    withGlobalTimers(clock, () => clock.advanceToNext());
    // A final child of the root: done, every timer gone, later events ignored.
    expect([task.value(), task.st, clock.pending()]).toEqual(['failed', 'done', []]);
    task.send({ type: 'ADMIT' });
    expect(task.value()).toBe('failed');
  });

  it('stops without exit actions, cancelling its timers, and ignores events afterwards', () => {
    const log: string[] = [];
    const clock = new FakeClock();
    const session = recordingPaymentSession(log);
    withGlobalTimers(clock, () => {
      session.start();
      session.send({ type: 'FIELD_DETECTED' });
      session.send({ type: 'TAP_ADMITTED' });
      log.length = 0;
      session.stop();
      session.send({ type: 'FIELD_LOST' });
    });
    expect([session.st, session.value(), log, clock.pending()]).toEqual(['stopped', 'session', [], []]);
  });

  it('goes to error when an action throws: rethrown, timers cancelled, nothing handled after', () => {
    const clock = new FakeClock();
    const session = recordingPaymentSession([], { failOn: 'powerUpSe' });
    withGlobalTimers(clock, () => {
      session.start();
      session.send({ type: 'FIELD_DETECTED' });
      expect(() => session.send({ type: 'TAP_ADMITTED' })).toThrow('powerUpSe failed');
      session.send({ type: 'TAP_DROPPED' });
    });
    expect([session.st, session.value(), clock.pending()]).toEqual(['error', 'admitting', []]);
  });

  it('with actions by name, skips an action not given and takes the transition (the power mode runs without the hardware actions an app leaves out)', () => {
    const log: string[] = [];
    const clock = new FakeClock();
    // Given requestTap only: powerUpSe, the admitted tap's action, is missing.
    const actions = actionsByName<PaymentSessionContext, PaymentSessionEvent, PaymentSessionAction>({ requestTap: () => log.push('requestTap') });
    const session = createTableActor(paymentSessionTable, { actions, guards: guardsByName({ buzzSafe: () => true, paid: () => true, declined: () => false }) });
    withGlobalTimers(clock, () => {
      session.start();
      session.send({ type: 'FIELD_DETECTED' });
      session.send({ type: 'TAP_ADMITTED' });
    });
    expect([session.st, session.value(), log, clock.pending().length]).toEqual(['active', 'session', ['requestTap'], 1]);
  });
});
