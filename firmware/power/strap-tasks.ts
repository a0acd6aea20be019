import type { PowerSummary } from '../console/rpc-types';
import type { PowerModeAction } from '../statecharts/tables/power-mode.table';
import { BLE_NOTIFICATION_UAS, TAP_NOTICE_UAS, TAP_UAS } from './energy-figures';
import { espruinoBoard } from './espruino-board';
import { createScheduler, type Refusal, type Scheduler, type TaskOutcome } from './scheduler';
import type { SchedulerConfig } from './scheduler-config';
import { PAYMENT } from './task-classes';

// The strap's work as scheduler tasks (power.ts wires them): the scheduler
// created once at boot on Espruino's own calls with the power mode's
// hardware actions, a tap as a payment task and its notice to the phone, and
// the power fields of strap.status(). Background work (sync, telemetry)
// comes with the radio (the BLE issue).

/** What the power mode's actions need (drivers own the hardware). */
export interface PowerPorts {
  advertise(fast: boolean): void;
  stopAdvertising(): void;
  /** Nothing for the wearer to see (true): the power mode asleep (nobody around) or reserve-only (payments only); false when that ends. */
  quiet?(on: boolean): void;
}

/** A tap as a payment task: its work, and the phone's notice of a paid one. */
export interface TapPorts {
  /** The tap: SE powered for as long as it lasts; done(true) paid, done(false) failed. */
  tap(done: (ok: boolean) => void): void;
  /** One notification to the phone over an open link. */
  notifyPhone(text: string, done: (ok: boolean) => void): void;
}

/** Everything the strap's tasks need. */
export interface StrapPorts extends PowerPorts, TapPorts {
  /** A sync with the phone (wallet state, tokens): background work, for when the radio comes. */
  syncWithPhone?(done: (ok: boolean, retryable?: boolean) => void): void;
}

// The power mode's actions go to these (one scheduler per board: module
// state, top-level functions; the ports, not the object holding them).
let advertise: PowerPorts['advertise'];
let stopAdvertising: PowerPorts['stopAdvertising'];
let quiet: PowerPorts['quiet'];

/** At boot: the scheduler on the board's battery, clock and Storage. */
export function startScheduler(ports: PowerPorts, config?: Partial<SchedulerConfig>): Scheduler {
  advertise = ports.advertise;
  stopAdvertising = ports.stopAdvertising;
  quiet = ports.quiet;
  noticesDue = 0;
  return createScheduler({ board: espruinoBoard(), config: config, powerActions: powerAction });
}

/**
 * The power mode's hardware actions. Sleep is entered with watchButtonOnly
 * and left with resumeAdvertising; reserve-only entered with
 * shedAllButPayment and left with restoreServices.
 */
function powerAction(name: PowerModeAction): void {
  switch (name) {
    case 'advertiseFast':
    case 'advertiseSlow':
      return advertise(name === 'advertiseFast');
    case 'stopAdvertising':
      return stopAdvertising();
    case 'watchButtonOnly':
    case 'shedAllButPayment':
    case 'resumeAdvertising':
    case 'restoreServices':
      if (quiet) quiet(name === 'watchButtonOnly' || name === 'shedAllButPayment');
  }
}

// The notices to the phone: a count, not a task each. Paid taps the phone
// has not heard of yet are `noticesDue`; while there are any, one notice task
// is queued for a radio window (its spec made then), and its text is made as
// it is sent (the payments left then). When it ends the next one is queued,
// which the open window still runs: the phone hears every paid tap, in the
// same window as before, while a strap waiting for its window keeps one task,
// not one per tap. The scheduler and the phone's port are kept here (one strap,
// one scheduler) for the tap's onEnd, a function of this module: made per tap,
// it would keep its call's scope with the tap's ports at the busiest moment.
let scheduler: Scheduler;
let notify: TapPorts['notifyPhone'];
let noticesDue: number;

/**
 * A paid tap's notice (`paid`: the tap's), or the next one due (none):
 * queued unless one already is, within a minute, its text made when sent.
 * One that failed for good is lost, as a task of its own would be; shipping
 * mode sheds (or refuses) it, and with it all those due.
 */
function queueNotice(paid?: boolean): void {
  if (paid && noticesDue++) return;
  if (scheduler.submit({ cls: PAYMENT, energyUas: BLE_NOTIFICATION_UAS, deadlineMs: 60000, radio: true, run: notice, onEnd: notice })) noticesDue = 0;
}

/**
 * The notice task's run and its onEnd, one function told apart by what it is given (the run's done, the
 * outcome), and of the module: a closure made per notice would keep queueNotice's call while the notice
 * waits for its window (up to a minute after a paid tap).
 */
function notice(a: ((ok: boolean) => void) | TaskOutcome): void {
  if (typeof a === 'function') return notify('paid; payments left ' + scheduler.paymentsLeft(), a);
  noticesDue = a === 'shed' ? 0 : noticesDue - 1;
  if (noticesDue) queueNotice();
}

function tapEnded(outcome: TaskOutcome): void {
  if (outcome === 'done') queueNotice(true);
}

/**
 * A reader's field: the tap as a payment task that powers the SE (the brownout
 * guard runs first), then, once paid, its notice to the phone as a payment
 * radio task, which waits for a window (or forces one before its deadline).
 * '' when the tap started (`ports.tap` has been called); otherwise why not
 * ('brownout': the caller tells the wearer; 'off': shipping mode). The
 * payment session (../payments/payment-session.ts) calls it from its
 * admitting state and ends the task from its completed and failed states.
 * `ports` is read here and not kept: the task keeps its tap, this module the
 * scheduler and the phone's port.
 */
export function payOnTap(on: Scheduler, ports: TapPorts): Refusal {
  scheduler = on;
  notify = ports.notifyPhone;
  return scheduler.submit({
    cls: PAYMENT,
    energyUas: TAP_UAS - TAP_NOTICE_UAS,
    deadlineMs: 3000,
    radio: false,
    se: true,
    // A tap is not retried: the reader has moved on.
    maxAttempts: 1,
    run: ports.tap,
    onEnd: tapEnded,
  });
}

/** What strap.status() adds, and the `power` event: the power mode, the shed level, the estimate and the payments left. */
export function schedulerStatus(scheduler: Scheduler): PowerSummary {
  const status = scheduler.status();
  return { pwr: status.mode, shed: status.shed, estPct: status.estPct, payLeft: status.payLeft };
}
