/**
 * Battery: the strap reads the cell the rig sets. Its status and its next
 * heartbeat report a lower charge for a lower cell, each within the
 * firmware's coarse Li-Po curve of what was set.
 */
import assert from 'node:assert/strict';
import type { Rig } from '../rig/rig';
import type { Scenario } from './scenario';

/** The firmware maps a rest voltage through a coarse curve, read under load: allow this much. */
const TOLERANCE_PCT = 15;

export const batteryScenario: Scenario = {
  name: 'battery',
  title: 'the status and the heartbeat report the cell the rig sets',
  tags: ['battery'],
  async run(rig) {
    const battery = rig.instrument('battery');
    try {
      const high = await reportedAt(rig, battery, 90);
      const low = await reportedAt(rig, battery, 40);
      assert.ok(low < high, `40 % reads ${low} %, below 90 % (${high} %)`);
    } finally {
      await battery.setPercent(100);
    }
  },
};

async function reportedAt(rig: Rig, battery: { setPercent(p: number): Promise<void> }, percent: number): Promise<number> {
  await battery.setPercent(percent);
  const status = await rig.rpc.status();
  assert.ok(Math.abs(status.battPct - percent) <= TOLERANCE_PCT, `status reads ${status.battPct} % (${status.battV} V) for a ${percent} % cell`);
  // A quiet strap beats every 10 minutes (firmware/power/heartbeat.ts): ask for a beat.
  const since = rig.lines().length;
  await rig.rpc.heartbeat();
  const beat = await rig.waitForLine(/^\[hb\] up=\d+s batt=(\d+)% ([\d.]+)V/, { timeoutMs: 2000, since });
  const beatPct = Number(beat[1]);
  assert.ok(Math.abs(beatPct - percent) <= TOLERANCE_PCT, `the heartbeat reads ${beatPct} % for a ${percent} % cell`);
  return beatPct;
}
