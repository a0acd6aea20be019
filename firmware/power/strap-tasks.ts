import { BLE_NOTIFICATION_UAS, TAP_NOTICE_UAS, TAP_UAS } from './energy-figures';
import { espruinoBoard } from './espruino-board';
import { createScheduler, type Refusal, type Scheduler, type TaskOutcome } from './scheduler';
import type { SchedulerConfig } from './scheduler-config';
import { PAYMENT } from './task-classes';

// The strap's work as scheduler tasks (firmware/app/boot.ts wires them): the
// scheduler created once at boot on Espruino's own calls with the power
// mode's hardware actions, a tap as a payment task and its notice to the
// phone, and the status strap.status() shows. Background work (sync,
// telemetry) comes with the radio (the BLE issue).

/** What the tasks need from the rest of the firmware (drivers own the hardware). */
export interface StrapPorts {
  /** The tap: SE powered, field routed to it; done(true) on the SE's transaction event, done(false) on an error. */
  tap(done: (ok: boolean) => void): void;
  /** One notification to the phone over an open link. */
  notifyPhone(text: string, done: (ok: boolean) => void): void;
  /** A sync with the phone (wallet state, tokens): background work, for when the radio comes. */
  syncWithPhone?(done: (ok: boolean, retryable?: boolean) => void): void;
  advertise(fast: boolean): void;
  stopAdvertising(): void;
  /** A brownout refusal: feedback the cell can carry (the motor's 70 mA may not be). */
  hapticLowPower(): void;
  /** How a tap ended: 'done', or why not ('refused' 'brownout', 'failed' 'deadline', …). */
  tapEnded?(outcome: TaskOutcome, reason: string): void;
  /** Nothing for the wearer to see (true): the power mode asleep (nobody around) or reserve-only (payments only); false when that ends. */
  quiet?(on: boolean): void;
}

/** At boot: the scheduler on the board's battery, clock and Storage. */
export function startScheduler(ports: StrapPorts, config?: Partial<SchedulerConfig>): Scheduler {
  const quietOn = function () {
    if (ports.quiet) ports.quiet(true);
  };
  const quietOff = function () {
    if (ports.quiet) ports.quiet(false);
  };
  return createScheduler({
    board: espruinoBoard(),
    config: config,
    powerActions: {
      advertiseFast: function () {
        ports.advertise(true);
      },
      advertiseSlow: function () {
        ports.advertise(false);
      },
      stopAdvertising: ports.stopAdvertising,
      // Sleep is entered with watchButtonOnly and left with resumeAdvertising;
      // reserve-only entered with shedAllButPayment and left with restoreServices.
      watchButtonOnly: quietOn,
      shedAllButPayment: quietOn,
      resumeAdvertising: quietOff,
      restoreServices: quietOff,
    },
  });
}

/**
 * A reader's field: the tap as a payment task that powers the SE (the brownout
 * guard runs first), then its notice to the phone as a payment radio task,
 * which waits for a window (or forces one before its deadline). '' when the
 * tap started; otherwise why not ('brownout': tell the wearer).
 *
 * With the payment-session statechart (../statecharts/payment-session.example.ts)
 * driving the tap instead, its guard is the same check:
 * `seOperationSafe: () => scheduler.seOperationSafe()`, and `ports.tap` sends
 * the session FIELD_DETECTED and calls done() from its completed/failed states.
 */
export function payOnTap(scheduler: Scheduler, ports: StrapPorts): Refusal {
  const refusal = scheduler.submit({
    cls: PAYMENT,
    energyUas: TAP_UAS - TAP_NOTICE_UAS,
    deadlineMs: 3000,
    radio: false,
    se: true,
    // A tap is not retried: the reader has moved on.
    maxAttempts: 1,
    run: ports.tap,
    onEnd: function (outcome, reason) {
      if (outcome === 'done') noticeToPhone(scheduler, ports);
      if (ports.tapEnded) ports.tapEnded(outcome, reason);
    },
  });
  if (refusal === 'brownout') ports.hapticLowPower();
  return refusal;
}

/** The tap's notice, with the payments left, within a minute. */
function noticeToPhone(scheduler: Scheduler, ports: StrapPorts): void {
  scheduler.submit({
    cls: PAYMENT,
    energyUas: BLE_NOTIFICATION_UAS,
    deadlineMs: 60000,
    radio: true,
    run: function (done) {
      ports.notifyPhone('paid; payments left ' + scheduler.paymentsLeft(), done);
    },
  });
}

/** What strap.status() adds: the power mode, the shed level, the estimate and the payments left. */
export function schedulerStatus(scheduler: Scheduler): { pwr: string; shed: number; estPct: number; payLeft: number } {
  const status = scheduler.status();
  return { pwr: status.mode, shed: status.shed, estPct: status.estPct, payLeft: status.payLeft };
}
