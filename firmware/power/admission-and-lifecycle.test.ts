import { afterEach, describe, expect, it } from 'vitest';
import { TAP_UAS } from './energy-figures';
import { PAYMENT, SECURITY, SYNC, TELEMETRY, USER_FACING } from './task-classes';
import { FakeBoard } from './testing/fake-board';
import { type Harness, MIN, NO_SHEDDING, recordedTask, startHarness, voltsFor } from './testing/scheduler-harness';

// Admission, priority and each task's way through the task-lifecycle
// statechart (one table actor per task): retries, deadlines, failures,
// the task limit, shipping mode, and what "payments left" counts.


let harness: Harness | undefined;
afterEach(() => {
  harness?.close();
  harness = undefined;
});

describe('admission', () => {
  it('starts work that needs no radio at once, and keeps lower classes behind a more important task that does not fit', () => {
    const board = new FakeBoard();
    board.volts = voltsFor(3);
    harness = startHarness({ config: { baselineUa: 0 }, thresholds: NO_SHEDDING }, board);
    const spendable = harness.scheduler.spendableUas();
    const blocker = recordedTask(harness, 'security', { cls: SECURITY, energyUas: spendable + 1, deadlineMs: 2 * MIN, radio: false });
    const small = recordedTask(harness, 'telemetry', { cls: TELEMETRY, energyUas: 100, deadlineMs: 10 * MIN, radio: false });
    expect(harness.scheduler.submit(blocker.spec)).toBe('');
    expect(harness.scheduler.submit(small.spec)).toBe('');
    expect(harness.log).toEqual([]);
    // Once the more important task gives up (its deadline), the small one goes.
    harness.board.advance(3 * MIN);
    expect(harness.log).toEqual(['security failed (deadline)', 'telemetry run @120000', 'telemetry done']);
  });

  it('retries a retryable failure after a backoff that doubles, then reports the failure', () => {
    harness = startHarness();
    const flaky = recordedTask(harness, 'flaky', { cls: USER_FACING, energyUas: 100, deadlineMs: 10 * MIN, radio: false, maxAttempts: 3, backoffMs: 1000 }, { ok: false, retryable: true });
    harness.scheduler.submit(flaky.spec);
    harness.board.advance(MIN);
    expect(flaky.runsAtMs).toEqual([0, 1000, 3000]);
    expect([flaky.outcome, flaky.reason]).toEqual(['failed', 'failed']);
  });

  it('counts a run that never answers as a retryable failure after its timeout', () => {
    harness = startHarness();
    const silent = recordedTask(harness, 'silent', { cls: USER_FACING, energyUas: 100, deadlineMs: 10 * MIN, radio: false, maxAttempts: 2, backoffMs: 1000, timeoutMs: 2000 }, { finishAfterMs: -1 });
    harness.scheduler.submit(silent.spec);
    harness.board.advance(MIN);
    expect(silent.runsAtMs).toEqual([0, 3000]);
    expect(silent.outcome).toBe('failed');
  });

  it('gives a run that never answers 10 s when its spec sets no timeout', () => {
    harness = startHarness();
    const silent = recordedTask(harness, 'silent', { cls: USER_FACING, energyUas: 100, deadlineMs: 10 * MIN, radio: false, maxAttempts: 2, backoffMs: 1000 }, { finishAfterMs: -1 });
    harness.scheduler.submit(silent.spec);
    harness.board.advance(MIN);
    expect(silent.runsAtMs).toEqual([0, 11_000]);
    expect(silent.outcome).toBe('failed');
  });

  it('fails a task whose run throws, without leaving its charge held', () => {
    harness = startHarness({ config: { baselineUa: 0 } });
    const before = harness.scheduler.remainingUas();
    const broken = recordedTask(harness, 'broken', { cls: USER_FACING, energyUas: 700, deadlineMs: MIN, radio: false }, { onRun: () => { throw new Error('driver fault'); } });
    expect(harness.scheduler.submit(broken.spec)).toBe('');
    expect([broken.outcome, harness.scheduler.status().tasks]).toEqual(['failed', 0]);
    // What it was going to use is counted as spent: the run did start.
    expect(before - harness.scheduler.remainingUas()).toBeCloseTo(700, 6);
  });

  it('takes at most maxTasks live tasks, but always a payment', () => {
    harness = startHarness({ config: { maxTasks: 2 } });
    const waiting = (name: string, cls: 0 | 3) => recordedTask(harness!, name, { cls, energyUas: 100, deadlineMs: 60 * MIN, radio: true }).spec;
    expect([waiting('a', SYNC), waiting('b', SYNC), waiting('c', SYNC), waiting('tap notice', PAYMENT)].map((spec) => harness!.scheduler.submit(spec))).toEqual(['', '', 'full', '']);
    expect(harness.scheduler.status().tasks).toBe(3);
  });

  it('sheds everything queued in shipping mode, refuses new work, and takes it again once powered on', () => {
    harness = startHarness();
    const sync = recordedTask(harness, 'sync', { cls: SYNC, energyUas: 100, deadlineMs: 60 * MIN, radio: true });
    harness.scheduler.submit(sync.spec);
    harness.scheduler.power.send({ type: 'POWER_OFF' });
    harness.board.advance(1);
    expect([sync.outcome, sync.reason]).toEqual(['shed', 'off']);
    expect(harness.scheduler.submit(recordedTask(harness, 'tap', { cls: PAYMENT, energyUas: 100, deadlineMs: 1000, radio: false }).spec)).toBe('off');
    harness.scheduler.power.send({ type: 'POWER_ON' });
    expect(harness.scheduler.submit(recordedTask(harness, 'tap', { cls: PAYMENT, energyUas: 100, deadlineMs: 1000, radio: false }).spec)).toBe('');
  });
});

describe('payments left', () => {
  it('falls by one per tap, and counts what running work holds as spent', () => {
    harness = startHarness({ config: { baselineUa: 0 } });
    const start = harness.scheduler.paymentsLeft();
    for (let i = 0; i < 3; i++) harness.scheduler.submit(recordedTask(harness, 'tap ' + i, { cls: PAYMENT, energyUas: TAP_UAS, deadlineMs: 3000, radio: false, se: true }).spec);
    expect(harness.scheduler.paymentsLeft()).toBe(start - 3);
    const long = recordedTask(harness, 'long', { cls: USER_FACING, energyUas: 2 * TAP_UAS, deadlineMs: MIN, radio: false }, { finishAfterMs: -1 });
    harness.scheduler.submit(long.spec);
    expect(harness.scheduler.paymentsLeft()).toBe(start - 5);
    long.finish!(true);
    expect(harness.scheduler.paymentsLeft()).toBe(start - 5);
  });
});
