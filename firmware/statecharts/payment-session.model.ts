// The payment session's context, events and context updates: shared by the
// xstate machine (host/payment-session.machine.ts) and the firmware
// (payments/payment-session.ts), which passes the updates to the table
// runtime as those actions.
//
// The strap never sees the payment itself: the reader's ISO 14443-4 APDUs go
// antenna → NFC controller → secure element. The firmware hears the field
// (RF_FIELD_INFO_NTF) and the SE's transaction (RF_NFCEE_ACTION_NTF) from the
// controller over NCI; card emulation (payments/card-emulation.ts) keeps the
// SE and controller on while the strap is worn, unlocked and admitted.

/** Why the last tap did not pay, in the words of the `tap` event's `why` (console/rpc-types.ts TapWhy): '' when it paid (and before the first). */
export type PaymentFailure = '' | 'failed' | 'brownout' | 'declined';

/** The taps are counted where strap.status() reads them (payments/payment-session.ts); the session keeps how the last one ended. */
export interface PaymentSessionContext {
  /** How the last tap failed ('' if paid). A key of ≤ 4 characters: one Espruino variable for as long as the strap runs. */
  fail: PaymentFailure;
}

export type PaymentSessionEvent =
  /** RF_FIELD_INFO_NTF on: a reader's field. */
  | { type: 'FIELD_DETECTED' }
  /** RF_FIELD_INFO_NTF off: the reader's field is gone. */
  | { type: 'FIELD_LOST' }
  /** The scheduler admitted the tap's payment task and runs it: the SE may be powered. */
  | { type: 'TAP_ADMITTED' }
  /** The scheduler refused the task: the brownout guard says the cell would sag below brownout under the SE's peak. */
  | { type: 'TAP_REFUSED' }
  /** The scheduler took no task (shipping mode): nothing to show. */
  | { type: 'TAP_DROPPED' };

export type PaymentSessionUpdate = 'recordCompletion' | 'recordFailure' | 'recordRefusal' | 'recordDecline';

/** The payment session's context updates by action name: each records how the tap ended. */
export function paymentSessionUpdate(name: PaymentSessionUpdate, context: PaymentSessionContext): void {
  context.fail = name === 'recordCompletion' ? '' : name === 'recordFailure' ? 'failed' : name === 'recordRefusal' ? 'brownout' : 'declined';
}
