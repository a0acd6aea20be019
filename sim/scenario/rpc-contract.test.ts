// The strap RPC contract (protocols/strap-rpc/contract.ts) is the firmware's:
// the built bundle (dist/strap.js, unmodified) on the virtual board answers
// every method and emits every event, and each reply and event fits the
// contract exactly (no field it does not name). The host's half of the RPC is
// the protocols codec (sim/ does not import host-bridge/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { powerModeMachine } from '../../firmware/statecharts/host/power-mode.machine';
import { ConsoleChar } from '../../protocols/espruino/console-bytes';
import { object } from '../../protocols/strap-rpc/check';
import {
  EVENTS,
  METHODS,
  POWER_MODES,
  readEvent,
  readFailure,
  readResult,
  type EventName,
  type FailureCode,
  type MethodName,
} from '../../protocols/strap-rpc/contract';
import { encodeRequest, FRAME_START, parseFrame, resultLine, sealFrame, type BoardFrame, type EventFrame, type ReplyFrame } from '../../protocols/strap-rpc/frame';
import { printed } from '../board/board-test-kit';
import { FlashMemory } from '../board/storage/flash-memory';
import { createVirtualStrap } from './virtual-strap';

const FIRMWARE = readFileSync(new URL('../../dist/strap.js', import.meta.url), 'latin1');
const EXACT = { exact: true };

