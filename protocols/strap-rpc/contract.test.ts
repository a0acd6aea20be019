import { describe, expect, it } from 'vitest';
import { arrayOf, checked, number, object, oneOf, string } from './check';
import { EVENTS, isMethodName, METHODS, readEvent, readFailure, readParams, readResult, type StrapStatus } from './contract';

const STATUS: StrapStatus = {
  fw: 'strap 0.1.0',
  espruino: '2v29',
  board: 'PUCKJS',
  mode: 'normal',
  upS: 5,
  boots: 1,
  battPct: 100,
  battV: 4.2,
  presses: 0,
  paid: 1,
  lastTap: 'paid, payments left 12',
  errors: [],
  pwr: 'normal',
  shed: 0,
  estPct: 99.5,
  payLeft: 12,
};

describe('runtime checks (check.ts)', () => {
  it('name the first field that does not fit, nested and in arrays', () => {
    const shape = object({ a: number, list: arrayOf(object({ s: string })) });
    expect(checked(shape, { a: 1, list: [{ s: 'x' }] })).toEqual({ ok: true, value: { a: 1, list: [{ s: 'x' }] } });
    expect(checked(shape, { a: '1', list: [] })).toMatchObject({ ok: false, misfit: { field: 'a', message: 'a: expected a number, got "1"' } });
    expect(checked(shape, { a: 1, list: [{ s: 'x' }, { s: 2 }] })).toMatchObject({ ok: false, misfit: { field: 'list[1].s' } });
    expect(checked(shape, { list: [] })).toMatchObject({ ok: false, misfit: { field: 'a', got: 'absent' } });
    expect(checked(shape, null)).toMatchObject({ ok: false, misfit: { field: '', message: 'the value: expected an object, got null' } });
  });

  it('take a union of literals, and refuse fields not declared only when asked to be exact', () => {
    expect(checked(oneOf(['a', 'b'] as const), 'c')).toMatchObject({ ok: false, misfit: { expected: '"a" | "b"' } });
    expect(checked(object({ a: number }), { a: 1, b: 2 }).ok).toBe(true);
    expect(checked(object({ a: number }), { a: 1, b: 2 }, { exact: true })).toMatchObject({ ok: false, misfit: { field: 'b' } });
  });

  it('refuse NaN and infinities as numbers (JSON has neither)', () => {
    expect(checked(number, NaN).ok).toBe(false);
    expect(checked(number, Infinity).ok).toBe(false);
  });
});

describe('the strap RPC contract', () => {
  it('takes a status as the firmware answers it and names the field of one that does not fit', () => {
    expect(readResult('status', STATUS, { exact: true })).toEqual({ ok: true, value: STATUS });
    expect(readResult('status', { ...STATUS, battV: '4.2' })).toMatchObject({ ok: false, misfit: { field: 'battV' } });
    expect(readResult('status', { ...STATUS, pwr: 'asleep' })).toMatchObject({ ok: false, misfit: { field: 'pwr' } });
    expect(readResult('status', { ...STATUS, errors: ['FIFO_FULL', 3] })).toMatchObject({ ok: false, misfit: { field: 'errors[1]' } });
  });

  it("knows the power modes, the tap's end reasons and the last tap's text", () => {
    for (const mode of ['normal', 'saver', 'reserveOnly', 'off']) expect(readResult('power.status', { mode, shed: 0, estPct: 1, payLeft: 0, tasks: 0, window: false }).ok).toBe(true);
    expect(readEvent('tap', { ok: false, why: 'brownout', payLeft: 0 }).ok).toBe(true);
    for (const why of ['tired', 'deadline']) expect(readEvent('tap', { ok: false, why, payLeft: 0 })).toMatchObject({ ok: false, misfit: { field: 'why' } });
    for (const lastTap of ['', 'paid, payments left 12', 'refused brownout, payments left 0', 'failed, payments left 3']) {
      expect(readResult('status', { ...STATUS, lastTap }).ok, lastTap).toBe(true);
    }
    for (const lastTap of ['paid', 'failed deadline, payments left 3']) expect(readResult('status', { ...STATUS, lastTap })).toMatchObject({ ok: false, misfit: { field: 'lastTap' } });
  });

  it('takes a tap event with or without the SE\'s transaction, a wearer state and a transaction list, exactly', () => {
    expect(readEvent('tap', { ok: true, why: '', payLeft: 12, atc: 3, amount: 1250, currency: 978 }, { exact: true }).ok).toBe(true);
    expect(readEvent('tap', { ok: false, why: 'failed', payLeft: 12 }, { exact: true }).ok).toBe(true);
    expect(readEvent('tap', { ok: false, why: 'declined', payLeft: 12, atc: 4, amount: 1, currency: 978 }, { exact: true }).ok).toBe(true);
    expect(readEvent('tap', { ok: false, why: 'lost', payLeft: 12 })).toMatchObject({ ok: false, misfit: { field: 'why' } });
    expect(readEvent('wearer', { worn: true, unlocked: true, ce: 'on' }, { exact: true }).ok).toBe(true);
    expect(readEvent('wearer', { worn: true, unlocked: true, ce: 'warm' })).toMatchObject({ ok: false, misfit: { field: 'ce' } });
    expect(readResult('payments.last', [{ atc: 1, amount: 1250, currency: 978, outcome: 'online', upS: 3 }], { exact: true }).ok).toBe(true);
    expect(readResult('payments.last', [{ atc: 1, amount: 1250, currency: 978, outcome: 'paid', upS: 3 }]).ok).toBe(false);
    expect(readResult('status', { ...STATUS, lastTap: 'declined, payments left 3' }).ok).toBe(true);
  });

  it('checks params, failures and events by name', () => {
    expect(readParams('events.replay', { from: 2 }).ok).toBe(true);
    expect(readParams('events.replay', {})).toMatchObject({ ok: false, misfit: { field: 'from' } });
    expect(readParams('status', null).ok).toBe(true);
    expect(readFailure({ code: 'not-found', message: 'x.js' }).ok).toBe(true);
    expect(readFailure({ code: 'oops' })).toMatchObject({ ok: false, misfit: { field: 'code' } });
    expect(readEvent('hb', { upS: 60, battPct: 100, battV: 4.2, mode: 'normal' }, { exact: true }).ok).toBe(true);
  });

  it('names every method and event the firmware has (README.md tables)', () => {
    expect(Object.keys(METHODS).sort()).toEqual([
      'ble.forget', 'ble.pair', 'ble.status', 'events.replay', 'events.subscribe', 'events.unsubscribe', 'heartbeat', 'memory', 'payments.last', 'ping', 'power.status', 'reboot', 'status', 'storage.crc32', 'storage.hash', 'wearer.lock', 'wearer.unlock',
    ]);
    expect(Object.keys(EVENTS).sort()).toEqual(['boot', 'btn', 'hb', 'notice', 'power', 'safe', 'tap', 'wearer']);
    expect(isMethodName('status')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
  });
});
