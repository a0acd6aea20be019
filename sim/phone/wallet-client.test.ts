// The wallet client's framing against a scripted control point (GattAccess): sequence numbers, the answer
// matched by them, the timeout, and the result codes (firmware/ble/README.md, "Control point framing").
// The client against the firmware is in phone.test.ts.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock';
import type { GattAccess } from './phone-gatt';
import { virtualPhoneDriver } from './phone-driver';
import { PhoneLog } from './phone-log';
import { CONTROL_POINT, decodeResponses, decodeStatus, encodeScript, WALLET_SERVICE, WalletClient } from './wallet-client';

/** A control point that answers each write with `reply(request)` 30 ms later (nothing when it returns undefined). */
function scripted(reply: (request: Uint8Array) => number[] | undefined) {
  const clock = new VirtualClock();
  const written: number[][] = [];
  let listener: ((v: Uint8Array) => void) | undefined;
  const gatt: GattAccess = {
    read: () => Promise.reject(new Error('no reads')),
    write: (service, characteristic, value) => {
      expect([service, characteristic]).toEqual([WALLET_SERVICE, CONTROL_POINT]);
      written.push([...value]);
      const answer = reply(value);
      if (answer) clock.scheduleIn(30, () => listener?.(Uint8Array.from(answer)));
      return Promise.resolve();
    },
    subscribe: (_s, _c, l) => {
      listener = l;
      return Promise.resolve();
    },
  };
  const log = new PhoneLog(() => clock.nowMs());
  return { clock, written, log, client: (options = {}) => new WalletClient(gatt, virtualPhoneDriver(clock), log, options) };
}

describe('the wallet client', () => {
  it('writes [seq, 0x01] and reads the status answer [seq, 0x81, 0, window, bonds, battery %]', async () => {
    const w = scripted((r) => [r[0]!, 0x81, 0, 1, 2, 76]);
    const wallet = w.client();
    expect(await wallet.status()).toEqual({ windowOpen: true, bonds: 2, batteryPercent: 76 });
    expect(await wallet.status()).toMatchObject({ bonds: 2 });
    expect(w.written).toEqual([[0, 1], [1, 1]]);
    expect(w.log.events.at(-1)).toMatchObject({ step: 'wallet', ok: true, text: 'status: window open, 2 bonds, battery 76 %' });
  });

  it('numbers requests 0–255 and wraps to 0', async () => {
    const w = scripted((r) => [r[0]!, 0x81, 0, 0, 0, 50]);
    const wallet = w.client({ firstSeq: 255 });
    await wallet.status();
    await wallet.status();
    expect(w.written.map((x) => x[0])).toEqual([255, 0]);
  });

  it('refuses an answer carrying another sequence number, saying which', async () => {
    const w = scripted((r) => [(r[0]! + 9) & 0xff, 0x81, 0, 0, 0, 50]);
    const error = await w.client().status().catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'wallet', reason: "answer with sequence 9 to request 0: not this request's answer" });
  });

  it('gives up after its timeout when no answer comes, naming the request', async () => {
    const w = scripted(() => undefined);
    const error = await w.client({ timeoutMs: 2000 }).status().catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'wallet', reason: 'no answer to request 0 (op 0x01) within 2 s' });
    expect(w.clock.nowMs()).toBe(2000);
  });

  it('says the result when the strap refuses: unknown op (1), with the code', async () => {
    const w = scripted((r) => [r[0]!, r[1]! | 0x80, 1]);
    const error = await w.client().request(0x42).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'wallet', code: 1, reason: 'request 0 (op 0x42) refused: unknown op' });
  });
});

describe('the wallet client: the bytes of the status, the scripts and their responses', () => {
  it('reads the status value [flags, kept, newest transaction]: b0 worn, b1 unlocked, b2 card emulation; ATC, outcome, currency, amount big-endian', () => {
    expect(decodeStatus(Uint8Array.of(0b101, 0))).toEqual({ worn: true, unlocked: false, cardEmulation: true, kept: 0 });
    expect(decodeStatus(Uint8Array.of(0b111, 2, 0x01, 0x02, 1, 0x03, 0xd2, 0, 0, 0x04, 0xe2))).toEqual({
      worn: true, unlocked: true, cardEmulation: true, kept: 2, newest: { atc: 0x0102, outcome: 'declined', currency: 978, amount: 1250 },
    });
  });

  it('frames each APDU as [length hi, lo, APDU] and reads the responses back the same way, refusing a length past the end', () => {
    expect([...encodeScript([Uint8Array.of(0x80, 0x50, 0, 0), Uint8Array.of(1, 2, 3, 4, 5)])]).toEqual([0, 4, 0x80, 0x50, 0, 0, 0, 5, 1, 2, 3, 4, 5]);
    expect(decodeResponses(Uint8Array.of(0, 2, 0x90, 0, 0, 3, 1, 0x90, 0)).map((r) => [...r])).toEqual([[0x90, 0], [1, 0x90, 0]]);
    expect(() => decodeResponses(Uint8Array.of(0, 4, 0x90, 0))).toThrow('a response of 4 octets runs past the end (4)');
  });
});
