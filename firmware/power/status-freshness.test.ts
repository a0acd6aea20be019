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
    harness.board.advance(2000); // far less than a heartbeat period
    const drained = harness.scheduler.status();
    expect(drained.estPct).toBeLessThan(2);
    expect(drained.payLeft).toBeLessThan(full.payLeft);
    expect(drained.mode).toBe('reserveOnly');
  });

  it('samples at most once a second however often it is asked', () => {
    harness = startHarness();
    harness.scheduler.sample();
    let reads = 0;
    const read = harness.board.batteryVolts.bind(harness.board);
    harness.board.batteryVolts = () => {
      reads++;
      return read();
    };
    for (let i = 0; i < 5; i++) harness.scheduler.status();
    expect(reads).toBe(0);
    harness.board.advance(1000);
    for (let i = 0; i < 5; i++) harness.scheduler.status();
    expect(reads).toBe(1);
  });
});
