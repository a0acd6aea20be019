/**
 * Console RPC: ping and status round trips, the event stream (a heartbeat
 * event agreeing with its console line), and resync after noise on the
 * wire — host → board noise on every rig; board → host noise (a half reply
 * frame, garbage, a half line) where the rig can put bytes on that wire.
 */
import assert from 'node:assert/strict';
import { readEvent } from '../../protocols/strap-rpc/contract';
import { withEvents, type Scenario } from './scenario';

export const consoleRpcScenario: Scenario = {
  name: 'console-rpc',
  title: 'ping and status round trips, the event stream, resync after host noise',
  tags: [],
  async run(rig) {
    const echo = { text: 'caf\u00e9 | "quoted"', n: [1, 2.5, null] };
    assert.deepEqual((await rig.rpc.ping(echo)).echo, echo);
    const status = await rig.rpc.status();
    assert.match(status.fw, /^strap \d+\.\d+\.\d+$/);
    assert.equal(status.mode, 'normal');

    await withEvents(rig, async (events) => {
      const since = rig.lines().length;
      // A quiet strap beats every 10 minutes: ask for a beat rather than wait for one.
      const asked = await rig.rpc.heartbeat();
      const beat = await rig.waitUntil(() => events.find((e) => e.name === 'hb'), { timeoutMs: 2000, what: 'no hb event' });
      assert.deepEqual(beat.data, asked, 'the reply is the beat the event reports');
      const line = await rig.waitForLine(/^\[hb\] up=(\d+)s batt=(\d+)%/, { timeoutMs: 1000, since });
      const hb = readEvent('hb', beat.data);
      if (!hb.ok) assert.fail(`the hb event does not fit the contract: ${hb.misfit.message}`);
      assert.deepEqual([hb.value.upS, hb.value.battPct], [Number(line[1]), Number(line[2])], 'the event says what the line says');
    });

    // Host → board noise: an open bracket leaves the board collecting a statement; the retry's Ctrl-C ends it.
    const timeoutsBefore = rig.rpc.stats.timeouts;
    await rig.console.transport.write(Buffer.from('\x1eR|zz|1|{"half":#&*(garbage', 'latin1'));
    assert.deepEqual((await rig.rpc.ping('after noise')).echo, 'after noise');
    assert.ok(rig.rpc.stats.timeouts > timeoutsBefore, 'the damaged attempt timed out and was retried');
  },
};

export const wireResyncScenario: Scenario = {
  name: 'wire-resync',
  title: 'noise and a half frame from the board: the host resyncs on the next frame',
  tags: ['wire-noise'],
  async run(rig) {
    const wire = rig.instrument('wire-noise');
    await wire.boardSends('\x02\x03\xff\x00garbage\x02zz\r\n');
    await wire.boardSends('\x1eR|zz1|1|{"half":');
    assert.equal(await rig.console.evaluate('6*7'), 42);
    assert.deepEqual((await rig.rpc.ping('after a half frame')).echo, 'after a half frame');
    await wire.boardSends('half a line=3\x03abcdef\r\n\x1eE|1|99|hb|{"upS":');
    assert.equal((await rig.rpc.status()).mode, 'normal');
    assert.equal(rig.lines().filter((l) => l.includes('half a line')).length, 0, 'the tail of a reply joined half-way is not a line');
  },
};
