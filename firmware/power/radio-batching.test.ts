import { afterEach, describe, expect, it } from 'vitest';
import { WINDOW_OVERHEAD_UAS } from './energy-figures';
import { RESERVE_TAPS } from './scheduler-config';
import { PAYMENT, SYNC, TELEMETRY, USER_FACING } from './task-classes';
import { FakeBoard } from './testing/fake-board';
import { type Harness, MIN, NO_SHEDDING, recordedTask, startHarness, voltsFor } from './testing/scheduler-harness';

// Radio work waits for a window (every 15 min by default, or sooner when a
// queued radio task's deadline needs it); a window pays its wake/connect
// overhead once and runs the queued radio tasks one after another, most
// important first.


let harness: Harness | undefined;
afterEach(() => {
  harness?.close();
  harness = undefined;
});

/** No baseline drain, so that the estimate moves only by what the scheduler charges. */
function exactHarness(): Harness {
  return startHarness({ config: { baselineUa: 0 } });
}

/**
 * A nearly empty cell (3 %), no shedding, no baseline: what tasks spend here
 * stays within the estimator's recalibration band (5 % of the capacity), so
 * the fake's fixed voltage does not read as a charger.
 */
function lowCellHarness(): Harness {
  const board = new FakeBoard();
  board.volts = voltsFor(3);
  return startHarness({ config: { baselineUa: 0 }, thresholds: NO_SHEDDING }, board);
}

describe('radio windows', () => {
  it('hold radio tasks until the next window, then run them in one batch, most important first, paying the overhead once', () => {
    harness = exactHarness();
    const before = harness.scheduler.remainingUas();
    const sync = recordedTask(harness, 'sync', { cls: SYNC, energyUas: 3000, deadlineMs: 60 * MIN, radio: true }, { finishAfterMs: 1000 });
    const telemetry = recordedTask(harness, 'telemetry', { cls: TELEMETRY, energyUas: 100, deadlineMs: 60 * MIN, radio: true }, { finishAfterMs: 1000 });
    const notice = recordedTask(harness, 'notice', { cls: USER_FACING, energyUas: 100, deadlineMs: 60 * MIN, radio: true }, { finishAfterMs: 1000 });
    const led = recordedTask(harness, 'led', { cls: USER_FACING, energyUas: 50, deadlineMs: MIN, radio: false });
    harness.scheduler.submit(sync.spec);
    harness.board.advance(MIN);
    harness.scheduler.submit(telemetry.spec);
    harness.board.advance(MIN);
    harness.scheduler.submit(notice.spec);
    harness.scheduler.submit(led.spec);
    harness.board.advance(20 * MIN);
    expect(harness.log).toEqual([
      'led run @120000', 'led done',
      'notice run @900000', 'notice done',
      'sync run @901000', 'sync done',
      'telemetry run @902000', 'telemetry done',
    ]);
    expect(before - harness.scheduler.remainingUas()).toBeCloseTo(3000 + 100 + 100 + 50 + WINDOW_OVERHEAD_UAS, 6);
  });

  it('take in radio work submitted while the window is open, without a second overhead', () => {
    harness = exactHarness();
    const before = harness.scheduler.remainingUas();
    const late = recordedTask(harness, 'late', { cls: TELEMETRY, energyUas: 100, deadlineMs: 60 * MIN, radio: true });
    const sync = recordedTask(harness, 'sync', { cls: SYNC, energyUas: 3000, deadlineMs: 60 * MIN, radio: true }, { finishAfterMs: 2000, onRun: () => harness!.scheduler.submit(late.spec) });
    harness.scheduler.submit(sync.spec);
    harness.board.advance(16 * MIN);
    expect(harness.log).toEqual(['sync run @900000', 'sync done', 'late run @902000', 'late done']);
    expect(before - harness.scheduler.remainingUas()).toBeCloseTo(3000 + 100 + WINDOW_OVERHEAD_UAS, 6);
  });

  it('open early when a queued task would otherwise miss its deadline, and batch what is waiting into it', () => {
    harness = exactHarness();
    const sync = recordedTask(harness, 'sync', { cls: SYNC, energyUas: 3000, deadlineMs: 60 * MIN, radio: true });
    const urgent = recordedTask(harness, 'urgent', { cls: TELEMETRY, energyUas: 100, deadlineMs: 4 * MIN, radio: true });
    harness.scheduler.submit(sync.spec);
    harness.board.advance(MIN);
    harness.scheduler.submit(urgent.spec);
    harness.board.advance(30 * MIN);
    // Due at 1 min + 4 min − the 5 s lead.
    expect(harness.log).toEqual(['sync run @295000', 'sync done', 'urgent run @295000', 'urgent done']);
  });

  it('are not opened when the overhead and the first task do not fit above the payment reserve; the task fails at its deadline', () => {
    harness = lowCellHarness();
    const spendable = harness.scheduler.spendableUas();
    const tooBig = recordedTask(harness, 'too big', { cls: SYNC, energyUas: spendable - WINDOW_OVERHEAD_UAS + 1, deadlineMs: 30 * MIN, radio: true });
    harness.scheduler.submit(tooBig.spec);
    harness.board.advance(60 * MIN);
    expect(harness.log).toEqual(['too big failed (deadline)']);
    const fits = recordedTask(harness, 'fits', { cls: SYNC, energyUas: spendable - WINDOW_OVERHEAD_UAS, deadlineMs: 30 * MIN, radio: true });
    harness.scheduler.submit(fits.spec);
    harness.board.advance(30 * MIN);
    expect(fits.outcome).toBe('done');
    expect(harness.scheduler.spendableUas()).toBeCloseTo(0, 6);
  });

  it('are opened for a payment notice even when nothing is left above the reserve', () => {
    harness = lowCellHarness();
    const spendAll = recordedTask(harness, 'spend all', { cls: USER_FACING, energyUas: harness.scheduler.spendableUas(), deadlineMs: MIN, radio: false });
    harness.scheduler.submit(spendAll.spec);
    const paymentsLeft = harness.scheduler.paymentsLeft();
    const notice = recordedTask(harness, 'notice', { cls: PAYMENT, energyUas: 100, deadlineMs: MIN, radio: true });
    const sync = recordedTask(harness, 'sync', { cls: SYNC, energyUas: 3000, deadlineMs: 2 * MIN, radio: true });
    harness.scheduler.submit(notice.spec);
    harness.scheduler.submit(sync.spec);
    harness.board.advance(5 * MIN);
    expect(harness.log).toEqual(['spend all run @0', 'spend all done', 'notice run @55000', 'notice done', 'sync failed (deadline)']);
    expect(paymentsLeft).toBe(RESERVE_TAPS);
  });
});
