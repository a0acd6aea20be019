/**
 * LED: the heartbeat of an awake strap (here one asked for over the RPC)
 * flashes LED2 for 20 ms, and it goes off again. A press wakes the strap
 * first: after a few idle minutes it goes quiet and its beats leave the LED
 * dark (firmware/power/heartbeat.ts).
 */
import assert from 'node:assert/strict';
import type { Scenario } from './scenario';
import { onPeriods } from './button';

export const ledScenario: Scenario = {
  name: 'led',
  title: 'the heartbeat flashes LED2 for 20 ms',
  tags: ['led', 'button'],
  async run(rig) {
    const led = rig.instrument('led');
    await rig.instrument('button').press(100);
    const t0 = await rig.nowMs();
    const since = rig.lines().length;
    // Ask for a beat rather than wait up to a minute for one.
    await rig.rpc.heartbeat();
    await rig.waitForLine(/^\[hb\] up=\d+s/, { timeoutMs: 2000, since });
    await rig.waitMs(100);
    const flashes = onPeriods(await led.edges(t0), 'LED2');
    assert.deepEqual(flashes, [20], 'one 20 ms LED2 flash per heartbeat');
    assert.equal((await led.levels()).LED2, false);
  },
};
