import { paymentSessionUpdates } from './payment-session.model';
import { createTableActor, type TableActor } from './runtime';
import { paymentSessionTable } from './tables/payment-session.table';

// How firmware code runs a statechart on the strap (an example, not wired
// into firmware/app): the generated table, the hardware actions by name, the
// model's context updates as the context-changing actions, the guards, and
// optionally delays. Drivers then send events: the NCI driver would call
// session.send({ type: 'FIELD_DETECTED' }) on the controller's notification.

/** What the payment session needs from the rest of the firmware (drivers own the hardware). */
export interface PaymentSessionPorts {
  setSePower(on: boolean): void;
  routeFieldToSe(): void;
  /** The power policy's answer: payment reserve held and no brownout under the SE's peak current. */
  seOperationSafe(): boolean;
  indicate(on: boolean): void;
  haptic(pattern: 'success' | 'failure' | 'low-power'): void;
  notifyPhone(report: string): void;
}

export function startPaymentSession(ports: PaymentSessionPorts): TableActor<typeof paymentSessionTable> {
  let lit = false;
  const indicate = (on: boolean): void => {
    lit = on;
    ports.indicate(on);
  };
  const session = createTableActor(paymentSessionTable, {
    actions: {
      // The context-changing actions: the model's updates, as the machine uses them.
      ...paymentSessionUpdates,
      armFieldDetector: () => {},
      powerUpSe: () => ports.setSePower(true),
      powerDownSe: () => ports.setSePower(false),
      routeFieldToSe: () => ports.routeFieldToSe(),
      showProcessing: () => indicate(true),
      pulseIndicator: () => indicate(!lit),
      clearIndicator: () => indicate(false),
      hapticSuccess: () => ports.haptic('success'),
      hapticFailure: () => ports.haptic('failure'),
      hapticLowPower: () => ports.haptic('low-power'),
      notifyPhone: (context) => ports.notifyPhone(context.completedTaps + ' taps, last failure ' + context.lastFailure),
    },
    guards: {
      seOperationSafe: () => ports.seOperationSafe(),
    },
    // Named delays from setup() are defaults; the firmware may tune them.
    delays: { feedbackMs: 1000 },
  });
  session.start();
  return session;
}
