// Issue 3 on the board: the strap firmware (dist/strap.js, unmodified) runs its
// scheduler on the virtual board with the power model under it. A tap is a
// reader's field on the NFC controller's IRQ line; the firmware powers the SE
// on its enable pin; the cell, its charger and its brownout are sim/power's.
// What the phone would hear comes over the console RPC and event stream.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventData, EventName, MethodName, ResultOf, StrapStatus } from '../../protocols/strap-rpc/contract';
import { frameCrc, requestStatement, sealFrame } from '../../protocols/strap-rpc/frame';
import { printed } from '../board/board-test-kit';
import { FlashMemory } from '../board/storage/flash-memory';
import { attachPowerModel } from '../power/board-power';
import { STRAP_PINS } from '../strap/wiring';
import { createVirtualStrap } from './virtual-strap';
import { BUNDLE_PATH } from '../../firmware/build/outputs';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');
/** One payment and its notice as the firmware's reserve counts it (firmware/power/energy-figures.ts). */
const TAP_UAS = 25_650;
const RED = 5;

/** strap.status() once the scheduler runs: its fields, optional in the contract, are there. */
type RunningStatus = StrapStatus & Required<Pick<StrapStatus, 'pwr' | 'shed' | 'payLeft'>>;

interface Frame {
  kind: string;
  fields: string[];
  data: unknown;
}

function bootStrap(options: { percent?: number; seed?: number; flash?: FlashMemory; trace?: boolean } = {}) {
  const strap = createVirtualStrap({ firmware: FIRMWARE, seed: options.seed ?? 1, flash: options.flash, powerOn: false });
  const { board } = strap;
  if (options.percent !== undefined) board.cell.setPercent(options.percent);
  const { power } = attachPowerModel(board, { trace: options.trace ?? false });
  power.setState('nfcc', 'standby');
  let out = '';
  board.console.onOutput((bytes) => (out += bytes));
  const levels: Record<number, boolean[]> = {};
  board.onPinChange((c) => (levels[c.pin] ??= []).push(c.level));
  board.powerOn();
  board.run(10);

  /** The value of a JavaScript expression on the board, as the caller expects it to be (unchecked). */
  const value = <T = unknown>(expression: string): T => {
    const outcome = board.evaluate(expression);
    if (!outcome.ok) throw outcome.error;
    return outcome.value as T;
  };
  const frames = (): Frame[] =>
    printed(out)
      .filter((line) => line.startsWith('\x1e'))
      .map((line) => {
        const body = line.slice(1, line.lastIndexOf('|'));
        expect(line.slice(line.lastIndexOf('|') + 1)).toBe(frameCrc(body));
        const fields = body.split('|');
        const head = fields[0] === 'E' ? 4 : 3;
        return { kind: fields[0]!, fields: fields.slice(1, head), data: JSON.parse(fields.slice(head).join('|')) };
      });
  let nextId = 1;
  /** The host's half of the console RPC (protocols/strap-rpc/README.md), by hand: sim/ does not import host-bridge/. */
  const rpc = <M extends MethodName>(method: M, params: unknown = null): ResultOf<M> => {
    const body = `${nextId++}|${method}|${JSON.stringify(params)}`;
    value(requestStatement(sealFrame(body)));
    const reply = frames().filter((f) => f.kind === 'R').pop()!;
    expect(reply.fields).toEqual([String(nextId - 1), '1']);
    return reply.data as ResultOf<M>;
  };
  const events = <E extends EventName>(name: E) => frames().filter((f) => f.kind === 'E' && f.fields[2] === name).map((f) => f.data as EventData<E>);
  const tapLines = () => printed(out).filter((line) => line.startsWith('[tap] '));
  /** A reader's field for `fieldMs`, then `afterMs` more. */
  const tap = (fieldMs = 400, afterMs = 1000) => {
    strap.target.tap(fieldMs);
    board.run(fieldMs + afterMs);
  };
  return { ...strap, power, value, rpc, events, tapLines, tap, levels: (pin: number) => levels[pin] ?? [] };
}

