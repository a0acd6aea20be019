import { chargeFractionAt } from '../charge-curve';
import { DEFAULT_CONFIG } from '../scheduler-config';
import { createScheduler, type Scheduler, type SchedulerOptions, type TaskOutcome, type TaskSpec } from '../scheduler';
import { FakeBoard } from './fake-board';

// Shared by the scheduler's host tests: a scheduler on a fake board, the
// voltage that makes the estimator see a given charge, and tasks that record
// what happened to them. Test-only (see fake-board.ts for why it is ES5).

export interface Harness {
  board: FakeBoard;
  scheduler: Scheduler;
  /** One line per task event: `<name> run @<ms>`, `<name> done`, `<name> shed (shed)`, … */
  log: string[];
  /** Ends the scheduler and puts the global timers back. */
  close(): void;
}

export function startHarness(options: Partial<SchedulerOptions> = {}, board: FakeBoard = new FakeBoard()): Harness {
  board.install();
  const scheduler = createScheduler(Object.assign({ board: board }, options));
  const log: string[] = [];
  return {
    board: board,
    scheduler: scheduler,
    log: log,
    close: function () {
      scheduler.stop();
      board.uninstall();
    },
  };
}

/** Thresholds that never shed: admission and batching without the shedding rungs. */
export const NO_SHEDDING = { telP: -1, savP: -1, usrP: -1, resP: -1, hysP: 0 };

export const MIN = 60_000;

/** The battery voltage at which the estimator reads `percent` of the capacity (the tolerance added back). */
export function voltsFor(percent: number, toleranceV: number = DEFAULT_CONFIG.voltsToleranceV): number {
  let low = 3.0;
  let high = 4.2;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (chargeFractionAt(mid) * 100 < percent) low = mid;
    else high = mid;
  }
  return high + toleranceV;
}

export interface RecordedTask {
  spec: TaskSpec;
  /** How it ended, once it has. */
  outcome?: TaskOutcome;
  reason?: string;
  /** Board times (ms) of its runs. */
  runsAtMs: number[];
  /** Finishes the current run (for tasks made with `finishAfterMs` < 0). */
  finish?: (ok: boolean, retryable?: boolean) => void;
}

/**
 * A task that logs to the harness and records itself. `finishAfterMs`: its run
 * ends that long after it starts (0: at once, inside run; < 0: only when the
 * test calls `finish`). `ok` false fails it (retryable when `retryable`).
 */
export function recordedTask(
  harness: Harness,
  name: string,
  spec: Omit<TaskSpec, 'run' | 'onEnd'>,
  behaviour: { finishAfterMs?: number; ok?: boolean; retryable?: boolean; onRun?: () => void } = {},
): RecordedTask {
  const record: RecordedTask = { spec: undefined as unknown as TaskSpec, runsAtMs: [] };
  const finishAfterMs = behaviour.finishAfterMs === undefined ? 0 : behaviour.finishAfterMs;
  record.spec = Object.assign(Object.assign({}, spec), {
    run: function (done: (ok: boolean, retryable?: boolean) => void) {
      record.runsAtMs.push(harness.board.nowMs);
      harness.log.push(name + ' run @' + harness.board.nowMs);
      if (behaviour.onRun) behaviour.onRun();
      const ok = behaviour.ok !== false;
      if (finishAfterMs === 0) done(ok, behaviour.retryable);
      else if (finishAfterMs > 0) setTimeout(function () { done(ok, behaviour.retryable); }, finishAfterMs);
      else record.finish = done;
    },
    onEnd: function (outcome: TaskOutcome, reason: string) {
      record.outcome = outcome;
      record.reason = reason;
      harness.log.push(name + ' ' + outcome + (reason ? ' (' + reason + ')' : ''));
    },
  }) as TaskSpec;
  return record;
}
