import type { ContextUpdates } from './table';

// The payment session's context, events and context updates: shared by the
// xstate machine (payment-session.machine.ts) and the firmware, which passes
// the updates to the table runtime as those actions.
//
// The strap never sees the payment itself: the reader's ISO 14443-4 APDUs go
// antenna → NFC controller → secure element. The firmware sees the NFC
// controller's notifications (RF field, the SE being selected, the SE's
// transaction event) and decides whether the SE may be powered at all.

export type PaymentFailure = 'none' | 'se-error' | 'declined' | 'field-lost' | 'timeout' | 'refused';

export interface PaymentSessionContext {
  /** Taps the SE completed (it answered GENERATE AC with a TC or ARQC) since boot. */
  completedTaps: number;
  /** Taps that failed, timed out or were refused since boot. */
  failedTaps: number;
  lastFailure: PaymentFailure;
}

export type PaymentSessionEvent =
  /** The NFC controller reports a reader's field (and the reader activating the strap). */
  | { type: 'FIELD_DETECTED' }
  /** The reader's field is gone. */
  | { type: 'FIELD_LOST' }
  /** The reader selected a payment application on the SE (the controller routed the SELECT to it). */
  | { type: 'SE_SELECTED' }
  /** The SE or its I2C link failed (T=1 error, no answer to the routing). */
  | { type: 'SE_ERROR' }
  /** An APDU went through (the controller's activity report): the session is alive. */
  | { type: 'APDU_EXCHANGED' }
  /** The SE's transaction event: it produced the online or offline approval cryptogram (EMV Book 3, GENERATE AC: ARQC or TC). */
  | { type: 'TRANSACTION_COMPLETED' }
  /** The SE declined offline (GENERATE AC answered with an AAC). */
  | { type: 'TRANSACTION_DECLINED' };

export type PaymentSessionUpdate = 'recordCompletion' | 'recordDecline' | 'recordSeError' | 'recordFieldLost' | 'recordTimeout' | 'recordRefusal';

export const paymentSessionUpdates: ContextUpdates<PaymentSessionContext, PaymentSessionEvent, PaymentSessionUpdate> = {
  recordCompletion: (context) => {
    context.completedTaps++;
    context.lastFailure = 'none';
  },
  recordDecline: (context) => fail(context, 'declined'),
  recordSeError: (context) => fail(context, 'se-error'),
  recordFieldLost: (context) => fail(context, 'field-lost'),
  recordTimeout: (context) => fail(context, 'timeout'),
  recordRefusal: (context) => fail(context, 'refused'),
};

function fail(context: PaymentSessionContext, reason: PaymentFailure): void {
  context.failedTaps++;
  context.lastFailure = reason;
}
