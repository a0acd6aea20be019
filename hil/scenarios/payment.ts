/**
 * Payment taps: a POS terminal (the rig's `pos-reader`) taps the strap. The
 * terminal's APDUs go through the NFC controller to the secure element; the
 * firmware only keeps card emulation on while the strap is worn (the clasp),
 * unlocked and admitted by the power policy, and hears the field and the
 * SE's transaction afterwards: a
 * paid tap shows green and buzzes once, with a `[tap]` line, a `tap` event
 * carrying the ATC and amount, and the transaction kept for the phone
 * (`payments.last`).
 *
 * Who unlocks: the wearer's phone over the wallet service where the rig has
 * one (`ble-central`): it pairs (the window opened with `ble.pair`),
 * unlocks, and hangs up, since a bonded phone's encrypted link takes the
 * strap's console and the scenarios go on over the serial console RPC;
 * else the console RPC `wearer.unlock`. Each scenario leaves no bond behind.
 */
import assert from 'node:assert/strict';
import { readEvent, type EventData } from '../../protocols/strap-rpc/contract';
import type { BleOutcome, BleWalletOp, PosPurchase, PosTap, Rig } from '../rig/rig';
import { passkeyToType } from './ble';
import { onPeriods } from './button';
import { withEvents, type Scenario, type ScenarioContext } from './scenario';

const TAP_LINE = /^\[tap\] (paid|declined|failed|refused brownout), payments left (\d+)(?: \((\d+\.\d\d) (\S+), atc (\d+)\))?$/;
/** Card emulation's bring-up (SE soft reset, flag, NCI reset to discovery) is done well within this (board ms). */
const CE_SETTLE_MS = 500;
const PURCHASE: PosPurchase = { amountMinor: 1250 };

export const paymentScenario: Scenario = {
  name: 'payment',
  title: 'a POS tap on the worn, unlocked strap is approved: ATC and ARQC, green, one buzz, a tap event with the ATC, the transaction kept',
  tags: ['pos-reader', 'haptic', 'led'],
  run(rig, context) {
    return withWearer(rig, context, async (wearer) => {
      await wearer.unlock();
      const before = await rig.rpc.status();
      const t0 = await rig.nowMs();
      const { pos, event, line } = await tapAndWait(rig, PURCHASE);

      assert.equal(pos.outcome, 'approved', `the terminal's outcome: ${JSON.stringify(pos)}`);
      assert.equal(pos.arc, '00', 'the issuer approved');
      assert.match(String(pos.cryptogram), /^[0-9A-F]{16}$/, 'an 8-byte ARQC');
      assert.ok(pos.tapMs <= 300, `tap to outcome within 300 ms, took ${pos.tapMs} ms`);
      assert.ok(event, 'a tap event');
      assert.deepEqual([event.ok, event.atc, event.amount, event.currency], [true, pos.atc, 1250, 978]);
      assert.deepEqual([line?.[1], line?.[3], line?.[4], Number(line?.[5])], ['paid', '12.50', 'EUR', pos.atc]);
      assert.equal(event.payLeft, Number(line![2]), 'the event and the line tell the same payments left');
      const leds = await rig.instrument('led').edges(t0);
      // (a heartbeat may flash LED2 for 20 ms meanwhile)
      assert.ok(onPeriods(leds, 'LED2').includes(200), `green for 200 ms: ${onPeriods(leds, 'LED2')}`);
      const buzzes = await rig.instrument('haptic').pulses(t0);
      assert.equal(buzzes.length, 1, 'one buzz');
      assert.ok(Math.abs(buzzes[0]!.onMs - 100) <= 10, `a 100 ms buzz, saw ${buzzes[0]!.onMs} ms`);

      const after = await rig.rpc.status();
      assert.equal(after.paid, before.paid + 1);
      assert.match(String(after.lastTap), /^paid, payments left \d+$/);
      const kept = await rig.rpc.call('payments.last');
      assert.deepEqual(kept[0] && [kept[0].atc, kept[0].amount, kept[0].outcome], [pos.atc, 1250, 'online']);
    });
  },
};

export const paymentOffWristScenario: Scenario = {
  name: 'payment-off-wrist',
  title: 'a strap taken off the wrist (clasp open) locks itself: the terminal finds no card, also once it is back on, until the phone unlocks it',
  tags: ['pos-reader', 'clasp'],
  run(rig, context) {
    return withWearer(rig, context, async (wearer) => {
      const clasp = rig.instrument('clasp');
      await wearer.unlock();
      try {
        await clasp.set(false);
        await rig.waitMs(CE_SETTLE_MS);
        assert.deepEqual(pick(await rig.rpc.status()), { worn: false, unlocked: false, ce: 'off' });
        const off = await tapAndWait(rig, PURCHASE);
        assert.equal(off.pos.outcome, 'no-card');
        assert.deepEqual([off.event, off.line], [undefined, undefined], 'the strap saw no tap');
          await wearer.unlockRefused();
      } finally {
        await clasp.set(true);
        await rig.waitMs(CE_SETTLE_MS);
      }
      assert.equal((await tapAndWait(rig, PURCHASE)).pos.outcome, 'no-card', 'back on the wrist it stays locked');
      await wearer.unlock();
      assert.equal((await tapAndWait(rig, PURCHASE)).pos.outcome, 'approved');
    });
  },
};