describe('payments on the strap (firmware, virtual board, power model)', () => {
  it('pays a tap at good charge: SE powered while the field lasts, a tap event, payments left down by at most one', () => {
    const strap = bootStrap({ percent: 60 });
    expect(strap.rpc('events.subscribe')).toMatchObject({ boots: 1 });
    const before = strap.rpc('power.status');
    expect(before).toMatchObject({ mode: 'normal', shed: 0, tasks: 0 });
    strap.target.tap(500);
    strap.board.run(250);
    const seDuringField = strap.power.state('se');
    expect(strap.board.pinLevel(STRAP_PINS.SE_EN)).toBe(true);
    expect(strap.power.state('nfcc')).toBe('ce-active');
    strap.board.run(1000);

    expect(seDuringField).toBe('active');
    expect(strap.levels(STRAP_PINS.SE_EN)).toEqual([true, false]);
    expect(strap.levels(STRAP_PINS.HAPTIC)).toEqual([true, false]);
    expect(strap.power.state('nfcc')).toBe('standby');
    const tap = strap.events('tap')[0]!;
    expect(tap).toMatchObject({ ok: true, why: '' });
    expect(before.payLeft - tap.payLeft).toBeGreaterThanOrEqual(0);
    expect(before.payLeft - tap.payLeft).toBeLessThanOrEqual(1);
    expect(strap.tapLines()).toEqual([`[tap] paid, payments left ${tap.payLeft}`]);
    expect(strap.value('strap.status()')).toMatchObject({ paid: 1, payLeft: tap.payLeft, pwr: 'normal', shed: 0 });
    // The notice to the phone goes in a radio window, forced before its one-minute deadline.
    strap.board.run(60_000);
    const notice = strap.events('notice')[0]!;
    expect(notice.text).toMatch(/^paid; payments left \d+$/);
    expect(Number(notice.text.split(' ').pop())).toBeGreaterThanOrEqual(strap.value('strap.status().payLeft'));
  });

  it('refuses a tap the cell cannot carry (red twice, no SE, no motor) and pays again once charged', () => {
    // 0.3 %: 3.036 V at rest; the guard takes 25 mV of tolerance and 26.1 mA through 0.5 ohm off it: under 3.0 V.
    const strap = bootStrap({ percent: 0.3 });
    strap.rpc('events.subscribe');
    expect(strap.rpc('power.status')).toMatchObject({ mode: 'reserveOnly', shed: 4, payLeft: 0 });
    strap.tap();
    expect(strap.tapLines()).toEqual(['[tap] refused brownout, payments left 0']);
    expect(strap.events('tap')).toEqual([{ ok: false, why: 'brownout', payLeft: 0 }]);
    expect(strap.levels(STRAP_PINS.SE_EN)).toEqual([]);
    expect(strap.levels(STRAP_PINS.HAPTIC)).toEqual([]);
    expect(strap.levels(RED)).toEqual([true, false, true, false]);

    strap.power.plugCharger();
    strap.board.run(30 * 60_000);
    strap.value('strap.scheduler.sample()');
    expect(strap.rpc('power.status').payLeft).toBeGreaterThan(10);
    strap.tap();
    expect(strap.tapLines()[1]).toMatch(/^\[tap\] paid, payments left \d+$/);
    expect(strap.levels(STRAP_PINS.SE_EN)).toEqual([true, false]);
  });

  it('cuts a field held too long short: SE off at 2.5 s, the tap fails, a long red, and the next tap pays', () => {
    const strap = bootStrap({ percent: 60 });
    strap.target.tap(4000);
    strap.board.run(2400);
    expect(strap.board.pinLevel(STRAP_PINS.SE_EN)).toBe(true);
    strap.board.run(200);
    expect(strap.board.pinLevel(STRAP_PINS.SE_EN)).toBe(false);
    strap.board.run(2000);
    expect(strap.tapLines()).toEqual([expect.stringMatching(/^\[tap\] failed, payments left \d+$/)]);
    expect(strap.levels(RED)).toEqual([true, false]);
    expect(strap.levels(STRAP_PINS.HAPTIC)).toEqual([]);
    expect(strap.value('strap.scheduler.status().tasks')).toBe(0);
    strap.tap();
    expect(strap.tapLines()[1]).toMatch(/^\[tap\] paid/);
  });

  it('never lets lower classes spend the payment reserve: background work waits, the reserve still pays', () => {
    // Boot well charged, then the cell reads 12 % (the firmware's estimate ~9.5 %): user-facing work is shed, security work still runs.
    const strap = bootStrap({ percent: 50 });
    strap.board.cell.setPercent(12);
    strap.value('strap.scheduler.sample()');
    expect(strap.value('strap.status()')).toMatchObject({ pwr: 'saver', shed: 3 });
    strap.value('strap.bgRuns = 0');
    const submitSecurity = (uas: number) =>
      strap.value(`strap.scheduler.submit({cls: 1, energyUas: ${uas}, deadlineMs: 86400000, radio: false, run: function (done) { strap.bgRuns++; done(true); }})`);
    // One big task up to three payments short of the reserve, then one payment's worth at a time until one has to wait.
    // Right after each admission (same instant) the payments left are at least the reserve's 10.
    const payLeftAfter: number[] = [];
    expect(submitSecurity(Math.floor(strap.value('strap.scheduler.spendableUas()')) - 3 * TAP_UAS)).toBe('');
    payLeftAfter.push(strap.value('strap.status().payLeft'));
    for (let i = 0; i < 5 && strap.value('strap.scheduler.status().tasks') === 0; i++) {
      expect(submitSecurity(TAP_UAS)).toBe('');
      payLeftAfter.push(strap.value('strap.status().payLeft'));
    }
    expect(strap.value('strap.scheduler.status().tasks')).toBe(1); // waiting, not refused
    expect(strap.value('strap.scheduler.spendableUas()')).toBeLessThan(TAP_UAS);
    expect(payLeftAfter.every((n) => n >= 10)).toBe(true);
    expect(payLeftAfter.at(-1)).toBeLessThan(12);
    const ran = strap.value('strap.bgRuns');
    expect(ran).toBe(payLeftAfter.length - 1);

    // Ten taps, well within a heartbeat (the next sample would read the cell again, and these
    // background tasks spent only on the firmware's ledger).
    for (let i = 0; i < 10; i++) strap.tap(300, 2700);
    expect(strap.tapLines()).toHaveLength(10);
    expect(strap.tapLines().every((line) => line.startsWith('[tap] paid'))).toBe(true);
    expect(strap.value('strap.bgRuns')).toBe(ran);
    expect(strap.value('strap.scheduler.status().tasks')).toBeGreaterThanOrEqual(1);
  });

  it('sheds classes in order as the cell drains, and restores them with hysteresis while charging', () => {
    const strap = bootStrap({ percent: 70 });
    const down: Array<{ estPct: number; shed: number; mode: string }> = [];
    for (let percent = 70; percent >= 1; percent -= 1) {
      strap.board.cell.setPercent(percent);
      strap.value('strap.scheduler.sample()');
      down.push(strap.rpc('power.status'));
    }
    // Rungs at 30 / 20 / 10 / 5 %: telemetry, sync (saver), user-facing, security (reserve only).
    const rungOf = (pct: number) => (pct <= 5 ? 4 : pct <= 10 ? 3 : pct <= 20 ? 2 : pct <= 30 ? 1 : 0);
    // (estPct is rounded to 0.1 %: right at a threshold either rung is right)
    const nearThreshold = (pct: number) => [5, 10, 20, 30].some((t) => Math.abs(pct - t) <= 0.1);
    for (const s of down) if (!nearThreshold(s.estPct)) expect([s.estPct, s.shed]).toEqual([s.estPct, rungOf(s.estPct)]);
    expect(down.map((s) => s.shed)).toEqual([...down.map((s) => s.shed)].sort((a, b) => a - b));
    expect(new Set(down.map((s) => s.shed))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(down.find((s) => s.shed === 2)!.mode).toBe('saver');
    expect(down.at(-1)!.mode).toBe('reserveOnly');

    // Charging, as the phone hears it: 'power' events, each with the estimate of the sample it reports.
    strap.rpc('events.subscribe');
    strap.power.plugCharger();
    for (let i = 0; i < 60 && strap.value('strap.status().shed') !== 0; i++) {
      strap.board.run(60_000);
      strap.value('strap.scheduler.sample()');
    }
    strap.board.run(600_000); // a heartbeat reports it, even a quiet one
    const up = strap.events('power');
    expect(up.at(-1)).toMatchObject({ shed: 0, pwr: 'normal' });
    expect(up.map((s) => s.shed)).toEqual([...up.map((s) => s.shed)].sort((a, b) => b - a));
    // A rung comes back only 5 % above its threshold ...
    for (let i = 1; i < up.length; i++) {
      const { shed, estPct } = up[i]!;
      if (shed < up[i - 1]!.shed) expect(estPct).toBeGreaterThanOrEqual([35, 25, 15, 10][shed]!);
    }
    // ... so on the way up the strap told the phone of charge above a threshold with that rung still shed.
    expect(up.some((s) => s.shed > rungOf(s.estPct))).toBe(true);
  });

  it('after a watchdog reset mid-tap: SE off, saved state restored, no task stuck, taps pay', () => {
    const flash = new FlashMemory();
    const strap = bootStrap({ percent: 60, flash });
    const before = strap.value<RunningStatus>('strap.status()');
    strap.target.tap(2000);
    strap.board.run(500);
    expect(strap.board.pinLevel(STRAP_PINS.SE_EN)).toBe(true);
    strap.board.hardReset('watchdog');
    strap.board.run(2000);
    expect(strap.board.pinLevel(STRAP_PINS.SE_EN)).toBe(false);
    const after = strap.value<RunningStatus>('strap.status()');
    expect(after).toMatchObject({ boots: 2, pwr: before.pwr, shed: before.shed, paid: 0, lastTap: '' });
    // The ledger came back from Storage, less what ran unrecorded: never more optimistic than before.
    expect(after.payLeft).toBeLessThanOrEqual(before.payLeft);
    expect(after.payLeft).toBeGreaterThan(before.payLeft - 20);
    expect(strap.value('strap.scheduler.status().tasks')).toBe(0);
    strap.tap();
    expect(strap.tapLines()).toEqual([expect.stringMatching(/^\[tap\] paid/)]);
  });

  it('after a brownout mid-tap (a worn cell sags under the SE): back on by itself, state valid, taps pay again on a good cell', () => {
    const strap = bootStrap({ percent: 30 });
    // 45 ohm: the guard, at rest, cannot see it (it assumes 0.5 ohm); the SE's ~18 mA take the node under 3.0 V.
    strap.board.cell.internalResistanceOhm = 45;
    const boots: string[] = [];
    strap.board.on('powerOff', (e) => boots.push(e.reason));
    strap.target.tap(1000);
    strap.board.run(3000);
    expect(boots).toEqual(['brownout']);
    expect(strap.board.powered).toBe(true);
    expect(strap.board.pinLevel(STRAP_PINS.SE_EN)).toBe(false);
    expect(strap.value('strap.status()')).toMatchObject({ boots: 2, paid: 0 });
    expect(strap.value('strap.scheduler.status().tasks')).toBe(0);
    expect(strap.value('strap.scheduler.status().payLeft')).toBeGreaterThan(10);
    strap.board.cell.internalResistanceOhm = 0.25;
    strap.tap();
    expect(strap.tapLines()).toEqual([expect.stringMatching(/^\[tap\] paid/)]);
  });

  it('gives the same energy trace, byte for byte, for the same seed', () => {
    const run = (seed: number) => {
      const strap = bootStrap({ percent: 80, seed, trace: true });
      strap.board.pressButton(150);
      strap.board.run(30_000);
      strap.tap(500, 30_000);
      strap.board.run(20 * 60_000);
      strap.power.sync();
      return strap.power.trace!.toCsv();
    };
    const a = run(7);
    expect(a).toBe(run(7));
    expect(a).toMatch(/active/); // the SE's rows are in it
  });
});
