/**
 * Button: a short press logs `[btn] press Nms` with LED3 lit while held; a
 * long press logs `[btn] long-press Nms` and flashes LED1 for 200 ms; no
 * LED stays on; the status counts the presses.
 */
import assert from 'node:assert/strict';
import type { LedEdge, LedName } from '../rig/rig';
import type { Scenario } from './scenario';

const PRESS = /\[btn\] (press|long-press) (\d+)ms/;

export const buttonScenario: Scenario = {
  name: 'button',
  title: 'press and long press: console line, LED feedback, press count',
  tags: ['button', 'led'],
  async run(rig) {
    const button = rig.instrument('button');
    const led = rig.instrument('led');
    const before = await rig.rpc.status();

    let t0 = await rig.nowMs();
    let since = rig.lines().length;
    await button.press(150);
    const short = await rig.waitForLine(PRESS, { timeoutMs: 2000, since });
    assert.equal(short[1], 'press');
    const heldMs = Number(short[2]);
    assert.ok(Math.abs(heldMs - 150) <= 40, `held ${heldMs} ms for a 150 ms press`);
    const blue = onPeriods(await led.edges(t0), 'LED3');
    assert.equal(blue.length, 1, 'LED3 lit once, while the button was held');
    assert.ok(Math.abs(blue[0]! - heldMs) <= 30, `LED3 on ${blue[0]} ms for a ${heldMs} ms hold`);

    t0 = await rig.nowMs();
    since = rig.lines().length;
    await button.press(1500);
    const long = await rig.waitForLine(PRESS, { timeoutMs: 3000, since });
    assert.equal(long[1], 'long-press');
    await rig.waitMs(300);
    assert.deepEqual(onPeriods(await led.edges(t0), 'LED1'), [200], 'LED1 flashes 200 ms after a long press');

    const levels = await led.levels();
    assert.equal(levels.LED1 || levels.LED3, false, 'no feedback LED left on');
    assert.equal((await rig.rpc.status()).presses, before.presses + 2);
  },
};

/** How long (ms) `name` was on, for each time it was switched on and off again. */
export function onPeriods(edges: readonly LedEdge[], name: LedName): number[] {
  const periods: number[] = [];
  let onAt: number | undefined;
  for (const e of edges.filter((x) => x.led === name)) {
    if (e.on && onAt === undefined) onAt = e.timeMs;
    else if (!e.on && onAt !== undefined) {
      periods.push(Math.round(e.timeMs - onAt));
      onAt = undefined;
    }
  }
  return periods;
}