export const paymentLowCellScenario: Scenario = {
  name: 'payment-low-cell',
  title: 'on a cell that cannot carry the SE card emulation is off (no card, no SE, no motor); charged, the next power report turns it on and it pays',
  tags: ['pos-reader', 'haptic', 'led', 'battery'],
  run(rig, context) {
    return withWearer(rig, context, async (wearer) => {
      const battery = rig.instrument('battery');
      await wearer.unlock();
      try {
        // 0.3 %: about 3.04 V at rest; under the SE's peak through the cell's resistance it would cross the 3.0 V brownout threshold.
        await battery.setPercent(0.3);
        await rig.console.evaluate('strap.scheduler.sample()');
        await rig.rpc.heartbeat(); // a power report: card emulation looks at its admission again
        await rig.waitMs(CE_SETTLE_MS);
        assert.equal((await rig.rpc.status()).ce, 'off', 'card emulation off on a low cell');
        const t0 = await rig.nowMs();
        const low = await tapAndWait(rig, PURCHASE);
        assert.equal(low.pos.outcome, 'no-card');
        assert.equal(low.event, undefined, 'no tap for the strap');
        assert.deepEqual(onPeriods(await rig.instrument('led').edges(t0), 'LED3'), [], 'no tap session');
        assert.deepEqual(await rig.instrument('haptic').pulses(t0), [], 'no buzz');
      } finally {
        await battery.setPercent(100);
      }
      await rig.console.evaluate('strap.scheduler.sample()');
      await rig.rpc.heartbeat();
      await rig.waitMs(CE_SETTLE_MS);
      assert.equal((await rig.rpc.status()).ce, 'on', 'card emulation back on');
      assert.equal((await tapAndWait(rig, PURCHASE)).pos.outcome, 'approved');
    });
  },
};

export const paymentFieldLostScenario: Scenario = {
  name: 'payment-field-lost',
  title: 'a field lost mid-tap leaves no half-state: the terminal sees field-lost, the strap a failed tap (red, no buzz), the next tap is approved',
  tags: ['pos-reader', 'haptic', 'led'],
  run(rig, context) {
    return withWearer(rig, context, async (wearer) => {
      await wearer.unlock();
      const t0 = await rig.nowMs();
      // Lost while the SELECT of the payment application is on the air: before any cryptogram.
      const lost = await tapAndWait(rig, { ...PURCHASE, loseFieldAtApdu: 2 });
      assert.equal(lost.pos.outcome, 'field-lost');
      assert.ok(lost.event, 'the strap reports the field it saw');
      assert.deepEqual([lost.event.ok, lost.event.why, lost.event.atc], [false, 'failed', undefined]);
      assert.equal(lost.line?.[1], 'failed');
      assert.deepEqual(onPeriods(await rig.instrument('led').edges(t0), 'LED1'), [500], 'a long red');
      assert.deepEqual(await rig.instrument('haptic').pulses(t0), [], 'no buzz');
      const next = await tapAndWait(rig, PURCHASE);
      assert.equal(next.pos.outcome, 'approved');
      assert.equal(next.event?.ok, true);
    });
  },
};

export const paymentSuspendedScenario: Scenario = {
  name: 'payment-suspended',
  title: 'the phone suspends the token over the wallet service: the next tap is declined at the card (no issuer asked, red, no buzz); resumed, the tap after is approved',
  tags: ['pos-reader', 'ble-central', 'haptic', 'led'],
  run(rig, context) {
    return withWearer(rig, context, async (wearer) => {
      await wearer.unlock();
      const suspended = await wearer.phone('suspend');
      assert.ok(suspended && suspended.ok, `the phone suspends the token: ${JSON.stringify(suspended)}`);
      const t0 = await rig.nowMs();
      const declined = await tapAndWait(rig, PURCHASE);
      assert.deepEqual([declined.pos.outcome, declined.pos.reason, declined.pos.arc], ['declined', 'card-declined', undefined], 'declined by the card (an AAC), the issuer never asked');
      assert.deepEqual([declined.line?.[1], Number(declined.line?.[5])], ['declined', declined.pos.atc]);
      assert.deepEqual([declined.event?.ok, declined.event?.why], [false, 'declined']);
      assert.deepEqual(onPeriods(await rig.instrument('led').edges(t0), 'LED1'), [500], 'a long red');
      assert.deepEqual(await rig.instrument('haptic').pulses(t0), [], 'no buzz');
      const kept = await rig.rpc.call('payments.last');
      assert.deepEqual(kept[0] && [kept[0].atc, kept[0].outcome], [declined.pos.atc, 'declined']);
      const resumed = await wearer.phone('resume');
      assert.ok(resumed && resumed.ok, `the phone resumes the token: ${JSON.stringify(resumed)}`);
      assert.equal((await tapAndWait(rig, PURCHASE)).pos.outcome, 'approved');
    });
  },
};

