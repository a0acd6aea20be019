/**
 * What a device's radio did, reported per radio event so that the power
 * model can charge it (sim/power: `power.playSequence('radio', activity.steps)`
 * with the catalogue's cited radio currents, tx 7.1 mA and rx 6.5 mA from the
 * nRF52832 Product Specification, in STRAP_CURRENTS).
 *
 * Timing that is not air time:
 * - the radio ramps up before each event: 140 µs (nRF52832 PS, RADIO timing
 *   tTXEN / tRXEN for BLE 1 Mb/s in default ramp-up mode); the PS gives no
 *   current for ramp-up — [charged at the rx current: our bracket];
 * - the T_IFS turnaround between packets (150 µs, Vol 6 Part B 4.1.1) is
 *   [charged at the rx current: our bracket].
 * Scanning is reported when it starts and stops, with its rx duty cycle
 * (window / interval, Vol 6 Part B 4.4.3), not per window.
 */
import type { SequenceStep } from '../power/power-model';

export const RADIO_RAMP_UP_US = 140;

export type RadioActivity =
  | { device: string; kind: 'advertising-event' | 'connection-event'; startMs: number; steps: SequenceStep[] }
  | { device: string; kind: 'scanning'; startMs: number; on: boolean; rxDutyCycle: number };

export type RadioActivityListener = (activity: RadioActivity) => void;

/** Builds one radio event's steps: ramp-up, then packets and turnarounds, merging runs of one state. */
export class RadioSteps {
  readonly steps: SequenceStep[] = [{ state: 'rx', durationUs: RADIO_RAMP_UP_US }];

  add(state: 'tx' | 'rx', durationUs: number): this {
    if (durationUs <= 0) return this;
    const last = this.steps.at(-1);
    if (last && last.state === state) last.durationUs += durationUs;
    else this.steps.push({ state, durationUs });
    return this;
  }
}
