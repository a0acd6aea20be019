import { setup } from 'xstate';
import { fromUpdate } from './authoring/from-update';
import { paymentSessionUpdate as update, type PaymentSessionContext, type PaymentSessionEvent } from '../payment-session.model';

// One tap, from the reader's field to the wearer's feedback, as the strap
// sees it from the NFC controller's notifications while card emulation is on
// (payments/payment-session.ts). The tap itself runs reader → controller →
// SE without the firmware. Host side only: the build lowers it to
// tables/payment-session.table.ts for the strap.
//
// Events (payment-session.model.ts): FIELD_DETECTED, FIELD_LOST (the
// controller's RF_FIELD_INFO_NTF), TAP_ADMITTED, TAP_REFUSED, TAP_DROPPED (the
// scheduler's answer to the tap's payment task, sent by requestTap).
// Guards from the firmware: paid (the SE reported an ARQC during the field),
// declined (it reported an AAC).
//
// ready ─FIELD_DETECTED→ admitting ─TAP_ADMITTED→ session ─FIELD_LOST [paid]→ completed
//                        admitting ─TAP_REFUSED→ refused   session ─FIELD_LOST [declined]→ failed (declined)
//                        admitting ─TAP_DROPPED→ ready     session ─FIELD_LOST→ failed (no transaction)
//                                                          session ─after fieldLimitMs→ failed
// completed ─[buzzSafe] / buzz→ ready;  completed | failed | refused → ready at once:
// the next field starts the next tap.

export const paymentSessionMachine = setup({
  types: {
    context: {} as PaymentSessionContext,
    events: {} as PaymentSessionEvent,
  },
  actions: {
    // Context updates (payment-session.model.ts).
    recordCompletion: fromUpdate((context: PaymentSessionContext) => update('recordCompletion', context)),
    recordFailure: fromUpdate((context: PaymentSessionContext) => update('recordFailure', context)),
    recordRefusal: fromUpdate((context: PaymentSessionContext) => update('recordRefusal', context)),
    recordDecline: fromUpdate((context: PaymentSessionContext) => update('recordDecline', context)),
    // The world: stubs here, supplied by the firmware on the strap.
    /** The power mode hears the field (activity); the tap's payment task is submitted, and the scheduler answers TAP_ADMITTED, TAP_REFUSED or TAP_DROPPED. */
    requestTap: () => {},
    /** LED3 while the session holds the tap's payment task (card emulation powers the SE itself). */
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
    // Supplied by the firmware: what the SE's transaction event (RF_NFCEE_ACTION_NTF) said during this field.
    paid: () => false,
    declined: () => false,
  },
  delays: {
    /** The SE is powered for as long as the field stays, at most this: under the payment task's 3 s deadline, so the session always powers it down. */
    fieldLimitMs: 2500,
  },
}).createMachine({
  id: 'paymentSession',
  context: { fail: '' },
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
        FIELD_LOST: [
          { guard: 'paid', target: 'completed', actions: 'recordCompletion' },
          { guard: 'declined', target: 'failed', actions: 'recordDecline' },
          { target: 'failed', actions: 'recordFailure' },
        ],
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