function bootStrap(flash = new FlashMemory()) {
  const strap = createVirtualStrap({ firmware: FIRMWARE, flash, powerOn: false });
  const { board } = strap;
  let out = '';
  board.console.onOutput((bytes) => (out += bytes));
  board.powerOn();
  board.run(10);
  let nextId = 1;

  const frames = (): BoardFrame[] =>
    printed(out)
      .filter((line) => line.includes(FRAME_START))
      .flatMap((line) => line.split(FRAME_START).slice(1).map(parseFrame));
  /** Types an echo-off console line, as the host bridge's console client does. */
  const type = (statement: string) => {
    board.console.input(ConsoleChar.DLE + statement + '\n');
    board.run(20);
  };
  const reply = (id: string): ReplyFrame => {
    const found = frames().filter((f): f is ReplyFrame => f.kind === 'reply' && f.id === id);
    expect(found, `one reply to ${id}`).toHaveLength(1);
    return found[0]!;
  };
  /** Calls a method through the protocols codec; the reply frame as printed. */
  const call = (method: string, params?: unknown): ReplyFrame => {
    const id = `c${nextId++}`;
    const request = encodeRequest(id, method, params);
    if ('problem' in request) throw new Error(request.problem);
    type(request.statement);
    return reply(id);
  };
  const events = () => frames().filter((f): f is EventFrame => f.kind === 'event');
  const value = (expression: string): unknown => {
    const outcome = board.evaluate(expression);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
  return { ...strap, call, type, frames, events, value, output: () => out };
}

/** A result that fits the contract exactly; the test fails naming the field otherwise. */
function expectResult(method: MethodName, frame: ReplyFrame): unknown {
  expect(frame.ok, `${method} answered ${JSON.stringify(frame.value)}`).toBe(true);
  const result = readResult(method, frame.value, EXACT);
  if (!result.ok) expect.fail(`${method}: ${result.misfit.message}`);
  return result.value;
}

function expectFailure(frame: ReplyFrame, code: FailureCode): void {
  expect(frame.ok).toBe(false);
  const failure = readFailure(frame.value, EXACT);
  if (!failure.ok) expect.fail(`error reply: ${failure.misfit.message}`);
  expect(failure.value.code).toBe(code);
}

function expectEventsFit(events: EventFrame[]): Set<string> {
  const names = new Set<string>();
  for (const event of events) {
    expect(Object.keys(EVENTS), `event ${event.name} is in the contract`).toContain(event.name);
    const data = readEvent(event.name as EventName, event.data, EXACT);
    if (!data.ok) expect.fail(`event ${event.name}: ${data.misfit.message}`);
    names.add(event.name);
  }
  return names;
}

describe('the strap RPC contract is what the built firmware answers and emits', () => {
  it('answers every method of the contract with a result that fits it exactly', () => {
    const strap = bootStrap();
    strap.board.run(5000);
    const called = new Set<string>();
    const check = (method: MethodName, params?: unknown) => {
      called.add(method);
      return expectResult(method, strap.call(method, params));
    };
    expect(check('ping', { text: 'caf\u00e9 | "q"', n: [1, 2.5, null] })).toMatchObject({ echo: { text: 'caf\u00e9 | "q"', n: [1, 2.5, null] } });
    check('ping');
    expect(check('status')).toMatchObject({ mode: 'normal', boots: 1, upS: 5, lastTap: '', pwr: 'normal' });
    check('power.status');
    expect(check('memory')).toMatchObject({ total: 2630 });
    expect(check('events.subscribe')).toEqual({ boots: 1, seq: 0 });
    expect(check('events.replay', { from: 1 })).toEqual({ count: 1 });
    expect(check('events.unsubscribe')).toBe(true);
    expect(check('storage.crc32', { name: '.bootcde' })).toMatchObject({ name: '.bootcde', size: FIRMWARE.length });
    check('storage.hash', {});
    check('storage.hash', { pattern: '^strap' });
    // A beat on demand: the line and the event a periodic beat prints, 5 s after boot (no periodic one yet).
    const before = strap.output().length;
    expect(check('heartbeat')).toMatchObject({ upS: 5, mode: 'normal' });
    expect(strap.output().slice(before)).toMatch(/\[hb\] up=5s batt=\d+% /);
    // The wearer: unlocked (card emulation starting), then, after a tap, the transaction kept; locked.
    expect(check('wearer.unlock')).toEqual({ worn: true, unlocked: true, ce: 'starting' });
    strap.board.run(200);
    expect(check('payments.last')).toEqual([]);
    expect(check('wearer.lock')).toEqual({ worn: true, unlocked: false, ce: 'stopping' });
    strap.board.run(200);
    strap.target.setClasp(false);
    strap.board.run(100);
    expectFailure(strap.call('wearer.unlock'), 'not-ready');
    strap.target.setClasp(true);
    strap.board.run(100);
    // The cell low: the scheduler in reserve-only, what status and power.status then say.
    strap.board.cell.setPercent(0.3);
    strap.value('strap.scheduler.sample()');
    expect(check('status')).toMatchObject({ pwr: 'reserveOnly', shed: 4 });
    expect(check('power.status')).toMatchObject({ mode: 'reserveOnly', payLeft: 0 });
    // No radio is attached to this board: the BLE methods answer not-ready (their results on a board with
    // the SoftDevice model: strap-pairing.test.ts).
    for (const method of ['ble.pair', 'ble.forget', 'ble.status'] as const) {
      called.add(method);
      expectFailure(strap.call(method), 'not-ready');
    }
    expect(check('reboot', { delayMs: 50 })).toEqual({ inMs: 50 });
    strap.board.run(500);
    expect(strap.output()).toContain('boot #2');
    expect(check('reboot', {})).toEqual({ inMs: 100 });
    expect([...called].sort()).toEqual(Object.keys(METHODS).sort());
  });

  it('answers a status in safe mode that fits, with its reason', () => {
    const flash = new FlashMemory();
    const strap = bootStrap(flash);
    strap.board.writeFile('strap.cfg', 'oops');
    strap.board.hardReset();
    strap.board.run(10);
    expect(expectResult('status', strap.call('status'))).toMatchObject({ mode: 'safe', safeReason: 'strap.cfg does not parse (4 bytes)' });
  });

  it('answers errors with the codes the contract names', () => {
    const strap = bootStrap();
    expectFailure(strap.call('pay'), 'unknown-method');
    expectFailure(strap.call('storage.crc32', { name: 3 }), 'bad-params');
    expectFailure(strap.call('events.replay', {}), 'bad-params');
    expectFailure(strap.call('storage.hash', { pattern: 3 }), 'bad-params');
    // issue 8: its params are optional, so no params at all is a hash, not bad-params
    expect(strap.call('storage.hash').ok).toBe(true);
    expectFailure(strap.call('reboot', { delayMs: -1 }), 'bad-params');
    expectFailure(strap.call('storage.crc32', { name: 'nothing.here' }), 'not-found');
    strap.type(`strap.rpc("x1|reboot|{}|00000000")`);
    strap.type('strap.rpc(42)');
    strap.type(`strap.rpc(${JSON.stringify(sealFrame('x2|ping|{oops'))})`);
    strap.type(`strap.rpc("${'x'.repeat(600)}")`);
    const refusals = strap.frames().filter((f): f is ReplyFrame => f.kind === 'reply' && !f.id.startsWith('c'));
    expect(refusals.map((f) => [f.id, (f.value as { code: string }).code])).toEqual([
      ['x1', 'bad-crc'],
      ['', 'bad-frame'],
      ['x2', 'bad-frame'],
      ['', 'too-long'],
    ]);
    for (const refusal of refusals) expectFailure(refusal, (refusal.value as { code: FailureCode }).code);
  });

  it('emits every event of the contract with data that fits it exactly', async () => {
    const strap = bootStrap();
    expectResult('events.subscribe', strap.call('events.subscribe'));
    strap.board.pressButton(200);
    strap.board.run(60_000);
    // Unlocked (wearer), a paid tap (tap with the SE's transaction, power as the payments left change), its notice within the minute.
    expectResult('wearer.unlock', strap.call('wearer.unlock'));
    strap.board.run(200);
    await strap.payment.tap({ amountMinor: 1250 });
    strap.board.run(61_000);
    expect(expectResult('payments.last', strap.call('payments.last'))).toEqual([{ atc: 1, amount: 1250, currency: 978, outcome: 'online', upS: expect.any(Number) }]);
    // A field lost before the SE's transaction.
    await strap.payment.tap({ amountMinor: 500, loseFieldAtApdu: 2 });
    strap.board.run(2000);
    const names = expectEventsFit(strap.events());
    expect(strap.events().filter((e) => e.name === 'tap').map((e) => e.data)).toEqual([
      { ok: true, why: '', payLeft: expect.any(Number), atc: 1, amount: 1250, currency: 978 },
      { ok: false, why: 'failed', payLeft: expect.any(Number) },
    ]);

    const safe = bootStrap();
    safe.board.writeFile('strap.cfg', 'oops');
    safe.board.hardReset();
    safe.board.run(10);
    expectResult('events.subscribe', safe.call('events.subscribe'));
    for (const name of expectEventsFit(safe.events())) names.add(name);
    expect([...names].sort()).toEqual(Object.keys(EVENTS).sort());
  });

  it("has the power-mode statechart's top states as its power modes", () => {
    expect(Object.keys(powerModeMachine.config.states ?? {}).sort()).toEqual([...POWER_MODES].sort());
  });
});

describe('the contract check can fail', () => {
  it('catches a doctored reply, naming the field', () => {
    const strap = bootStrap();
    const real = strap.call('status');
    expectResult('status', real);
    const doctored = parseFrame(resultLine(real.id, { ...(real.value as object), battV: '4.20' }).slice(1)) as ReplyFrame;
    expect(readResult('status', doctored.value)).toMatchObject({ ok: false, misfit: { field: 'battV', expected: 'a number' } });
    expect(readResult('power.status', { ...(strap.call('power.status').value as object), mode: 'asleep' })).toMatchObject({ ok: false, misfit: { field: 'mode' } });
    expect(readEvent('tap', { ok: true, payLeft: 3 })).toMatchObject({ ok: false, misfit: { field: 'why', got: 'absent' } });
  });

  it('catches a contract that forgot a field the firmware sends', () => {
    const strap = bootStrap();
    const { value } = strap.call('memory');
    const forgetful = object({ free: { expected: 'a number', check: () => undefined }, total: { expected: 'a number', check: () => undefined } });
    expect(forgetful.check(value, '', EXACT)).toMatchObject({ field: 'usage', expected: 'no such field (not in the contract)' });
  });
});
