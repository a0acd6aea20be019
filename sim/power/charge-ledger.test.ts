import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock';
import { LiPoCell } from './cell';
import { PowerModel } from './power-model';

function model(startMs = 0) {
  const clock = new VirtualClock(startMs);
  const cell = new LiPoCell({ capacityMah: 120, stateOfCharge: 0.8 });
  const power = new PowerModel({ clock, cell });
  return { clock, cell, power };
}

describe('charge ledger', () => {
  it('integrates known piecewise-constant currents exactly, per consumer and state', () => {
    const { clock, power } = model();
    clock.advanceTo(100);
    power.setState('led1', 'on'); // 1500 µA
    clock.advanceTo(350);
    power.setState('led1', 'off');
    power.setState('radio', 'tx'); // 7100 µA for 0.4 ms
    clock.advanceTo(350.4);
    power.setState('radio', 'rx'); // 6500 µA for 0.6 ms
    clock.advanceTo(351);
    power.setState('radio', 'off');
    clock.advanceTo(1000);

    expect(power.nowUs()).toBe(1_000_000);
    expect(power.dwellUs('led1', 'on')).toBe(250_000);
    expect(power.chargeUas('led1', 'on')).toBe(375); // 1500 µA × 0.25 s
    expect(power.dwellUs('radio', 'tx')).toBe(400);
    expect(power.dwellUs('radio', 'rx')).toBe(600);
    expect(power.chargeUas('radio', 'tx')).toBeCloseTo(2.84, 12); // 7100 µA × 400 µs
    expect(power.chargeUas('radio', 'rx')).toBeCloseTo(3.9, 12);
    // always on: the LDO (1.6 µA) and the NFC controller held in hard power-down (1 µA) for the whole second
    expect(power.chargeUas('regulator')).toBeCloseTo(1.6, 12);
    expect(power.chargeUas('nfcc')).toBeCloseTo(1, 12);
    expect(power.chargeUas()).toBeCloseTo(375 + 2.84 + 3.9 + 1.6 + 1, 9);
  });

  it('charges pulses for exactly their length, merging overlapping CPU windows', () => {
    const { clock, power } = model();
    power.setState('mcu', 'sleep');
    clock.advanceTo(10);
    power.pulse('mcu', 'run', 2000);
    power.pulse('mcu', 'run', 2000); // same instant: one window, not two
    clock.advanceTo(11);
    power.pulse('mcu', 'run', 2000); // extends the window to 13 ms
    expect(power.state('mcu')).toBe('run');
    clock.advanceTo(20);
    expect(power.state('mcu')).toBe('sleep');
    expect(power.dwellUs('mcu', 'run')).toBe(3000);
    expect(power.dwellUs('mcu', 'sleep')).toBe(17_000);
    power.playSequence('haptic', [
      { state: 'on', durationUs: 120_000 },
      { state: 'off', durationUs: 100_000 },
      { state: 'on', durationUs: 120_000 },
    ]);
    clock.advanceTo(1000);
    expect(power.dwellUs('haptic', 'on')).toBe(240_000);
    expect(power.chargeUas('haptic')).toBe(70_000 * 0.24);
  });

  it('keeps whole microseconds at fractional-millisecond change times', () => {
    const { clock, power } = model(600_000);
    clock.advanceTo(600_000.123);
    power.setState('led2', 'on');
    clock.advanceTo(600_020.124);
    power.setState('led2', 'off');
    expect(power.dwellUs('led2', 'on')).toBe(20_001);
  });

  it('takes from the cell exactly the charge the ledger counts', () => {
    const { clock, cell, power } = model();
    const before = cell.stateOfCharge;
    power.setState('uart', 'attached');
    power.setState('haptic', 'on');
    clock.advanceTo(60_000);
    power.setState('haptic', 'off');
    clock.advanceTo(3_600_000);
    // the cell is integrated lazily: read it through the model, which catches up with the clock first
    const drawnUas = (before - power.stateOfCharge()) * cell.capacityUas;
    expect(drawnUas).toBeCloseTo(power.chargeUas(), 3);
    expect(power.chargeUas('haptic')).toBeCloseTo(70_000 * 60, 6);
  });
});
