// `strap pair`'s run on the virtual world, against the stand-in pairing-window program until firmware/ble lands
// (then: bootCode = dist/strap.js, same assertions, and the stand-in case below goes).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairingWindowProgram } from './testing/pairing-window-program';
import { VIRTUAL_PHONE_ADDRESS, VIRTUAL_STRAP_ADDRESS, runVirtualPairing } from './virtual-pairing';

describe('a virtual pairing run', () => {
  it('presses the button, taps, pairs, bonds, reconnects and reads the battery; both bonds listed; btsnoop per device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtual-pairing-'));
    const seen: string[] = [];
    const result = await runVirtualPairing({
      bootCode: pairingWindowProgram({ passkey: '482913', address: VIRTUAL_STRAP_ADDRESS }),
      seed: 7,
      stateDir: join(dir, 'state'),
      traceDir: join(dir, 'traces'),
      onEvent: (e) => seen.push(e.step),
    });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ ok: true, batteryPercent: 87 });
    expect(seen).toEqual(result.events.map((e) => e.step));
    expect([...new Set(seen)]).toEqual(['button', 'tap', 'scan', 'connect', 'pair', 'bond', 'disconnect', 'encrypt', 'read']);
    expect(result.bonds.phone).toEqual([{ peer: VIRTUAL_STRAP_ADDRESS, peerType: 'public', mitm: true, sc: true }]);
    expect(result.bonds.strap).toMatchObject([{ peer: VIRTUAL_PHONE_ADDRESS, peerType: 'public' }]);
    for (const file of [result.traces.strap, result.traces.phone]) {
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).subarray(0, 8).toString('latin1')).toBe('btsnoop\0'); // btsnoop identification pattern
    }
  });

  it('stops at the tap, saying why, when the strap does not open a window (no tag)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'virtual-pairing-'));
    const result = await runVirtualPairing({ bootCode: 'var nothing = 1;', seed: 1, stateDir: join(dir, 's'), traceDir: join(dir, 't') });
    expect(result).toMatchObject({ ok: false, error: { step: 'tap', reason: expect.stringContaining('cannot read the tag: no tag') } });
    expect(result.bonds).toEqual({ strap: [], phone: [] });
  });

  it('repeats itself byte for byte with the same seed (events and both btsnoop files)', async () => {
    const once = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'virtual-pairing-'));
      const r = await runVirtualPairing({ bootCode: pairingWindowProgram({ passkey: '482913', address: VIRTUAL_STRAP_ADDRESS }), seed: 9, stateDir: join(dir, 's'), traceDir: join(dir, 't') });
      return { events: r.events, strap: readFileSync(r.traces.strap), phone: readFileSync(r.traces.phone) };
    };
    const [a, b] = [await once(), await once()];
    expect(b.events).toEqual(a.events);
    expect(b.strap.equals(a.strap)).toBe(true);
    expect(b.phone.equals(a.phone)).toBe(true);
  });
});
