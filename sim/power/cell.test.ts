import { describe, expect, it } from 'vitest';
import { LiPoCell } from './cell';

describe('Li-Po cell', () => {
  it('spans 3.0 V empty to 4.2 V full, rising with charge', () => {
    const cell = new LiPoCell();
    cell.setStateOfCharge(0);
    expect(cell.openCircuitVolts()).toBeCloseTo(3.0, 5);
    cell.setStateOfCharge(1);
    expect(cell.openCircuitVolts()).toBeCloseTo(4.2, 5);
    let last = 0;
    for (let p = 0; p <= 100; p += 5) {
      cell.setPercent(p);
      expect(cell.openCircuitVolts()).toBeGreaterThan(last);
      last = cell.openCircuitVolts();
    }
  });

  it('sags under load by I·R and drains by charge taken', () => {
    const cell = new LiPoCell({ capacityMah: 100, internalResistanceOhm: 0.5, stateOfCharge: 0.5 });
    expect(cell.terminalVolts(200)).toBeCloseTo(cell.openCircuitVolts() - 0.1, 6);
    cell.drainFor(10, 3_600_000); // 10 mA for an hour
    expect(cell.stateOfCharge).toBeCloseTo(0.4, 9);
    cell.chargeMah(100);
    expect(cell.stateOfCharge).toBe(1);
    expect(cell.remainingMah).toBe(100);
  });
});

describe('Li-Po cell under the power model', () => {
  it('sags by the load times the internal resistance, and recovers when the load ends', async () => {
    const { VirtualClock } = await import('../clock/virtual-clock');
    const { PowerModel } = await import('./power-model');
    const clock = new VirtualClock();
    const cell = new LiPoCell({ capacityMah: 120, stateOfCharge: 0.5, internalResistanceOhm: 0.25 });
    const power = new PowerModel({ clock, cell });
    const rest = power.terminalVolts();
    power.setState('haptic', 'on'); // + 70 mA
    const underLoad = power.terminalVolts();
    expect(rest - underLoad).toBeCloseTo(0.07 * 0.25, 9);
    expect(cell.terminalVolts()).toBe(underLoad); // what NRF.getBattery() reads
    clock.advanceBy(1000);
    power.setState('haptic', 'off');
    expect(power.terminalVolts()).toBeGreaterThan(underLoad);
    expect(power.terminalVolts()).toBeLessThan(rest); // a second at 70 mA took some charge
  });
});
