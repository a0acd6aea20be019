/**
 * The tap as the strap sees it, run by the payment-session statechart (its
 * table, on the table runtime) on the NFC controller's notifications while
 * card emulation is on (card-emulation.ts): RF_FIELD_INFO_NTF brings a
 * reader's field and takes it away; between the two the SE reports its
 * transaction (RF_NFCEE_ACTION_NTF, transactions.ts). The APDUs never pass
 * through here. Each field is a payment task for the scheduler (its charge,
 * the brownout guard); a field whose transaction was an ARQC is paid (green,
 * a buzz if the cell can carry it), an AAC declined, none failed (red). A
 * refusal ('brownout') shows red twice and never runs the motor. Each tap is
 * printed (`[tap] …`), counted in strap.status(), told to a subscribed host
 * as the `tap` event, and its transaction kept for the phone
 * (`payments.last`).
 */
import type { EventStream } from '../console/event-stream';
import type { StrapEvents, TapOutcome, Transaction } from '../console/rpc-types';
import type { HapticMotor } from '../drivers/haptic-motor';
import type { NciEvent } from '../drivers/nfc-nci';
import { paymentSessionUpdate, type PaymentSessionContext } from '../statecharts/payment-session.model';
import { TableActor } from '../statecharts/runtime';
import { paymentSessionTable, type PaymentSessionAction, type PaymentSessionGuard } from '../statecharts/tables/payment-session.table';
import { flash } from '../ui/led';
import { keep, kept, money, readTransaction, record, TRIGGER_APPLICATION } from './transactions';

/** What the payment session needs from the power policy (power/power.ts provides it; boot passes it). */
export interface PaymentPorts {
  /** Submits the tap's payment task: '' when taken (it calls `run` at once), else why not ('brownout'; 'off' in shipping mode). */
  requestTap(run: (done: (ok: boolean) => void) => void): string;
  /** The brownout guard for a peak current (mA); the SE's when left out. */
  peakSafe(peakMa?: number): boolean;
  paymentsLeft(): number;
  /** A reader's field: activity for the power mode. */
  fieldSeen(): void;
  /** After each tap's report: the power report (payments left, shed level, mode) follows. */
  tapReported(): void;
  /** Calls `listener` at each power report (every heartbeat and tap): card emulation looks at its admission again. */
  onReport(listener: () => void): void;
}

/** The parts the session drives (boot passes them: the drivers). */
export interface PaymentHardware {
  motor: HapticMotor;
}

