import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as NciDriver from '../drivers/nfc-nci';
import type * as SeDriver from '../drivers/se-t1';
import { FakeClock, withGlobalTimers } from '../statecharts/host/testing/fake-clock';
import { host, lock, recheck, startCardEmulation, unlock, wearerState } from './card-emulation';

// Card emulation on Espruino's globals stubbed here, with drivers that log
// what they are asked and answer at once: which conditions turn it on and off,
// the order of the SE's and the controller's commands (NCI 2.0, the payment
// applet's host commands), and what a failed step leaves. (On the virtual
// board with the real controller, SE and terminal: sim/scenario/strap-payments.test.ts.)

// Card emulation calls its drivers' module functions: each test's fakes answer them (startStrap sets them).
type SeFake = Pick<typeof SeDriver, 'request' | 'transceive'>;
type NciFake = Pick<typeof NciDriver, 'command'>;
const fakes = vi.hoisted(() => ({ se: undefined as unknown as SeFake, nfc: undefined as unknown as NciFake }));
vi.mock('../drivers/se-t1', () => ({
  request: (...args: Parameters<SeFake['request']>) => fakes.se.request(...args),
  transceive: (...args: Parameters<SeFake['transceive']>) => fakes.se.transceive(...args),
}));
vi.mock('../drivers/nfc-nci', () => ({ command: (...args: Parameters<NciFake['command']>) => fakes.nfc.command(...args) }));

afterEach(() => {
  vi.unstubAllGlobals();
});

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
/** Host APDUs as card emulation takes them, and its responses back: [length hi, lo, bytes]... */
const framed = (...apdus: Uint8Array[]) => String.fromCharCode(...apdus.flatMap((a) => [a.length >> 8, a.length & 255, ...a]));
function unframed(r: Uint8Array, count: number): string[] {
  const out: string[] = [];
  for (let at = 0; at < r.length; at += 2 + ((r[at]! << 8) | r[at + 1]!)) out.push(hex(r.subarray(at + 2, at + 2 + ((r[at]! << 8) | r[at + 1]!))));
  expect(out.length).toBe(count);
  return out;
}

function startStrap(options: { worn?: boolean; admitted?: boolean; answer?: (apdu: string) => string } = {}) {
  const clock = new FakeClock();
  const log: string[] = [];
  let worn = options.worn ?? true;
  let admitted = options.admitted ?? true;
  let watch: ((e: { state: boolean }) => void) | undefined;
  vi.stubGlobal('print', (text: string) => log.push(text));
  vi.stubGlobal('pinMode', (_pin: unknown, mode: string) => log.push(`clasp ${mode}`));
  vi.stubGlobal('setWatch', (callback: (e: { state: boolean }) => void) => ((watch = callback), 1));
  // Espruino's E.toUint8Array of a string: its 8-bit characters.
  vi.stubGlobal('E', { toUint8Array: (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0)) });
  // An output logs each change of its level, what the part on it sees.
  const output = (name: string) => {
    let level: boolean | undefined;
    const write = (on: boolean) => {
      if (on !== level) log.push(`${name} ${on ? 'on' : 'off'}`);
      level = on;
    };
    return { write } as unknown as Pin;
  };
  const sePower = output('SE_EN');
  const nfcPower = output('VEN');
  const clasp = { read: () => worn } as unknown as Pin;
  const se = {
    // S requests (UM11225 Table 10): '0F' soft reset, '01' IFS, '05' end of APDU session.
    request: (type: number, inf: Uint8Array, done: (e?: string) => void) => {
      log.push(type === 0x0f ? 'SE S(soft reset)' : type === 0x01 ? `SE S(IFS ${inf[0]})` : type === 0x05 ? 'SE S(end of session)' : `SE S(${type})`);
      done();
    },
    transceive: (apdu: Uint8Array, done: (e: string | undefined, data?: Uint8Array) => void) => {
      log.push(`SE ${hex(apdu)}`);
      const sw = options.answer?.(hex(apdu)) ?? '9000';
      done(undefined, Uint8Array.from(sw.match(/../g)!.map((b) => parseInt(b, 16))));
    },
  } as unknown as SeFake;
  const nfc = {
    command: (gid: number, oid: number, payload: Uint8Array, done: (e?: string) => void) => {
      log.push(`NCI ${gid}/${oid} ${hex(payload)}`);
      done();
    },
  } as unknown as NciFake;
  fakes.se = se;
  fakes.nfc = nfc;
  const changes: unknown[] = [];
  withGlobalTimers(clock, () => startCardEmulation({ sePower, nfcPower, clasp }, () => admitted, (state) => changes.push(state)));
  // Card emulation's module functions, as wallet.ts, the RPC methods and boot/ call them.
  const ce = { unlock, lock, state: wearerState, recheck, host };
  const run = (ms = 100) => {
    const until = clock.nowMs + ms;
    while (clock.pending().length > 0 && clock.nowMs + clock.pending()[0]! <= until) withGlobalTimers(clock, () => clock.advanceToNext());
    clock.nowMs = until;
  };
  return {
    ce, log, changes,
    run,
    act<T>(f: () => T): T {
      const result = withGlobalTimers(clock, f);
      run();
      return result;
    },
    setClasp(closed: boolean) {
      worn = closed;
      withGlobalTimers(clock, () => watch!({ state: closed }));
      run();
    },
    admit(yes: boolean) {
      admitted = yes;
    },
  };
}

