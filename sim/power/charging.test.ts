import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock';
import { LiPoCell, openCircuitVoltsAt } from './cell';
import { PowerModel } from './power-model';

const R_OHM = 0.25;

function charging(stateOfCharge: number) {
  const clock = new VirtualClock();
  const cell = new LiPoCell({ capacityMah: 120, stateOfCharge, internalResistanceOhm: R_OHM });
  const power = new PowerModel({ clock, cell, charger: { chargeCurrentMa: 60, terminationRatio: 0.075 } });
  power.setState('mcu', 'sleep');
  return { clock, cell, power };
}

/** Times (s) at which the charger phase changed, from the trace. */
function phaseChanges(power: PowerModel): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const row of power.trace!.rows) {
    if (out.length === 0 || out[out.length - 1]![0] !== row.charger) out.push([row.charger, row.timeUs / 1e6]);
  }
  return out;
}

describe('charging', () => {
  it('runs constant current, then constant voltage at 4.20 V, then terminates at 7.5 % of the charge current', () => {
    const { clock, cell, power } = charging(0.5);
    clock.advanceTo(1000);
    power.plugCharger();
    expect(power.chargerPhase).toBe('cc');
    const loadUa = power.currentUa(); // LDO + CPU asleep + NFC controller in power-down
    // CC: 60 mA into the node, so the node sits I·R above the OCV
    expect(power.terminalVolts()).toBeCloseTo(openCircuitVoltsAt(power.stateOfCharge()) + ((60_000 - loadUa) / 1e6) * R_OHM, 12);

    clock.advanceTo(3 * 3_600_000);
    const phases = phaseChanges(power);
    expect(phases.map(([p]) => p)).toEqual(['unplugged', 'cc', 'cv', 'done']);
    // CC ends exactly where OCV + (IREG − load)·R reaches VREG: the charge taken in CC is known in advance
    const ccEndSoc = (() => {
      // invert OCV at VREG − I·R on the top segment (95..100 %: 4.113..4.2 V)
      const target = 4.2 - ((60_000 - loadUa) / 1e6) * R_OHM;
      return 0.95 + ((target - 4.113) / (4.2 - 4.113)) * 0.05;
    })();
    const ccSeconds = phases[2]![1] - phases[1]![1];
    const socAtPlug = power.trace!.rows.find((r) => r.charger === 'cc')!.socPercent / 100;
    const expectedCcSeconds = ((ccEndSoc - socAtPlug) * cell.capacityUas) / (60_000 - loadUa);
    expect(Math.abs(ccSeconds - expectedCcSeconds)).toBeLessThan(1e-5);
    // CV then terminates when the charger's output (cell current + load) falls to 4.5 mA
    const rowAtDone = power.trace!.rows.find((r) => r.charger === 'done')!;
    const socAtDone = rowAtDone.socPercent / 100;
    const cellChargeAtDone = ((4.2 - openCircuitVoltsAt(socAtDone)) / R_OHM) * 1e6;
    expect(cellChargeAtDone + loadUa).toBeGreaterThan(4500 - 1);
    expect(cellChargeAtDone + loadUa).toBeLessThan(4500 + 2);
    expect(socAtDone).toBeGreaterThan(0.99);
    // charge complete: the charger delivers nothing, the node is back at OCV − I·R
    expect(power.chargerPhase).toBe('done');
    expect(power.terminalVolts()).toBeLessThan(4.2);
  });

  it('holds the node at VREG in CV while the current tapers', () => {
    const { clock, power } = charging(0.995); // OCV 4.191 V: 60 mA would lift the node past 4.2 V
    power.plugCharger();
    expect(power.chargerPhase).toBe('cv');
    const volts: number[] = [];
    const socs: number[] = [];
    for (let s = 0; s < 4; s++) {
      clock.advanceBy(20_000);
      volts.push(power.terminalVolts());
      socs.push(power.stateOfCharge());
    }
    expect(volts.every((v) => v === 4.2)).toBe(true);
    const gains = socs.slice(1).map((s, i) => s - socs[i]!);
    expect(gains[1]!).toBeLessThan(gains[0]!);
    expect(gains[2]!).toBeLessThan(gains[1]!);
  });

  it('recharges after a completed charge once the node falls below 96.5 % of VREG, and stops when unplugged', () => {
    const { clock, power } = charging(1);
    power.plugCharger();
    expect(power.chargerPhase).toBe('done');
    power.setState('haptic', 'on'); // 70 mA: pulls the node down fast
    clock.advanceBy(30 * 60_000);
    expect(phaseChanges(power).map(([p]) => p)).toContain('cc');
    expect(power.chargerPhase).toBe('cc'); // 60 mA cannot keep up with 70 mA: stays in CC
    power.unplugCharger();
    expect(power.chargerPhase).toBe('unplugged');
  });
});
