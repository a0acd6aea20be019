import type { SystemEvent } from './table';

// A scheduled task's context, events, guards, delays and context updates:
// shared by the xstate machine (task-lifecycle.machine.ts) and the firmware's
// scheduler, which runs one table actor per task.

// Keys of four characters at most: the firmware keeps one context per live
// task in Espruino's RAM, and a longer key costs more variables.
export interface TaskContext {
  /** Runs started so far (attempts). */
  runs: number;
  /** Runs at most (max attempts). */
  max: number;
  /** Deadline (ms): from creation to giving up, whatever state the task is in. */
  dlMs: number;
  /** Backoff (ms): the wait before the first retry; doubles for each further one. */
  boMs: number;
  /** Whether the last failed run said it may be retried (a timeout counts as retryable). */
  retr: boolean;
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

/** The task machine's context updates by action name, as the table runtime calls them. */
export function taskUpdate(name: TaskUpdate, context: TaskContext, event: TaskEvent | SystemEvent): void {
  if (name === 'countAttempt') context.runs++;
  else context.retr = name === 'rememberTimeout' || (event.type === 'FAIL' && event.retryable);
}

/** The task machine's guard (its one: canRetry). */
export function taskGuard(_name: TaskGuard, context: TaskContext): boolean {
  return context.retr && context.runs < context.max;
}

/** The task machine's computed delays by name: the deadline, and the backoff doubling with each attempt. */
export function taskDelay(name: TaskDelay, context: TaskContext): number {
  return name === 'deadlineMs' ? context.dlMs : context.boMs * Math.pow(2, context.runs - 1);
}
