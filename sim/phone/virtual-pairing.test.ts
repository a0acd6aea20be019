// `strap pair`'s run on the virtual world with the strap firmware (dist/strap.js, built by vitest's global setup).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_PATH } from '../../firmware/build/outputs';
import { VIRTUAL_PHONE_ADDRESS, VIRTUAL_STRAP_ADDRESS, runVirtualPairing } from './virtual-pairing';

const firmware = () => readFileSync(BUNDLE_PATH, 'latin1');

describe('a virtual pairing run', () => {
  it('presses the button, taps, pairs, bonds, reconnects, reads battery and device information, asks the wallet; all bonds listed; btsnoop per device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtual-pairing-'));
    const seen: string[] = [];
    const result = await runVirtualPairing({ bootCode: firmware(), seed: 7, stateDir: join(dir, 'state'), traceDir: join(dir, 'traces'), onEvent: (e) => seen.push(e.step) });
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(seen).toEqual(result.events.map((e) => e.step));
    expect([...new Set(seen)]).toEqual(['button', 'tap', 'scan', 'connect', 'pair', 'bond', 'disconnect', 'encrypt', 'read', 'subscribe', 'write', 'wallet']);
    expect(result.wallet).toEqual({ windowOpen: false, bonds: 1, batteryPercent: result.batteryPercent });
    expect(result.deviceInfo).toMatchObject({ manufacturer: 'paymentstrap.dev' });
    expect(result.bonds.phone).toEqual([{ peer: VIRTUAL_STRAP_ADDRESS, peerType: 'public', mitm: true, sc: true }]);
    expect(result.bonds.strap).toMatchObject([{ peer: VIRTUAL_PHONE_ADDRESS, peerType: 'public' }]);
    expect(result.bonds.strapFirmware).toEqual([`${VIRTUAL_PHONE_ADDRESS.toLowerCase()} public`]);
    for (const file of [result.traces.strap, result.traces.phone]) {
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).subarray(0, 8).toString('latin1')).toBe('btsnoop\0'); // btsnoop identification pattern
    }
  });

  it('a second run on the same state pairs again and the strap still counts one bond for the phone (its flash kept)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtual-pairing-'));
    const run = () => runVirtualPairing({ bootCode: firmware(), seed: 8, stateDir: join(dir, 'state'), traceDir: join(dir, 'traces') });
    expect((await run()).ok).toBe(true);
    const again = await run();
    expect(again.error).toBeUndefined();
    expect(again.wallet).toMatchObject({ bonds: 1 });
    expect(again.bonds.strapFirmware).toHaveLength(1);
  });

  it('stops at the tap, saying why, when the strap does not open a window (no tag)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtual-pairing-'));
    const result = await runVirtualPairing({ bootCode: 'var nothing = 1;', seed: 1, stateDir: join(dir, 's'), traceDir: join(dir, 't') });
    expect(result).toMatchObject({ ok: false, error: { step: 'tap', reason: expect.stringContaining('cannot read the tag: no tag') } });
    expect(result.bonds).toEqual({ strap: [], phone: [], strapFirmware: [] });
  });

  it('repeats itself byte for byte with the same seed (events and both btsnoop files)', async () => {
    const once = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'virtual-pairing-'));
      const r = await runVirtualPairing({ bootCode: firmware(), seed: 9, stateDir: join(dir, 's'), traceDir: join(dir, 't') });
      return { events: r.events, strap: readFileSync(r.traces.strap), phone: readFileSync(r.traces.phone) };
    };
    const [a, b] = [await once(), await once()];
    expect(b.events).toEqual(a.events);
    expect(b.strap.equals(a.strap)).toBe(true);
    expect(b.phone.equals(a.phone)).toBe(true);
  });
});
