// The radio's activity, reported for the power model: tx/rx durations per radio event.
import { describe, expect, it } from 'vitest';
import { STRAP_CURRENTS } from '../power/current-catalogue';
import type { RadioActivity } from './radio-activity';
import { RADIO_RAMP_UP_US } from './radio-activity';
import { advertiseService, radioPair, scanAndConnect } from './testing/radio-pair';

/** Charge of a sequence with the catalogue's radio currents (µA × µs = pC → nC). */
function chargeNc(steps: { state: string; durationUs: number }[]): number {
  return steps.reduce((n, s) => n + (STRAP_CURRENTS.radio.states[s.state]!.currentUa * s.durationUs) / 1000, 0);
}

describe('radio activity for the power model', () => {
  it('reports each advertising event: ramp-up, then a PDU and a listen on each of the three channels', () => {
    const pair = radioPair({ seed: 41 });
    const strapActivity: RadioActivity[] = [];
    pair.strap.controller.onActivity = (a) => strapActivity.push(a);
    advertiseService(pair);
    pair.clock.advanceBy(1000);
    const events = strapActivity.filter((a) => a.kind === 'advertising-event');
    expect(events.length).toBeGreaterThanOrEqual(12);
    const first = events[0]!;
    if (first.kind !== 'advertising-event') throw new Error('kind');
    expect(first.steps[0]).toEqual({ state: 'rx', durationUs: RADIO_RAMP_UP_US });
    expect(first.steps.filter((s) => s.state === 'tx')).toHaveLength(3);
    // after each PDU the advertiser listens T_IFS (150 µs, Core v5.4 Vol 6 Part B 4.1.1) and a packet's start,
    // preamble + access address (5 octets × 8 µs, 2.1), no longer when nothing comes: not a whole SCAN_REQ (176 µs)
    expect(first.steps.filter((s) => s.state === 'rx').slice(1).map((s) => s.durationUs)).toEqual([190, 190, 190]);
  });

  it('reports connection events for both ends and scanning on and off for the central', () => {
    const pair = radioPair({ seed: 42 });
    const byDevice: Record<string, RadioActivity[]> = { strap: [], phone: [] };
    pair.strap.controller.onActivity = (a) => byDevice.strap!.push(a);
    pair.phone.controller.onActivity = (a) => byDevice.phone!.push(a);
    advertiseService(pair);
    scanAndConnect(pair);
    const link = [...pair.air.links][0]!;
    const before = byDevice.strap!.length;
    pair.clock.advanceBy(1000);
    const strapEvents = byDevice.strap!.slice(before).filter((a) => a.kind === 'connection-event');
    expect(strapEvents.length).toBe(Math.round(1000 / link.intervalMs));
    expect(byDevice.phone!.some((a) => a.kind === 'scanning' && a.on)).toBe(true);
    expect(byDevice.phone!.filter((a) => a.kind === 'scanning').at(-1)).toMatchObject({ on: false });
    // An idle connection event: the radio is busy a few hundred µs, not the whole interval.
    const last = strapEvents.at(-1)!;
    if (last.kind !== 'connection-event') throw new Error('kind');
    const busyUs = last.steps.reduce((n, s) => n + s.durationUs, 0);
    expect(busyUs).toBeGreaterThan(RADIO_RAMP_UP_US);
    expect(busyUs).toBeLessThan(1000);
    expect(chargeNc(last.steps)).toBeGreaterThan(0);
  });
});
