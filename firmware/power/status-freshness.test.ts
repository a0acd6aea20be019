import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, voltsFor, type Harness } from './testing/scheduler-harness';

// strap.status() reads the charge now, not at the last heartbeat (1-10 min
// ago): issue 8 saw "estPct: 98.1, payLeft: 16499" on a cell at 1 %.

let harness: Harness | undefined;
afterEach(() => {
  harness?.close();
  harness = undefined;
});

describe('status() shows the charge as it is now', () => {
  it('right after the cell drains, without waiting for the heartbeat', () => {
    harness = startHarness();
    harness.board.volts = voltsFor(90);
    harness.scheduler.sample();
    const full = harness.scheduler.status();
    expect(full.estPct).toBeGreaterThan(85);

    harness.board.volts = voltsFor(1);
    harness.board.advance(10_000); // far less than a heartbeat period
    const drained = harness.scheduler.status();
    expect(drained.estPct).toBeLessThan(2);
    expect(drained.payLeft).toBeLessThan(full.payLeft);
  });

  it('changes nothing: the mode and the tasks move at the next sample, not at a status', () => {
    harness = startHarness();
    harness.board.volts = voltsFor(90);
    harness.scheduler.sample();
    harness.board.volts = voltsFor(1);
    harness.board.advance(10_000);
    const estimate = harness.scheduler.remainingUas();
    expect(harness.scheduler.status().mode).toBe('normal');
    expect(harness.scheduler.remainingUas()).toBe(estimate); // the estimator itself is untouched
    harness.scheduler.sample();
    expect(harness.scheduler.status().mode).toBe('reserveOnly');
  });

  it('shows the last sample\'s figures when it is under five seconds old (the voltage read right after a load sags)', () => {
    harness = startHarness();
    harness.board.volts = voltsFor(90);
    harness.scheduler.sample();
    const sampled = harness.scheduler.status();
    harness.board.volts = voltsFor(50);
    harness.board.advance(1000);
    expect(harness.scheduler.status().estPct).toBeCloseTo(sampled.estPct, 0);
  });
});