interface Wearer {
  /** The worn strap unlocked (by the phone where the rig has one); card emulation comes up. */
  unlock(): Promise<void>;
  /** An unlock that the strap off the wrist refuses (the phone's result 3, or the RPC's not-ready). */
  unlockRefused(): Promise<void>;
  /** The phone asks a wallet op; false where the rig has no phone. */
  phone(op: BleWalletOp): Promise<BleOutcome | false>;
}

/** Hangs up so that the strap's console is back on the serial port (the bonded link takes it). */
const HANG_UP_MS = 200;

/** Runs `body` with the wearer's unlock path, forgetting the phone's bond on both sides afterwards. */
async function withWearer(rig: Rig, context: ScenarioContext, body: (wearer: Wearer) => Promise<void>): Promise<void> {
  const hasPhone = rig.capabilities.has('ble-central');
  if (!hasPhone) context.note('no phone on this rig (ble-central): the strap is unlocked over the console RPC, wearer.unlock');
  const central = hasPhone ? rig.instrument('ble-central') : undefined;
  let paired = false;
  const phone = async (op: BleWalletOp): Promise<BleOutcome | false> => {
    if (!central) return false;
    if (!paired) {
      const opened = await rig.rpc.call('ble.pair');
      assert.deepEqual([opened.window, opened.why], [true, ''], 'ble.pair opens the pairing window');
      // the phone taps the tag where the rig has a reader, else types the passkey ble.pair answered
      const done = await central.pair(passkeyToType(rig, opened.passkey));
      assert.ok(done.ok, `the phone pairs: ${JSON.stringify(done)}`);
      paired = true;
    } else {
      const back = await central.reconnect();
      assert.ok(back.ok, `the phone reconnects: ${JSON.stringify(back)}`);
    }
    const answer = await central.wallet(op);
    await central.disconnect();
    await rig.waitMs(HANG_UP_MS);
    return answer;
  };
  const wearer: Wearer = {
    async unlock() {
      const answer = await phone('unlock');
      if (answer) assert.ok(answer.ok, `the phone unlocks: ${JSON.stringify(answer)}`);
      else {
        const state = await rig.rpc.call('wearer.unlock');
        assert.deepEqual([state.worn, state.unlocked], [true, true]);
      }
      // Card emulation's bring-up follows the unlock; a real-time rig's board may lag the wall clock a little.
      let ce = '';
      for (let waited = 0; waited < 4 * CE_SETTLE_MS && ce !== 'on'; waited += CE_SETTLE_MS) {
        await waitBoardMs(rig, CE_SETTLE_MS);
        ce = String((await rig.rpc.status()).ce);
      }
      assert.equal(ce, 'on', 'card emulation on once unlocked');
    },
    async unlockRefused() {
      const answer = await phone('unlock');
      if (answer) assert.deepEqual(answer.ok ? answer : { code: answer.code }, { code: 3 }, 'the phone cannot unlock a strap nobody wears (result 3)');
      else await assert.rejects(rig.rpc.call('wearer.unlock'), /not-ready|not worn/, 'no unlocking a strap nobody wears');
    },
    phone,
  };
  try {
    await body(wearer);
  } finally {
    if (central && paired) {
      // a failure may have left the phone connected, holding the console
      await central.disconnect();
      await rig.waitMs(HANG_UP_MS);
      await rig.rpc.call('ble.forget');
      await central.forgetBond();
    }
  }
}

/**
 * Lets `ms` of board time pass: on a real-time rig the board process may fall behind the wall clock (a loaded
 * host, the radio's advertising events to simulate), so it waits until the board's own clock has moved on.
 */
async function waitBoardMs(rig: Rig, ms: number): Promise<void> {
  const until = (await rig.nowMs()) + ms;
  await rig.waitMs(ms);
  for (let now = await rig.nowMs(); now < until; now = await rig.nowMs()) await rig.waitMs(Math.min(100, until - now));
}

function pick(status: { worn?: boolean; unlocked?: boolean; ce?: string }) {
  return { worn: status.worn, unlocked: status.unlocked, ce: status.ce };
}

/** One POS tap; the terminal's outcome, and the strap's `tap` event and `[tap]` line if it saw one. */
async function tapAndWait(rig: Rig, purchase: PosPurchase): Promise<{ pos: PosTap; event?: EventData<'tap'>; line?: RegExpMatchArray }> {
  return withEvents(rig, async (events) => {
    const since = rig.lines().length;
    const pos = await rig.instrument('pos-reader').tap(purchase);
    // the strap reads the controller's notifications after the field; let its feedback (green 200 ms, buzz 100 ms; red 500 ms) finish
    await waitBoardMs(rig, 1000);
    const tap = events.find((e) => e.name === 'tap');
    const line = rig.lines().slice(since).map((l) => TAP_LINE.exec(l)).find((m) => m !== null) ?? undefined;
    if (!tap) return { pos, line };
    const event = readEvent('tap', tap.data);
    if (!event.ok) assert.fail(`the tap event does not fit the contract: ${event.misfit.message}`);
    return { pos, event: event.value, line };
  });
}
