import { setup } from 'xstate';
import { fromUpdate } from './authoring/from-update';
import { taskDelay as delay, taskGuard as guard, taskUpdate as update, type TaskContext, type TaskEvent } from '../task-lifecycle.model';

// One scheduled task, from queued to its end. Host side only: the build
// lowers it to tables/task-lifecycle.table.ts; the scheduler runs one table
// actor per task.
//
// Events (task-lifecycle.model.ts): ADMIT, REVOKE, START, PROGRESS, SUCCEED,
// FAIL { retryable }, SHED, CANCEL.
//
// pending: queued ─ADMIT→ budgeted.admitted ─START→ budgeted.running ─SUCCEED→ done
//          running ─FAIL / after runTimeoutMs→ judging ─[canRetry]→ backoff ─after→ queued
//                                                      ─otherwise→ failed
//          budgeted ─REVOKE→ queued;  admitted ─after windowWaitMs→ queued (missed the window)
// pending ─after deadlineMs→ failed;  pending ─SHED | CANCEL→ shed
// done, failed, shed are final: the actor is done (and runs the root's exit).

export const taskMachine = setup({
  types: {
    context: {} as TaskContext,
    events: {} as TaskEvent,
  },
  actions: {
    countAttempt: fromUpdate((context: TaskContext, event) => update('countAttempt', context, event)),
    rememberFailure: fromUpdate((context: TaskContext, event) => update('rememberFailure', context, event)),
    rememberTimeout: fromUpdate((context: TaskContext, event) => update('rememberTimeout', context, event)),
    // The scheduler's side: stubs here, supplied by the firmware on the strap.
    registerTask: () => {},
    unregisterTask: () => {},
    enqueue: () => {},
    dequeue: () => {},
    reserveEnergy: () => {},
    releaseReservation: () => {},
    beginWork: () => {},
    endWork: () => {},
    noteProgress: () => {},
    chargeEnergy: () => {},
    noteWindowMissed: () => {},
    reportDone: () => {},
    reportFailed: () => {},
    reportShed: () => {},
  },
  guards: {
    canRetry: ({ context }) => guard('canRetry', context),
  },
  delays: {
    deadlineMs: ({ context }) => delay('deadlineMs', context),
    retryBackoffMs: ({ context }) => delay('retryBackoffMs', context),
    /** An admitted task whose window does not open in time goes back to the queue, freeing its reservation. */
    windowWaitMs: 2_000,
    /** A run that neither succeeds nor fails by then counts as a retryable failure. */
    runTimeoutMs: 10_000,
  },
}).createMachine({
  id: 'task',
  context: { runs: 0, max: 3, dlMs: 60_000, boMs: 5_000, retr: false },
  initial: 'pending',
  entry: 'registerTask',
  // Runs when the task reaches done, failed or shed: xstate exits every state when a machine finishes.
  exit: 'unregisterTask',
  states: {
    pending: {
      initial: 'queued',
      after: { deadlineMs: 'failed' },
      on: {
        SHED: 'shed',
        CANCEL: 'shed',
      },
      states: {
        queued: {
          entry: 'enqueue',
          exit: 'dequeue',
          on: { ADMIT: 'budgeted' },
        },
        budgeted: {
          initial: 'admitted',
          entry: 'reserveEnergy',
          exit: 'releaseReservation',
          on: { REVOKE: 'queued' },
          states: {
            admitted: {
              after: { windowWaitMs: { target: '#task.pending.queued', actions: 'noteWindowMissed' } },
              on: { START: 'running' },
            },
            running: {
              entry: ['countAttempt', 'beginWork'],
              exit: 'endWork',
              after: { runTimeoutMs: { target: '#task.pending.judging', actions: ['chargeEnergy', 'rememberTimeout'] } },
              on: {
                PROGRESS: { actions: 'noteProgress' },
                SUCCEED: { target: '#task.done', actions: 'chargeEnergy' },
                FAIL: { target: '#task.pending.judging', actions: ['chargeEnergy', 'rememberFailure'] },
              },
            },
          },
        },
        judging: {
          always: [{ guard: 'canRetry', target: 'backoff' }, { target: '#task.failed' }],
        },
        backoff: {
          after: { retryBackoffMs: 'queued' },
        },
      },
    },
    done: { type: 'final', entry: 'reportDone' },
    failed: { type: 'final', entry: 'reportFailed' },
    shed: { type: 'final', entry: 'reportShed' },
  },
});
