import type { TaskClass } from './task-classes';

// What the app submits to the scheduler, and what it hears back.

export interface TaskSpec {
  cls: TaskClass;
  /** The task's charge estimate; counted as spent when it succeeds, fails or times out. */
  energyUas: number;
  /** From submission to giving up, whatever the task is doing (the lifecycle's deadline). */
  deadlineMs: number;
  /** Needs the BLE link: waits for a radio window. */
  radio: boolean;
  /** Powers the secure element: the brownout guard runs before each start. */
  se?: boolean;
  /** Peak current while it runs; default the SE's (energy-figures.ts SE_PEAK_MA). */
  peakMa?: number;
  /** Runs at most (default 3); a failure must say it is retryable for another. */
  maxAttempts?: number;
  /** Wait before the first retry, doubled after each (default 5 s). */
  backoffMs?: number;
  /** A run that has not called done() by then counts as a retryable failure (default 10 s). */
  timeoutMs?: number;
  /** The work. Call done(true) on success, done(false, retryable) on failure; late calls are ignored. */
  run(done: (ok: boolean, retryable?: boolean) => void): void;
  /** How the task ended, and why when it did not succeed. */
  onEnd?(outcome: TaskOutcome, reason: string): void;
}

export type TaskOutcome = 'done' | 'failed' | 'shed' | 'refused';

/** Why a task was not taken ('' when it was): shipping mode, its class is shed, too many tasks, or an SE operation the cell cannot carry. */
export type Refusal = '' | 'off' | 'shed' | 'full' | 'brownout';
