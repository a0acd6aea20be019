/**
 * The strap's power policy, wired at boot: the energy-aware scheduler on
 * Espruino's own calls, the heartbeat, which also samples the cell for the
 * scheduler (one wake-up for both), the reports to the phone, and the
 * power side of a tap for the payment session (payments/payment-session.ts).
 *
 * The radio (firmware/ble/, when it started) gets the power mode's advertising
 * and the cell's reading at each heartbeat. "The phone" of the reports is
 * still the companion behind the host bridge: it asks `power.status` over
 * the console RPC and hears, on the event stream, `power` {pwr, shed, estPct, payLeft} whenever the payments
 * left, the shed level or the power mode change (checked at each heartbeat
 * and tap), and `notice` {text}, the paid tap's notice once its radio window
 * opens.
 */
import type { EventStream } from '../console/event-stream';
import type { PowerSummary, StrapEvents } from '../console/rpc-types';
import type { StrapState } from '../console/status';
import type { PaymentPorts } from '../payments/payment-session';
import { flash } from '../ui/led';
import { readBattery } from './battery';
import { beatNow, setHeartbeatQuiet, startHeartbeat } from './heartbeat';
import type { Scheduler } from './scheduler';
import { noop } from './noop';
import { payOnTap, schedulerStatus, startScheduler, type TapPorts } from './strap-tasks';

export interface Power {
  scheduler: Scheduler;
  /** The power fields of strap.status(). */
  summary(): PowerSummary;
  /** A heartbeat now (line, event, cell sample), for a host that cannot wait for the next one; its data. */
  beatNow(): StrapEvents['hb'];
  /** The power side of a tap: its payment task, the brownout guard, the payments left. */
  payments: PaymentPorts;
}

/** The radio, when it started: the power mode's advertising, and the cell's reading at each heartbeat (the BLE Battery Level). */
export interface RadioPorts {
  advertise(fast: boolean): void;
  stopAdvertising(): void;
  battery(percent: number): void;
}

// One power policy per board (boot starts it once): its state is this
// module's, and its functions sit at the bundle's top level, where Espruino
// keeps a function for the fewest variables (no copied scope list).
let state: StrapState;
let events: EventStream;
let radio: RadioPorts | undefined;
let scheduler: Scheduler;
/** The last `power` event's figures, as a key. */
let reported: string;
let onReport: (() => void) | undefined;
let lastBeat: StrapEvents['hb'] | undefined;

export function startPower(strapState: StrapState, eventStream: EventStream, heartbeatS: number, radioPorts?: RadioPorts): Power {
  state = strapState;
  events = eventStream;
  radio = radioPorts;
  reported = '';
  onReport = lastBeat = undefined;
  // The heartbeat samples the cell: no sampler of the scheduler's own.
  scheduler = startScheduler(
    // No radio started (a board without one): nothing to advertise. The power mode may go
    // quiet before the heartbeat starts (the first sample, reserve-only): it starts quiet then.
    { advertise: radio ? radio.advertise : noop, stopAdvertising: radio ? radio.stopAdvertising : noop, quiet: setHeartbeatQuiet },
    { samplePeriodMs: 0 },
  );
  startHeartbeat(heartbeatS, beat);
  report();
  return {
    scheduler: scheduler,
    summary: summary,
    beatNow: beatOutOfCadence,
    payments: {
      requestTap: requestTap,
      peakSafe: scheduler.seOperationSafe,
      paymentsLeft: scheduler.paymentsLeft,
      fieldSeen: fieldSeen,
      tapReported: report,
      onReport: setOnReport,
    },
  };
}

function notifyPhone(text: string, done: (ok: boolean) => void): void {
  events.emit('notice', { text: text });
  done(true);
}

function report(): void {
  if (onReport) onReport();
  const now = summary();
  const key = now.pwr + now.shed + ',' + now.payLeft;
  if (key === reported) return;
  reported = key;
  events.emit('power', now);
}

function beat(isQuiet: boolean): void {
  scheduler.sample();
  const battery = readBattery();
  const upS = Math.round(getTime() - state.bootTimeS);
  if (!isQuiet) flash(LED2, 20);
  print('[hb] up=' + upS + 's batt=' + battery.percent + '% ' + battery.volts.toFixed(2) + 'V mode=' + state.mode);
  lastBeat = { upS: upS, battPct: battery.percent, battV: battery.volts, mode: state.mode };
  events.emit('hb', lastBeat);
  if (radio) radio.battery(battery.percent);
  report();
}

function summary(): PowerSummary {
  return schedulerStatus(scheduler);
}

function beatOutOfCadence(): StrapEvents['hb'] {
  beatNow();
  return lastBeat!;
}

function requestTap(run: TapPorts['tap']): string {
  return payOnTap(scheduler, { tap: run, notifyPhone: notifyPhone });
}

function fieldSeen(): void {
  scheduler.power.send({ type: 'NFC_FIELD' });
}

function setOnReport(listener: () => void): void {
  onReport = listener;
}
