import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Result } from '../ble/wallet-protocol';
import type { Transaction, WearerState } from '../console/rpc-types';
import type * as CardEmulationModule from './card-emulation';
import type { CardEmulation } from './card-emulation';
import { startWallet } from './wallet';

// The wallet calls card emulation's module functions: each test's stand-in answers them (wallet() sets it).
const stand = vi.hoisted(() => ({ in: undefined as unknown as CardEmulation }));
vi.mock('./card-emulation', async (original) => ({
  ...(await original<typeof CardEmulationModule>()),
  unlock: () => stand.in.unlock(),
  lock: () => stand.in.lock(),
  wearerState: () => stand.in.wearerState(),
  recheck: () => stand.in.recheck(),
  host: (...args: Parameters<CardEmulation['host']>) => stand.in.host(...args),
}));

// The wallet's ops on a card emulation stand-in that logs the host APDUs and answers them from a script
// (firmware/ble/README.md, "Wallet ops"). End to end with the phone, the SE and a terminal: sim/phone/wallet-service.test.ts.

// Espruino's E.toUint8Array of a string: its 8-bit characters.
beforeEach(() => {
  vi.stubGlobal('E', { toUint8Array: (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0)) });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (h: string) => Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16)));

function wallet(options: { worn?: boolean; answers?: Record<string, string>; busy?: boolean; kept?: Transaction[] } = {}) {
  const state: WearerState = { worn: options.worn ?? true, unlocked: false, ce: 'off' };
  const sent: string[] = [];
  const ce = {
    unlock: () => (state.worn ? ((state.unlocked = true), true) : false),
    lock: () => void (state.unlocked = false),
    wearerState: () => state,
    recheck: () => undefined,
    // A script and its responses framed alike: [length hi, lo, bytes]...
    host: (text: string, done: (r: Uint8Array | undefined, count: number) => void) => {
      if (options.busy) return done(undefined, 0);
      const script = Uint8Array.from(text, (c) => c.charCodeAt(0));
      let out = '';
      let count = 0;
      for (let at = 0; at < script.length; at += 2 + ((script[at]! << 8) | script[at + 1]!)) {
        const a = hex(script.subarray(at + 2, at + 2 + ((script[at]! << 8) | script[at + 1]!)));
        sent.push(a);
        const r = options.answers?.[a] ?? '9000';
        out += (r.length / 2).toString(16).padStart(4, '0') + r;
        count++;
        if (r.slice(-4) !== '9000') break;
      }
      done(out ? bytes(out) : new Uint8Array(0), count);
    },
  } satisfies CardEmulation;
  stand.in = ce;
  const w = startWallet(() => options.kept ?? []);
  const call = (op: number, args: number[] = []) => {
    let answer: [number, number[] | undefined] | undefined;
    w.op(op, Uint8Array.from(args), (result, data) => (answer = [result, data]));
    return answer;
  };
  // the transfer hands a script over as a string (read from Storage)
  const script = (s: Uint8Array) => {
    let answer: [number, string | undefined] | undefined;
    w.script(String.fromCharCode(...s), (result, r) => (answer = [result, r && hex(r)]));
    return answer;
  };
  return { w, state, sent, call, script };
}

const TX: Transaction = { atc: 0x0102, amount: 1250, currency: 978, outcome: 'online', upS: 5 };

describe('the wallet ops', () => {
  it('uses the result codes of the wire (ble/wallet-protocol.ts)', () => {
    expect(wallet({ worn: false }).call(2)).toEqual([Result.REFUSED, [0]]);
    expect(wallet({ busy: true }).call(5)).toEqual([Result.BUSY, undefined]);
    expect(wallet({ answers: { '80c60200': '6985' } }).call(5)).toEqual([Result.SE, [0x69, 0x85]]);
    expect(wallet().script(Uint8Array.of(0, 9, 1))).toEqual([Result.MALFORMED, undefined]);
  });

  it('unlocks the worn strap and locks it, answering the wearer flags (b0 worn, b1 unlocked, b2 card emulation on)', () => {
    const w = wallet();
    expect(w.call(2)).toEqual([Result.OK, [0b011]]);
    w.state.ce = 'on';
    expect(w.call(3)).toEqual([Result.OK, [0b101]]);
    expect(w.state.unlocked).toBe(false);
  });

  it('answers the number kept and the transaction asked for: ATC, outcome, currency, amount, big-endian', () => {
    const w = wallet({ kept: [TX, { ...TX, atc: 1, outcome: 'declined', amount: 0x01020304 }] });
    expect(w.call(4)).toEqual([Result.OK, [2]]);
    expect(w.call(4, [0])).toEqual([Result.OK, [2, 0x01, 0x02, 0, 0x03, 0xd2, 0, 0, 0x04, 0xe2]]);
    expect(w.call(4, [1])).toEqual([Result.OK, [2, 0, 1, 1, 0x03, 0xd2, 1, 2, 3, 4]]);
    expect(w.call(4, [2])).toEqual([Result.OK, [2]]);
    expect(w.w.status()).toEqual([1, 2, 0x01, 0x02, 0, 0x03, 0xd2, 0, 0, 0x04, 0xe2]);
  });

  it('suspends and resumes the token with SELECT and SET TOKEN STATE (80 C6 02 / 01), answering the status word', () => {
    const w = wallet();
    expect(w.call(5)).toEqual([Result.OK, [0x90, 0]]);
    expect(w.call(6)).toEqual([Result.OK, [0x90, 0]]);
    expect(w.sent).toEqual(['00a4040007a000000003101000', '80c60200', '00a4040007a000000003101000', '80c60100']);
  });

  it('answers SE (5) with the SELECT status word when the applet is missing, and sends nothing more', () => {
    const w = wallet({ answers: { '00a4040007a000000003101000': '6a82' } });
    expect(w.call(5)).toEqual([Result.SE, [0x6a, 0x82]]);
    expect(w.sent).toHaveLength(1);
  });

  it('runs a script of [length, APDU]… and answers [length, response]…; a length running past the end or under 4 runs nothing', () => {
    const w = wallet({ answers: { '80500000': '01029000' } });
    expect(w.script(bytes('0004' + '00a40400' + '0004' + '80500000'))).toEqual([Result.OK, '00029000' + '000401029000']);
    expect(w.sent).toEqual(['00a40400', '80500000']);
    w.sent.length = 0;
    expect(w.script(bytes('0004' + '00a40400' + '0009' + '8050'))).toEqual([Result.MALFORMED, undefined]);
    expect(w.script(bytes('0002' + '0000'))).toEqual([Result.MALFORMED, undefined]);
    expect(w.sent).toEqual([]);
  });
});
