/**
 * Watchdog and resets, through the console alone (every rig): a reboot asked
 * over RPC, and a firmware stuck in a loop, which the auto-kicked watchdog
 * resets; the strap boots again each time, counting the boot. `reset()`
 * (Espruino's soft reset) clears RAM without running the stored boot code,
 * so the strap is gone until `load()` brings it back.
 */
import assert from 'node:assert/strict';
import type { Scenario } from './scenario';
import { waitForBoot } from './scenario';

export const rebootScenario: Scenario = {
  name: 'reboot',
  title: 'a reboot over RPC boots the strap again',
  tags: [],
  async run(rig) {
    const before = await rig.rpc.status();
    const since = rig.lines().length;
    assert.deepEqual(await rig.rpc.reboot(50), { inMs: 50 });
    assert.equal(await waitForBoot(rig, since), before.boots + 1);
    assert.equal((await rig.rpc.status()).boots, before.boots + 1);
  },
};

export const watchdogScenario: Scenario = {
  name: 'watchdog',
  title: 'a hung firmware loop is reset by the watchdog and boots again',
  tags: [],
  // the strap's watchdog runs out after 20 s on a bench board
  boardTimeMs: 25_000,
  async run(rig) {
    const before = await rig.rpc.status();
    const since = rig.lines().length;
    await rig.console.send('while(1){}', { clearLine: true });
    assert.equal(await waitForBoot(rig, since, 60_000), before.boots + 1, 'boot number after the watchdog reset');
    await rig.console.sync();
    const after = await rig.rpc.status();
    assert.equal(after.boots, before.boots + 1);
    assert.equal(after.mode, 'normal');
  },
};

export const softResetScenario: Scenario = {
  name: 'soft-reset',
  title: 'reset() leaves the board without the strap; load() boots it again',
  tags: [],
  async run(rig) {
    const before = await rig.rpc.status();
    await rig.console.evaluate('reset()');
    await rig.waitMs(200);
    await rig.console.sync();
    assert.equal(await rig.console.hasGlobal('strap'), false, 'reset() does not run the stored boot code');
    const since = rig.lines().length;
    await rig.console.send('load()');
    assert.equal(await waitForBoot(rig, since), before.boots + 1);
    assert.equal(await rig.console.hasGlobal('strap'), true);
  },
};

export const resetPinScenario: Scenario = {
  name: 'reset-pin',
  title: 'the reset pin restarts the board into the strap',
  tags: ['reset-line'],
  async run(rig) {
    const before = await rig.rpc.status();
    const since = rig.lines().length;
    await rig.instrument('reset-line').pulse();
    assert.equal(await waitForBoot(rig, since), before.boots + 1);
  },
};
