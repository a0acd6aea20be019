/**
 * The strap's power and payments, wired at boot: the energy-aware scheduler
 * (../scheduler/) on Espruino's own calls, the tap path on the board's pins
 * (tap-path.ts), the heartbeat, which also samples the cell for the scheduler
 * (one wake-up for both), and the reports to the phone.
 *
 * "The phone" is, until BLE comes (a later issue), the companion behind the
 * host bridge: it asks `power.status` over the console RPC and hears, on the
 * event stream, `power` {pwr, shed, estPct, payLeft} whenever the payments
 * left, the shed level or the power mode change, `tap` {ok, why, payLeft}
 * for each tap, and `notice` {text}, the paid tap's notice once its radio
 * window opens.
 */
import { payOnTap, schedulerStatus, startScheduler, type StrapPorts } from '../scheduler/strap-tasks';
import type { Scheduler } from '../scheduler/scheduler';
import { readBattery } from './battery';
import type { EventStream } from './event-stream';
import { QUIET_HEARTBEAT_S, startHeartbeat, type Heartbeat } from './heartbeat';
import { flash } from './led';
import type { StrapState } from './status';
import { refusalFeedback, seSession, tapFeedback, watchField } from './tap-path';

export function startPower(state: StrapState, events: EventStream, heartbeatS: number): Scheduler {
  let reported = '';
  let heartbeat: Heartbeat | undefined;
  // The power mode may go quiet before the heartbeat exists (the scheduler's first sample, reserve-only).
  let quietAtBoot = false;
  const ports: StrapPorts = {
    tap: seSession,
    notifyPhone: function (text, done) {
      events.emit('notice', { text: text });
      done(true);
    },
    // No radio on the board yet: advertising is the BLE issue's.
    advertise: noop,
    stopAdvertising: noop,
    hapticLowPower: refusalFeedback,
    tapEnded: function (outcome, reason) {
      const payLeft = scheduler.paymentsLeft();
      if (outcome === 'done') state.paid++;
      const how = outcome === 'done' ? 'paid' : reason && reason !== outcome ? outcome + ' ' + reason : outcome;
      state.lastTap = how + ', payments left ' + payLeft;
      print('[tap] ' + state.lastTap);
      events.emit('tap', { ok: outcome === 'done', why: reason, payLeft: payLeft });
      tapFeedback(scheduler, outcome);
      report();
    },
    quiet: function (on) {
      if (heartbeat) heartbeat.setQuiet(on);
      else quietAtBoot = on;
    },
  };
  // The heartbeat samples the cell: no sampler of the scheduler's own.
  const scheduler = startScheduler(ports, { samplePeriodMs: 0 });

  const report = function () {
    const now = schedulerStatus(scheduler);
    const key = now.pwr + now.shed + ',' + now.payLeft;
    if (key === reported) return;
    reported = key;
    events.emit('power', now);
  };

  heartbeat = startHeartbeat(heartbeatS, QUIET_HEARTBEAT_S, function (quiet) {
    scheduler.sample();
    const battery = readBattery();
    const upS = Math.round(getTime() - state.bootTimeS);
    if (!quiet) flash(LED2, 20);
    print('[hb] up=' + upS + 's batt=' + battery.percent + '% ' + battery.volts.toFixed(2) + 'V mode=' + state.mode);
    events.emit('hb', { upS: upS, battPct: battery.percent, battV: battery.volts, mode: state.mode });
    report();
  });
  heartbeat.setQuiet(quietAtBoot);

  watchField(function () {
    scheduler.power.send(NFC_FIELD);
    payOnTap(scheduler, ports);
  });
  report();
  return scheduler;
}

const NFC_FIELD = { type: 'NFC_FIELD' } as const;

function noop(): void {}
