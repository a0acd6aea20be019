/**
 * Flashing: host-bridge/flash writes the rig's firmware bundle into the
 * board's inactive slot, verifies it and boots it; the strap comes back
 * with its boot count carried on, and the stored bytes match the bundle.
 */
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { flashFirmware } from '../../host-bridge/flash/index';
import type { Scenario } from './scenario';

export const flashingScenario: Scenario = {
  name: 'flashing',
  title: 'flash the bundle through the console; the strap boots it',
  tags: ['flash'],
  timeoutMs: 120_000,
  async run(rig, context) {
    const { bundle } = rig.instrument('flash');
    const before = await rig.rpc.status();
    const phases: string[] = [];
    const result = await flashFirmware(rig.console, { bundle: bundle.toString('latin1'), onProgress: (p) => phases.at(-1) !== p.phase && phases.push(p.phase) });
    context.note(`flashed ${result.bytes} bytes into ${result.slot} in ${result.elapsedMs.toFixed(0)} ms (${phases.join(' → ')}): ${result.banner}`);
    assert.equal(result.bytes, bundle.length);
    assert.equal(result.crc32, crc32(bundle) >>> 0);
    assert.match(result.banner, new RegExp(`boot #${before.boots + 1}$`));
    assert.deepEqual(await rig.rpc.storageCrc32(result.slot), { name: result.slot, size: bundle.length, crc32: crc32(bundle) >>> 0 });
    assert.equal((await rig.rpc.status()).boots, before.boots + 1);
  },
};
