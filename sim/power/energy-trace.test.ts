import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createVirtualStrap } from '../scenario/virtual-strap';
import { attachPowerModel } from './board-power';
import { CONSUMERS, STRAP_CURRENTS } from './current-catalogue';
import { renderTraceSvg } from './trace-svg';
import { BUNDLE_PATH } from '../../firmware/build/outputs';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');

/** Ten minutes of a strap: presses, a BLE sync drawn as radio windows, a notification, a charger plugged in. */
function tenMinutes(seed: number) {
  const strap = createVirtualStrap({ firmware: FIRMWARE, seed, powerOn: false });
  const { power } = attachPowerModel(strap.board);
  strap.board.powerOn();
  const at = (ms: number, run: () => void) => strap.clock.scheduleAt(ms, run);
  at(30_000, () => strap.board.pressButton(150));
  at(95_000, () => strap.board.pressButton(1400));
  at(120_000, () =>
    power.playSequence(
      'radio',
      Array.from({ length: 10 }, () => [
        { state: 'tx', durationUs: 400 },
        { state: 'rx', durationUs: 600 },
        { state: 'off', durationUs: 29_000 },
      ]).flat(),
    ),
  );
  at(200_000, () => power.pulse('haptic', 'on', 150_000));
  at(400_000, () => power.plugCharger());
  strap.clock.advanceTo(600_000);
  power.sync();
  return { strap, power };
}

describe('energy trace', () => {
  it('is the same CSV, byte for byte, for the same seed and inputs', () => {
    const a = tenMinutes(7).power.trace!.toCsv();
    const b = tenMinutes(7).power.trace!.toCsv();
    expect(a).toBe(b);
    expect(a.split('\n')[0]).toBe(`time_s,${CONSUMERS.map((c) => `${c}_state`).join(',')},current_ua,voltage_v,soc_pct,charger,rail`);
    // another seed bounces the button contacts differently: the CPU windows of the presses move
    expect(tenMinutes(8).power.trace!.toCsv()).not.toBe(a);
  });

  it('has one row per instant of change, with the states, current, voltage and charge after it', () => {
    const { power } = tenMinutes(7);
    const rows = power.trace!.rows;
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.timeUs).toBeGreaterThan(rows[i - 1]!.timeUs);
    const radioIndex = CONSUMERS.indexOf('radio');
    const tx = rows.filter((r) => r.states[radioIndex] === 'tx');
    expect(tx).toHaveLength(10);
    expect(tx[0]!.timeUs).toBe(120_000_000);
    const csvLine = power.trace!.toCsv().split('\n').find((l) => l.startsWith('120.000000,'))!;
    expect(csvLine).toContain(',tx,');
    expect(rows[rows.length - 1]!.charger).toBe('done');
  });

  it('draws the same SVG for the same trace, with a band per active consumer and labelled axes', () => {
    const { power } = tenMinutes(7);
    const svg = renderTraceSvg(power.trace!.rows, STRAP_CURRENTS, { title: 'ten minutes', endUs: power.nowUs() });
    expect(renderTraceSvg(tenMinutes(7).power.trace!.rows, STRAP_CURRENTS, { title: 'ten minutes', endUs: 600_000_000 })).toBe(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const label of ['nRF52832 CPU', 'BLE radio', 'Haptic motor (10 mm ERM)', 'LED3 blue', 'current (log)', 'state of charge', 'virtual time (h:mm)', '100 mA', '1 µA']) {
      expect(svg).toContain(label);
    }
  });
});
