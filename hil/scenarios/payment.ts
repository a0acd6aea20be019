/**
 * Payment taps through the strap's tap path (firmware/payments/payment-session.ts): a
 * reader's field on the NFC controller's IRQ line powers the SE for as long
 * as the field stays; a paid tap shows green and buzzes once; a tap the cell
 * cannot carry is refused by the brownout guard before the SE is powered:
 * red twice, no motor. Either way the strap says so on the console, in its
 * status and as a `tap` event, with the payments left.
 */
import assert from 'node:assert/strict';
import { readEvent, type EventData } from '../../protocols/strap-rpc/contract';
import type { Rig } from '../rig/rig';
import { onPeriods } from './button';
import { withEvents, type Scenario } from './scenario';

const TAP_LINE = /^\[tap\] (.+), payments left (\d+)$/;
const FIELD_MS = 400;

export const paymentScenario: Scenario = {
  name: 'payment',
  title: 'a tap pays: SE powered while the field stays, green, one buzz, a tap event with the payments left',
  tags: ['nfc-field', 'haptic', 'led'],
  async run(rig) {
    const before = await rig.rpc.status();
    const t0 = await rig.nowMs();
    const { event, line } = await tapAndWait(rig);

    assert.deepEqual([event.ok, line[1]], [true, 'paid']);
    assert.equal(event.payLeft, Number(line[2]), 'the event and the line tell the same payments left');
    assert.ok(event.payLeft > 0, `a full cell leaves payments: ${event.payLeft}`);
    const leds = await rig.instrument('led').edges(t0);
    const [seOnMs] = onPeriods(leds, 'LED3');
    assert.ok(seOnMs !== undefined && Math.abs(seOnMs - FIELD_MS) <= 50, `LED3 (SE powered) for the field's ${FIELD_MS} ms, saw ${seOnMs}`);
    // (a heartbeat may flash LED2 for 20 ms meanwhile)
    assert.ok(onPeriods(leds, 'LED2').includes(200), `green for 200 ms: ${onPeriods(leds, 'LED2')}`);
    const buzzes = await rig.instrument('haptic').pulses(t0);
    assert.equal(buzzes.length, 1, 'one buzz');
    assert.ok(Math.abs(buzzes[0]!.onMs - 100) <= 10, `a 100 ms buzz, saw ${buzzes[0]!.onMs} ms`);

    const after = await rig.rpc.status();
    assert.equal(after.paid, before.paid + 1);
    assert.match(String(after.lastTap), /^paid, payments left \d+$/);
  },
};

export const paymentRefusedScenario: Scenario = {
  name: 'payment-low-cell',
  title: 'a tap the cell cannot carry is refused (red twice, no SE, no motor); a charged cell pays again',
  tags: ['nfc-field', 'haptic', 'led', 'battery'],
  async run(rig) {
    const battery = rig.instrument('battery');
    try {
      // 0.3 %: about 3.04 V at rest; under the SE's peak through the cell's resistance it would cross the 3.0 V brownout threshold.
      await battery.setPercent(0.3);
      await rig.console.evaluate('strap.scheduler.sample()');
      const t0 = await rig.nowMs();
      const refused = await tapAndWait(rig);
      assert.deepEqual([refused.event.ok, refused.event.why, refused.line[1]], [false, 'brownout', 'refused brownout']);
      assert.equal(refused.event.payLeft, 0);
      const leds = await rig.instrument('led').edges(t0);
      assert.deepEqual(onPeriods(leds, 'LED1'), [100, 100], 'red twice');
      assert.deepEqual(onPeriods(leds, 'LED3'), [], 'the SE was never powered');
      assert.deepEqual(await rig.instrument('haptic').pulses(t0), [], 'no buzz');
    } finally {
      await battery.setPercent(100);
    }
    await rig.console.evaluate('strap.scheduler.sample()');
    const paid = await tapAndWait(rig);
    assert.deepEqual([paid.event.ok, paid.line[1]], [true, 'paid']);
  },
};

/** One tap of FIELD_MS; the strap's `tap` event and its `[tap]` console line. */
async function tapAndWait(rig: Rig): Promise<{ event: EventData<'tap'>; line: RegExpMatchArray }> {
  return withEvents(rig, async (events) => {
    const since = rig.lines().length;
    await rig.instrument('nfc-field').tap(FIELD_MS);
    const tap = await rig.waitUntil(() => events.find((e) => e.name === 'tap'), { timeoutMs: 5000, what: 'no tap event' });
    const line = await rig.waitForLine(TAP_LINE, { timeoutMs: 1000, since });
    // let the feedback (green 200 ms, buzz 100 ms; red 100/100/100) finish
    await rig.waitMs(500);
    const event = readEvent('tap', tap.data);
    if (!event.ok) assert.fail(`the tap event does not fit the contract: ${event.misfit.message}`);
    return { event: event.value, line };
  });
}
