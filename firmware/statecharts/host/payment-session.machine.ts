import { setup } from 'xstate';
import { fromUpdate } from './authoring/from-update';
import { paymentSessionUpdates as updates, type PaymentSessionContext, type PaymentSessionEvent } from './payment-session.model';

// One tap, from the reader's field to the wearer's feedback. Host side only:
// the build lowers it to tables/payment-session.table.ts for the strap.
//
// Events (payment-session.model.ts): FIELD_DETECTED, FIELD_LOST, SE_SELECTED,
// SE_ERROR, APDU_EXCHANGED, TRANSACTION_COMPLETED, TRANSACTION_DECLINED.
//
// ready ─FIELD_DETECTED [seOperationSafe]→ session.selectingSe ─SE_SELECTED→ transacting
//       ─FIELD_DETECTED (otherwise)→ refused           transacting ─TRANSACTION_COMPLETED→ completed
// transacting ─FIELD_LOST→ fieldLost (grace: the wrist wobbles) ─FIELD_DETECTED→ transacting
// completed | failed | timedOut | refused ─after feedbackMs→ ready

export const paymentSessionMachine = setup({
  types: {
    context: {} as PaymentSessionContext,
    events: {} as PaymentSessionEvent,
  },
  actions: {
    // Context updates (payment-session.model.ts).
    recordCompletion: fromUpdate(updates.recordCompletion),
    recordDecline: fromUpdate(updates.recordDecline),
    recordSeError: fromUpdate(updates.recordSeError),
    recordFieldLost: fromUpdate(updates.recordFieldLost),
    recordTimeout: fromUpdate(updates.recordTimeout),
    recordRefusal: fromUpdate(updates.recordRefusal),
    // Hardware: stubs here, supplied by the firmware on the strap.
    armFieldDetector: () => {},
    powerUpSe: () => {},
    powerDownSe: () => {},
    routeFieldToSe: () => {},
    showProcessing: () => {},
    pulseIndicator: () => {},
    clearIndicator: () => {},
    hapticSuccess: () => {},
    hapticFailure: () => {},
    hapticLowPower: () => {},
    notifyPhone: () => {},
  },
  guards: {
    // Supplied by the firmware: the payment reserve holds and the cell's
    // modelled terminal voltage under the SE's peak current stays above
    // brownout (issue 3: an SE operation never starts otherwise).
    seOperationSafe: () => true,
  },
  delays: {
    /** The SE must be selected this soon after the field (the reader is already waiting). */
    seSelectTimeoutMs: 500,
    /** A whole tap; readers give up well before this. */
    sessionTimeoutMs: 3000,
    /** The field may drop briefly while the wrist moves; the reader re-polls. */
    fieldLostGraceMs: 300,
    /** How long feedback (haptic, LED) holds before the next tap is taken. */
    feedbackMs: 1500,
  },
}).createMachine({
  id: 'paymentSession',
  context: { completedTaps: 0, failedTaps: 0, lastFailure: 'none' },
  initial: 'ready',
  states: {
    ready: {
      entry: 'armFieldDetector',
      on: {
        FIELD_DETECTED: [{ guard: 'seOperationSafe', target: 'session' }, { target: 'refused', actions: 'recordRefusal' }],
      },
    },
    session: {
      initial: 'selectingSe',
      entry: ['powerUpSe', 'showProcessing'],
      exit: ['powerDownSe', 'clearIndicator'],
      after: { sessionTimeoutMs: { target: 'timedOut', actions: 'recordTimeout' } },
      on: {
        FIELD_LOST: { target: 'failed', actions: 'recordFieldLost' },
      },
      states: {
        selectingSe: {
          entry: 'routeFieldToSe',
          after: { seSelectTimeoutMs: { target: '#paymentSession.failed', actions: 'recordSeError' } },
          on: {
            SE_SELECTED: 'transacting',
            SE_ERROR: { target: '#paymentSession.failed', actions: 'recordSeError' },
          },
        },
        transacting: {
          on: {
            APDU_EXCHANGED: { actions: 'pulseIndicator' },
            TRANSACTION_COMPLETED: { target: '#paymentSession.completed', actions: 'recordCompletion' },
            TRANSACTION_DECLINED: { target: '#paymentSession.failed', actions: 'recordDecline' },
            // Overrides the session's FIELD_LOST: mid-transaction the SE keeps its state for a moment.
            FIELD_LOST: 'fieldLost',
          },
        },
        fieldLost: {
          after: { fieldLostGraceMs: { target: '#paymentSession.failed', actions: 'recordFieldLost' } },
          on: {
            FIELD_DETECTED: 'transacting',
          },
        },
      },
    },
    completed: {
      entry: ['hapticSuccess', 'notifyPhone'],
      after: { feedbackMs: 'ready' },
    },
    failed: {
      entry: ['hapticFailure', 'notifyPhone'],
      after: { feedbackMs: 'ready' },
    },
    timedOut: {
      entry: ['hapticFailure', 'notifyPhone'],
      after: { feedbackMs: 'ready' },
    },
    refused: {
      entry: ['hapticLowPower', 'notifyPhone'],
      after: { feedbackMs: 'ready' },
    },
  },
});
