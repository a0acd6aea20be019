/**
 * The tap, run by the payment-session statechart (its table, on the table
 * runtime) on the board's pins until the NFC controller and SE drivers come
 * (NCI and T=1 over I2C, later issues): the NFC controller raises its IRQ
 * line while a reader's field is present; the scheduler's payment task
 * powers the SE (SE_EN) for as long as the field stays, at most
 * fieldLimitMs (2.5 s); a paid tap shows green and buzzes the motor if the
 * cell can carry it. A refusal ('brownout') shows red twice and never runs
 * the motor: the cell could not carry the SE's peak, let alone the motor's
 * 70 mA. Each tap is printed (`[tap] …`), counted in strap.status() and told
 * to a subscribed host as the `tap` event.
 */
import type { EventStream } from '../console/event-stream';
import type { TapOutcome } from '../console/rpc-types';
import type { HapticMotor } from '../drivers/haptic-motor';
import { paymentSessionUpdates, type PaymentSessionContext } from '../statecharts/payment-session.model';
import { createTableActor, type TableActor } from '../statecharts/runtime';
import { paymentSessionTable } from '../statecharts/tables/payment-session.table';
import { flash } from '../ui/led';

/** What the payment session needs from the power policy (power/power.ts provides it; boot passes it). */
export interface PaymentPorts {
  /** Submits the tap's payment task: '' when taken (it calls `run` at once), else why not ('brownout'; 'off' in shipping mode). */
  requestTap(run: (done: (ok: boolean) => void) => void): string;
  /** The brownout guard for a peak current (mA) other than the SE's. */
  peakSafe(peakMa: number): boolean;
  paymentsLeft(): number;
  /** A reader's field: activity for the power mode. */
  fieldSeen(): void;
  /** After each tap's report: the power report (payments left, shed level, mode) follows. */
  tapReported(): void;
}

/** The parts the session drives (boot passes them: board/strap-pins.ts and the drivers). */
export interface PaymentHardware {
  /** The NFC controller's interrupt: high while a reader's field is present. */
  field: Pin;
  /** The secure element's power enable. */
  sePower: Pin;
  motor: HapticMotor;
}

/** Where the taps are counted for strap.status() (console/status.ts StrapState). */
export interface TapTally {
  paid: number;
  lastTap: string;
}

/** Motor on for a paid tap (power/energy-figures.ts counts 100 ms). */
const BUZZ_MS = 100;
/** The CPU's 4 mA while the motor runs, on top of the motor's own current (energy-figures.ts [PUCK]). */
const CPU_MA = 4;

export type PaymentSession = TableActor<typeof paymentSessionTable>;

/** Starts the session and watches the field; the session takes the taps from then on. */
export function startPayments(ports: PaymentPorts, hardware: PaymentHardware, tally: TapTally, events: EventStream): PaymentSession {
  // The running payment task's end, while the session holds the SE.
  let settle: ((ok: boolean) => void) | undefined;
  const session: PaymentSession = createTableActor(paymentSessionTable, {
    // The model's context updates (recordCompletion, recordFailure, recordRefusal) and the session's work.
    actions: Object.assign(
      {
        requestTap: function () {
          ports.fieldSeen();
          const refusal = ports.requestTap(function (done) {
            settle = done;
            session.send(TAP_ADMITTED);
          });
          // A task submitted from the field's watch starts (or is refused) within requestTap: nothing waits.
          if (refusal === 'brownout') session.send(TAP_REFUSED);
          else if (refusal !== '') session.send(TAP_DROPPED);
        },
        powerUpSe: function () {
          hardware.sePower.set();
          LED3.set();
        },
        powerDownSe: function () {
          hardware.sePower.reset();
          LED3.reset();
        },
        endTap: function (context: PaymentSessionContext) {
          const done = settle;
          settle = undefined;
          if (done) done(context.lastFailure === '');
          report(context, ports, tally, events);
        },
        flashGreen: function () {
          flash(LED2, 200);
        },
        flashRed: function () {
          flash(LED1, 500);
        },
        blinkRedTwice: function () {
          digitalPulse(LED1, 1, [100, 100, 100]);
        },
        buzz: function () {
          hardware.motor.pulse(BUZZ_MS);
        },
      },
      paymentSessionUpdates,
    ),
    guards: {
      buzzSafe: function () {
        return ports.peakSafe(hardware.motor.peakMa + CPU_MA);
      },
    },
  });
  session.start();
  setWatch(
    function (e) {
      session.send(e.state ? FIELD_DETECTED : FIELD_LOST);
    },
    hardware.field,
    { edge: 'both', repeat: true },
  );
  return session;
}

/** The tap's line, its count in the status and its event, with the payments left after it; then the power report. */
function report(context: PaymentSessionContext, ports: PaymentPorts, tally: TapTally, events: EventStream): void {
  const why = context.lastFailure;
  const payLeft = ports.paymentsLeft();
  const outcome: TapOutcome = why === '' ? 'paid' : why === 'brownout' ? 'refused brownout' : 'failed';
  if (why === '') tally.paid++;
  tally.lastTap = outcome + ', payments left ' + payLeft;
  print('[tap] ' + tally.lastTap);
  events.emit('tap', { ok: why === '', why: why, payLeft: payLeft });
  ports.tapReported();
}

const FIELD_DETECTED = { type: 'FIELD_DETECTED' } as const;
const FIELD_LOST = { type: 'FIELD_LOST' } as const;
const TAP_ADMITTED = { type: 'TAP_ADMITTED' } as const;
const TAP_REFUSED = { type: 'TAP_REFUSED' } as const;
const TAP_DROPPED = { type: 'TAP_DROPPED' } as const;
