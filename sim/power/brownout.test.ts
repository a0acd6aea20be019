// Brownout: the cell sags below the supervisor's threshold under load, the
// rail is cut (the board loses power and RAM), and it boots again once a
// charger has lifted the cell past the recovery threshold.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BootReason, PowerOffReason } from '../board/virtual-board';
import { createVirtualStrap } from '../scenario/virtual-strap';
import { attachPowerModel } from './board-power';
import { LiPoCell } from './cell';
import { BUNDLE_PATH } from '../../firmware/build/outputs';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');

function nearlyEmptyStrap() {
  const strap = createVirtualStrap({ firmware: FIRMWARE, seed: 3, powerOn: false, board: { cell: new LiPoCell({ stateOfCharge: 0.001 }) } });
  let out = '';
  strap.board.console.onOutput((bytes) => (out += bytes));
  const { power } = attachPowerModel(strap.board);
  const events: string[] = [];
  strap.board.on('boot', (e: { reason: BootReason }) => events.push(`boot:${e.reason}`));
  strap.board.on('powerOff', (e: { reason: PowerOffReason }) => events.push(`off:${e.reason}`));
  power.onSupply((e) => events.push(`${e.kind}@${e.volts.toFixed(3)}V`));
  strap.board.powerOn();
  strap.board.run(1000);
  return { ...strap, power, events, output: () => out };
}

describe('brownout', () => {
  it('cuts the board off when a load pulls the cell below 3.0 V, losing RAM', () => {
    const strap = nearlyEmptyStrap();
    expect(strap.output()).toContain('boot #1');
    strap.board.evaluate('var marker = 42');
    expect(strap.power.terminalVolts()).toBeGreaterThan(3.0);
    strap.power.pulse('haptic', 'on', 300_000); // 70 mA × 0.25 Ω = 17.5 mV of sag
    strap.board.run(10);
    expect(strap.board.powered).toBe(false);
    expect(strap.events).toEqual(['boot:power-on', expect.stringMatching(/^brownout@2\.99\d+V$/), 'off:brownout']);
    expect(strap.power.railOn).toBe(false);
    expect(strap.power.state('haptic')).toBe('off'); // the motor lost its supply too
    // with the load gone the cell recovers a little, but not to 3.3 V: the board stays off
    strap.board.run(60_000);
    expect(strap.power.terminalVolts()).toBeGreaterThan(3.0);
    expect(strap.board.powered).toBe(false);
  });

  it('cuts the board off at once when a stimulus empties the cell', () => {
    const strap = nearlyEmptyStrap();
    strap.board.cell.setPercent(0); // OCV 3.0 V: any load at all puts the node below the threshold
    expect(strap.power.railOn).toBe(false);
    strap.board.run(1);
    expect(strap.board.powered).toBe(false);
    expect(strap.events.at(-1)).toBe('off:brownout');
  });

  it('boots again after charging lifts the cell to 3.3 V, with RAM lost and the boot counter kept in flash', () => {
    const strap = nearlyEmptyStrap();
    strap.board.evaluate('var marker = 42');
    strap.power.pulse('haptic', 'on', 300_000);
    strap.board.run(1000);
    expect(strap.board.powered).toBe(false);
    strap.power.plugCharger();
    expect(strap.power.chargerPhase).toBe('cc');
    strap.board.run(100_000);
    expect(strap.board.powered).toBe(false); // 60 mA for 100 s is not enough yet
    strap.board.run(100_000);
    expect(strap.board.powered).toBe(true);
    expect(strap.events.slice(-2)).toEqual([expect.stringMatching(/^recovered@3\.3\d+V$/), 'boot:power-on']);
    expect(strap.output()).toContain('boot #2');
    expect(strap.board.evaluate('typeof marker')).toEqual({ ok: true, value: 'undefined' });
    // the firmware measures what a real board would: the node, lifted by the charge current
    // (this low, the strap is reserve-only and beats every 10 minutes: firmware/power/heartbeat.ts)
    strap.board.run(600_000);
    expect(strap.output()).toMatch(/\[hb\] up=\d+s batt=\d+% 3\.\d\dV/);
  });
});
