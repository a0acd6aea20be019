import { setup } from 'xstate';
import { fromUpdate } from './authoring/from-update';
import { paymentSessionUpdates as updates, type PaymentSessionContext, type PaymentSessionEvent } from '../payment-session.model';

// One tap, from the reader's field to the wearer's feedback, as the strap
// runs it on its pins (payments/payment-session.ts). Host side only: the
// build lowers it to tables/payment-session.table.ts for the strap.
//
// Events (payment-session.model.ts): FIELD_DETECTED, FIELD_LOST (the NFC
// controller's IRQ line), TAP_ADMITTED, TAP_REFUSED, TAP_DROPPED (the
// scheduler's answer to the tap's payment task, sent by requestTap).
//
// ready ─FIELD_DETECTED→ admitting ─TAP_ADMITTED→ session ─FIELD_LOST→ completed
//                        admitting ─TAP_REFUSED→ refused   session ─after fieldLimitMs→ failed
//                        admitting ─TAP_DROPPED→ ready
// completed ─[buzzSafe] / buzz→ ready;  completed | failed | refused → ready at once:
// the next field starts the next tap.

export const paymentSessionMachine = setup({
  types: {
    context: {} as PaymentSessionContext,
    events: {} as PaymentSessionEvent,
  },
  actions: {
    // Context updates (payment-session.model.ts).
    recordCompletion: fromUpdate(updates.recordCompletion),
    recordFailure: fromUpdate(updates.recordFailure),
    recordRefusal: fromUpdate(updates.recordRefusal),
    // The world: stubs here, supplied by the firmware on the strap.
    /** The power mode hears the field (activity); the tap's payment task is submitted, and the scheduler answers TAP_ADMITTED, TAP_REFUSED or TAP_DROPPED. */
    requestTap: () => {},
    /** The SE's power, and LED3 showing it. */
    powerUpSe: () => {},
    powerDownSe: () => {},
    /** Ends the payment task (done or failed: the scheduler counts its charge spent and queues a paid tap's notice), then the `[tap]` line, the `tap` event and the power report. */
    endTap: () => {},
    flashGreen: () => {},
    flashRed: () => {},
    blinkRedTwice: () => {},
    buzz: () => {},
  },
  guards: {
    // Supplied by the firmware: the brownout guard for the motor's peak
    // current (issue 3: the cell must carry it, or the wearer gets no buzz).
    buzzSafe: () => true,
  },
  delays: {
    /** The SE is powered for as long as the field stays, at most this: under the payment task's 3 s deadline, so the session always powers it down. */
    fieldLimitMs: 2500,
  },
}).createMachine({
  id: 'paymentSession',
  context: { lastFailure: '' },
  initial: 'ready',
  states: {
    ready: {
      on: {
        FIELD_DETECTED: 'admitting',
      },
    },
    admitting: {
      entry: 'requestTap',
      on: {
        TAP_ADMITTED: 'session',
        TAP_REFUSED: { target: 'refused', actions: 'recordRefusal' },
        TAP_DROPPED: 'ready',
      },
    },
    session: {
      entry: 'powerUpSe',
      exit: 'powerDownSe',
      after: { fieldLimitMs: { target: 'failed', actions: 'recordFailure' } },
      on: {
        // On pins the field going is the end of a paid tap (the SE's transaction event comes with the NCI driver).
        FIELD_LOST: { target: 'completed', actions: 'recordCompletion' },
      },
    },
    completed: {
      entry: ['endTap', 'flashGreen'],
      always: [{ guard: 'buzzSafe', target: 'ready', actions: 'buzz' }, { target: 'ready' }],
    },
    failed: {
      entry: ['endTap', 'flashRed'],
      always: 'ready',
    },
    refused: {
      entry: ['endTap', 'blinkRedTwice'],
      always: 'ready',
    },
  },
});
