/**
 * Boot: the strap prints its banner after power comes back, and its boot
 * counter (in Storage) goes up by one per boot, whether the supply was
 * cycled or cut and restored.
 */
import assert from 'node:assert/strict';
import type { Scenario } from './scenario';
import { waitForBoot } from './scenario';

export const bootScenario: Scenario = {
  name: 'boot',
  title: 'banner after power-on; the boot counter counts every boot',
  tags: ['supply'],
  async run(rig) {
    const supply = rig.instrument('supply');
    const before = await rig.rpc.status();

    let since = rig.lines().length;
    await supply.powerCycle(500);
    assert.equal(await waitForBoot(rig, since), before.boots + 1, 'boot number after a power cycle');

    since = rig.lines().length;
    await supply.cut();
    await rig.waitMs(2000);
    assert.equal(rig.lines().length, since, 'a board without power prints nothing');
    await supply.restore();
    assert.equal(await waitForBoot(rig, since), before.boots + 2, 'boot number after a cut and restore');

    const after = await rig.rpc.status();
    assert.equal(after.boots, before.boots + 2);
    assert.equal(after.mode, 'normal');
    assert.ok(after.upS < 10, `up ${after.upS} s right after a boot`);
  },
};
