import type { ContextDelays, ContextGuards, ContextUpdates } from './table';

// A scheduled task's context, events, guards, delays and context updates:
// shared by the xstate machine (task-lifecycle.machine.ts) and the firmware's
// scheduler, which runs one table actor per task.

export interface TaskContext {
  /** Runs started so far. */
  attempts: number;
  maxAttempts: number;
  /** From creation to giving up, whatever state the task is in. */
  deadlineMs: number;
  /** The wait before the first retry; doubles for each further one. */
  backoffMs: number;
  /** What the last failed run said (a timeout counts as retryable). */
  lastFailureRetryable: boolean;
}

export type TaskEvent =
  /** The scheduler admitted the task: its energy estimate fits the budget above the payment reserve. */
  | { type: 'ADMIT' }
  /** The scheduler took the budget back (a higher class needs it). */
  | { type: 'REVOKE' }
  /** The task's window opened (radio work is batched into windows). */
  | { type: 'START' }
  | { type: 'PROGRESS' }
  | { type: 'SUCCEED' }
  | { type: 'FAIL'; retryable: boolean }
  /** The task's class is shed (the cell fell below its threshold). */
  | { type: 'SHED' }
  | { type: 'CANCEL' };

export type TaskUpdate = 'countAttempt' | 'rememberFailure' | 'rememberTimeout';
export type TaskGuard = 'canRetry';
export type TaskDelay = 'deadlineMs' | 'retryBackoffMs';

export const taskUpdates: ContextUpdates<TaskContext, TaskEvent, TaskUpdate> = {
  countAttempt: (context) => {
    context.attempts++;
  },
  rememberFailure: (context, event) => {
    context.lastFailureRetryable = event.type === 'FAIL' && event.retryable;
  },
  rememberTimeout: (context) => {
    context.lastFailureRetryable = true;
  },
};

export const taskGuards: ContextGuards<TaskContext, TaskEvent, TaskGuard> = {
  canRetry: (context) => context.lastFailureRetryable && context.attempts < context.maxAttempts,
};

export const taskDelays: ContextDelays<TaskContext, TaskEvent, TaskDelay> = {
  deadlineMs: (context) => context.deadlineMs,
  // attempts ≥ 1 here: the backoff follows a run.
  retryBackoffMs: (context) => context.backoffMs * Math.pow(2, context.attempts - 1),
};
