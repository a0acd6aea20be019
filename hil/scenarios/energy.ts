/**
 * Energy: over two minutes of standby (nobody touching it, the console
 * attached) the average current stays within what the rig expects of this
 * board, and the peaks (heartbeat wake-ups) are above it. The energy CSV and
 * plot of the window are in the scenario's artifacts.
 */
import assert from 'node:assert/strict';
import type { Scenario } from './scenario';

const WINDOW_MS = 120_000;

export const energyScenario: Scenario = {
  name: 'energy',
  title: 'standby current within the expectation; energy CSV and plot',
  tags: ['current'],
  boardTimeMs: WINDOW_MS,
  async run(rig, context) {
    const current = rig.instrument('current');
    const expected = current.expectedStandby;
    const window = await current.measure(WINDOW_MS);
    context.note(`standby ${window.averageUa.toFixed(2)} µA average, ${window.peakUa.toFixed(0)} µA peak over ${WINDOW_MS / 1000} s; expected ${expected.minUa}–${expected.maxUa} µA (${expected.basis})`);
    assert.ok(window.averageUa >= expected.minUa && window.averageUa <= expected.maxUa, `standby average ${window.averageUa.toFixed(2)} µA outside ${expected.minUa}–${expected.maxUa} µA (${expected.basis})`);
    assert.ok(window.peakUa >= window.averageUa, 'the peak is at least the average');
    const trace = await current.export(window.fromMs, window.toMs);
    context.attach('standby.csv', trace.csv);
    context.attach('standby.svg', trace.svg);
  },
};