export interface Payments {
  session: PaymentSession;
  /** The NFC controller's notifications (boot gives the NCI driver this as its onEvent). */
  nci(event: NciEvent): void;
  /** The kept transactions, newest first. */
  last(): Transaction[];
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

// One payment session per strap (boot starts it once): its state is this module's, its functions sit at the
// bundle's top level, where Espruino links a function to its scope in one variable (src/jsparse.c
// jspeiGetScopesAsVar: nested deeper, a copy of the scope list).
let ports: PaymentPorts;
let motor: HapticMotor;
let tally: TapTally;
let events: EventStream;
let told: (() => void) | undefined;
let session: PaymentSession;
// The running payment task's end, while the session holds it.
let settle: ((ok: boolean) => void) | undefined;
// The SE's transaction during this field, as transactions.ts records it (an object of it would hold ~10
// variables through the tap), and the kept ones (transactions.ts keep).
let current: string | undefined;
let log = '';

/** Starts the session; the NCI driver's notifications (`nci`) drive it from then on. */
/** `done`: after each tap's report (the wallet's status notification). */
export function startPayments(power: PaymentPorts, hardware: PaymentHardware, count: TapTally, stream: EventStream, done?: () => void): Payments {
  ports = power;
  motor = hardware.motor;
  tally = count;
  events = stream;
  told = done;
  settle = current = undefined;
  log = '';
  session = new TableActor(paymentSessionTable, { actions: sessionAction, guards: sessionGuard });
  session.start();
  return { session: session, nci: nci, last: last };
}

// Events are made when sent: a kept constant would hold its variables all the time.

/**
 * The session's work, as one function (each function is RAM Espruino keeps for as long as the strap runs);
 * the model's context updates (recordCompletion, recordFailure, recordRefusal, recordDecline) come with it.
 */
function sessionAction(name: PaymentSessionAction, context: PaymentSessionContext): void {
  switch (name) {
    case 'requestTap':
      return requestTap();
    // LED3 while the session holds the tap's task (card emulation powers the SE, not the session).
    case 'powerUpSe':
      return LED3.set();
    case 'powerDownSe':
      return LED3.reset();
    case 'endTap':
      return endTap(context);
    // Told apart by the outcome the record action before wrote: green after recordCompletion, red twice
    // after recordRefusal, red after recordDecline or recordFailure (payment-session.table.ts).
    case 'flashGreen':
    case 'flashRed':
    case 'blinkRedTwice':
      if (context.fail === '') flash(LED2, 200);
      else if (context.fail === 'brownout') digitalPulse(LED1, 1, [100, 100, 100]);
      else flash(LED1, 500);
      return;
    case 'buzz':
      return motor.pulse(BUZZ_MS);
    default:
      paymentSessionUpdate(name, context);
  }
}

function sessionGuard(name: PaymentSessionGuard): boolean {
  if (name === 'buzzSafe') return ports.peakSafe(motor.peakMa + CPU_MA);
  return !!current && current.indexOf(name === 'paid' ? ',online,' : ',declined,') > 0;
}

function requestTap(): void {
  ports.fieldSeen();
  const refusal = ports.requestTap(function (done) {
    settle = done;
    session.send({ type: 'TAP_ADMITTED' });
  });
  // A task submitted from the field's watch starts (or is refused) within requestTap: nothing waits.
  if (refusal === 'brownout') session.send({ type: 'TAP_REFUSED' });
  else if (refusal !== '') session.send({ type: 'TAP_DROPPED' });
}

function endTap(context: PaymentSessionContext): void {
  const done = settle;
  settle = undefined;
  if (done) done(context.fail === '');
  report(context);
  current = undefined;
  if (told) told();
}

function nci(event: NciEvent): void {
  if (event.kind === 'field') {
    if (event.fieldOn) current = undefined;
    session.send(event.fieldOn ? { type: 'FIELD_DETECTED' } : { type: 'FIELD_LOST' });
  } else if (event.kind === 'action' && event.trigger === TRIGGER_APPLICATION) {
    const tx = readTransaction(event.data, Math.round(getTime()));
    if (tx) {
      current = record(tx);
      log = keep(log, current);
    }
  }
}

function last(): Transaction[] {
  return kept(log);
}

/** The tap's line, its count in the status and its event (with the SE's transaction), the payments left after it; then the power report. */
function report(context: PaymentSessionContext): void {
  // atc, amount, currency, outcome, upS
  const tx = current ? current.split(',') : undefined;
  const why = context.fail;
  const payLeft = ports.paymentsLeft();
  const outcome: TapOutcome = why === '' ? 'paid' : why === 'brownout' ? 'refused brownout' : why === 'declined' ? 'declined' : 'failed';
  if (why === '') tally.paid++;
  tally.lastTap = outcome + ', payments left ' + payLeft;
  print('[tap] ' + tally.lastTap + (tx ? ' (' + money({ amount: +tx[1]!, currency: +tx[2]! }) + ', atc ' + tx[0] + ')' : ''));
  const data: StrapEvents['tap'] = { ok: why === '', why: why, payLeft: payLeft };
  if (tx) {
    data.atc = +tx[0]!;
    data.amount = +tx[1]!;
    data.currency = +tx[2]!;
  }
  events.emit('tap', data);
  ports.tapReported();
}