const BRING_UP = [
  'SE_EN on',
  'SE S(soft reset)',
  'SE S(IFS 250)',
  'SE 00a4040007a000000003101000',
  'SE 80c40100',
  'SE S(end of session)',
  'VEN on',
  'NCI 0/0 01',
  'NCI 0/1 0000',
  'NCI 0/2 01800101',
  'NCI 2/0 ',
  'NCI 2/1 c001',
  // RF_SET_LISTEN_MODE_ROUTING_CMD: last, 2 entries: AID '2PAY.SYS.DDF01' and A0000000031010 → 'C0', switched on
  'NCI 1/1 00020210c001325041592e5359532e444446303102' + '09c001a0000000031010',
  'NCI 15/0 01',
  'NCI 1/3 018001',
  '[ce] on',
];
const PUT_AWAY = ['NCI 1/6 00', 'SE 80c40000', 'SE S(end of session)', 'SE_EN off', 'VEN off', '[ce] off'];

describe('card emulation', () => {
  it('starts off and locked, the controller a reset of the strap alone may have left listening in hard power-down (VEN low)', () => {
    const strap = startStrap();
    strap.run();
    expect(strap.log).toEqual(['clasp input_pulldown', 'SE_EN off', 'VEN off']);
    expect(strap.ce.state()).toEqual({ worn: true, unlocked: false, ce: 'off' });
  });

  it('comes on when the worn strap is unlocked and admitted: SE powered, verified flag set, the controller listening with the AIDs routed to the SE', () => {
    const strap = startStrap();
    strap.run();
    strap.log.length = 0;
    expect(strap.act(() => strap.ce.unlock())).toBe(true);
    expect(strap.log).toEqual(BRING_UP);
    expect(strap.changes).toEqual([{ worn: true, unlocked: true, ce: 'on' }]);
  });

  it('goes off and locks when the clasp opens: discovery stopped, flag cleared, SE off, controller in hard power-down; closing it again does not unlock', () => {
    const strap = startStrap();
    strap.run();
    strap.act(() => strap.ce.unlock());
    strap.log.length = 0;
    strap.setClasp(false);
    expect(strap.log).toEqual(['[wear] off', ...PUT_AWAY]);
    expect(strap.ce.state()).toEqual({ worn: false, unlocked: false, ce: 'off' });
    expect(strap.act(() => strap.ce.unlock())).toBe(false);
    strap.setClasp(true);
    expect(strap.ce.state()).toEqual({ worn: true, unlocked: false, ce: 'off' });
  });

  it('stays off while the power policy does not admit it, and comes on at the recheck after it does; goes off when it stops admitting', () => {
    const strap = startStrap({ admitted: false });
    strap.run();
    strap.log.length = 0;
    strap.act(() => strap.ce.unlock());
    expect([strap.log, strap.ce.state().ce]).toEqual([[], 'off']);
    strap.admit(true);
    strap.act(() => strap.ce.recheck());
    expect(strap.log.at(-1)).toBe('[ce] on');
    strap.admit(false);
    strap.log.length = 0;
    strap.act(() => strap.ce.recheck());
    expect(strap.log).toEqual(PUT_AWAY);
    expect(strap.ce.state()).toEqual({ worn: true, unlocked: true, ce: 'off' });
  });

  it('turns everything off and locks when a step fails (the SE refuses the wearer flag)', () => {
    const strap = startStrap({ answer: (apdu) => (apdu === '80c40100' ? '6985' : '9000') });
    strap.run();
    strap.log.length = 0;
    strap.act(() => strap.ce.unlock());
    // the controller was not powered yet: VEN stays low
    expect(strap.log).toEqual([...BRING_UP.slice(0, 5), '[ce] failed: step 6: SW 27013', ...PUT_AWAY.filter((line) => line !== 'VEN off')]);
    expect(strap.ce.state()).toEqual({ worn: true, unlocked: false, ce: 'off' });
  });

  it('locks on lock(): off once the sequence has run', () => {
    const strap = startStrap();
    strap.run();
    strap.act(() => strap.ce.unlock());
    strap.log.length = 0;
    strap.act(() => strap.ce.lock());
    expect(strap.log).toEqual(PUT_AWAY);
  });

  it('sends host APDUs with card emulation off on a powered-up SE and powers it down after: soft reset, IFS, the APDUs, end of session', () => {
    const strap = startStrap();
    strap.run();
    strap.log.length = 0;
    let got: string[] | undefined;
    strap.act(() => strap.ce.host(framed(Uint8Array.of(0x80, 0xc6, 0x02, 0x00)), (r, count) => (got = r && unframed(r, count))));
    expect(strap.log).toEqual(['SE_EN on', 'SE S(soft reset)', 'SE S(IFS 250)', 'SE 80c60200', 'SE S(end of session)', 'SE_EN off']);
    expect(got).toEqual(['9000']);
    expect(strap.ce.state()).toMatchObject({ ce: 'off' });
  });

  it('sends host APDUs beside card emulation that is on without touching SE_EN, and stops after a status word other than 9000', () => {
    const strap = startStrap({ answer: (apdu) => (apdu === '80f28000' ? '6982' : '9000') });
    strap.run();
    strap.act(() => strap.ce.unlock());
    strap.log.length = 0;
    let got: string[] | undefined;
    strap.act(() => strap.ce.host(framed(Uint8Array.of(0x80, 0xf2, 0x80, 0x00), Uint8Array.of(0x80, 0x50, 0, 0)), (r, count) => (got = r && unframed(r, count))));
    expect(strap.log).toEqual(['SE 80f28000', 'SE S(end of session)']);
    expect(got).toEqual(['6982']);
    expect(strap.ce.state()).toMatchObject({ ce: 'on' });
  });

  it('answers busy (undefined) while card emulation starts, and on a cell the brownout guard refuses; nothing sent', () => {
    const strap = startStrap();
    strap.run();
    let got: unknown = 'none';
    strap.admit(false);
    strap.act(() => strap.ce.host(framed(Uint8Array.of(0x80, 0xc6, 0x02, 0x00)), (r) => (got = r)));
    expect(got).toBeUndefined();
    strap.admit(true);
    strap.log.length = 0;
    got = 'none';
    strap.act(() => {
      strap.ce.unlock();
      strap.ce.host(framed(Uint8Array.of(0x80, 0xc6, 0x02, 0x00)), (r) => (got = r));
    });
    expect(got).toBeUndefined();
    expect(strap.log).not.toContain('SE 80c60200');
  });
});

