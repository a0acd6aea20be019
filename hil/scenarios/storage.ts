/**
 * Storage across power cycles: a file written over the console, the boot
 * counter and the settings survive a power cycle byte for byte.
 */
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import type { Scenario } from './scenario';
import { waitForBoot } from './scenario';

const FILE = 'hil.persist';

export const storageScenario: Scenario = {
  name: 'storage',
  title: 'a file, the boot count and the settings survive a power cycle',
  tags: ['supply'],
  async run(rig) {
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31 + 7) & 0xff));
    await rig.console.uploadFile(FILE, data);
    assert.deepEqual(await rig.rpc.storageCrc32(FILE), { name: FILE, size: data.length, crc32: crc32(data) >>> 0 });
    const settings = await rig.console.readFile('strap.cfg');
    const before = await rig.rpc.status();
    try {
      const since = rig.lines().length;
      await rig.instrument('supply').powerCycle(300);
      assert.equal(await waitForBoot(rig, since), before.boots + 1, 'the boot count carries on');
      await rig.console.sync();
      assert.deepEqual(await rig.console.readFile(FILE), data, 'the file reads back identical');
      assert.deepEqual(await rig.rpc.storageCrc32(FILE), { name: FILE, size: data.length, crc32: crc32(data) >>> 0 });
      assert.deepEqual(await rig.console.readFile('strap.cfg'), settings, 'the settings are untouched');
      assert.equal((await rig.rpc.status()).mode, 'normal');
    } finally {
      await rig.console.evaluate(`require("Storage").erase(${JSON.stringify(FILE)})`);
    }
  },
};
