// `strap pair` and `strap bonds` as a user runs them: the strap runs the firmware bundle (dist/strap.js, built by
// vitest's global setup) unless --program gives other boot code; the stand-in pairing-window program
// (sim/phone/testing) is used only for a misbehaving strap whose tag carries a passkey other than its own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairingWindowProgram } from '../sim/phone/testing/pairing-window-program';
import { VIRTUAL_STRAP_ADDRESS } from '../sim/phone/virtual-pairing';
import { runStrap } from './testing/run-strap';

describe('strap pair', () => {
  it('runs the firmware and prints each step (button, tap, pair, bond, reconnect, battery, device information, wallet status), then all bonds; strap bonds lists them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strap-pair-'));
    const run = await runStrap(['pair', '--state', join(dir, 'state'), '--traces', join(dir, 'traces')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    const stepOf = (l: string) => /^\s+\d+\.\d{3} s {2}(\w+)\s+(ok|FAIL)/.exec(l)?.slice(1, 3).join(' ');
    expect(lines.map(stepOf).filter(Boolean)).toEqual([
      'button ok', 'tap ok', 'scan ok', 'connect ok', 'pair ok', 'pair ok', 'pair ok', 'bond ok',
      'disconnect ok', 'scan ok', 'connect ok', 'encrypt ok', 'read ok', 'read ok',
      'subscribe ok', 'write ok', 'wallet ok', 'disconnect ok',
    ]);
    expect(run.stdout).toMatch(/passkey entry: typing \d{6} from the tag/);
    expect(run.stdout).toContain('encrypted with the stored keys, no pairing');
    expect(run.stdout).toMatch(/wallet +ok +status: window shut, 1 bond, battery \d+ %/);
    expect(run.stdout).toMatch(/paired, bonded and reconnected; battery \d+ %/);
    expect(run.stdout).toContain('device: manufacturer paymentstrap.dev, firmware ');
    expect(run.stdout).toContain(`btsnoop: ${join(dir, 'traces', 'strap.btsnoop')}, ${join(dir, 'traces', 'phone.btsnoop')}`);
    const bonds = await runStrap(['bonds', '--state', join(dir, 'state'), '--json']);
    expect(bonds.code).toBe(0);
    expect(JSON.parse(bonds.stdout)).toEqual({
      phone: [{ peer: 'C0:11:22:33:44:01', peerType: 'public', mitm: true, sc: true }],
      strap: [{ peer: 'C0:11:22:33:44:02', peerType: 'public', mitm: true, sc: true }],
      strapFirmware: ['c0:11:22:33:44:02 public'],
    });
    const text = await runStrap(['bonds', '--state', join(dir, 'state')]);
    expect(text.stdout).toContain('firmware c0:11:22:33:44:02 public');

    // the strap forgets (ble.forget on the virtual strap booted from that state); the phone keeps its half
    const forget = await runStrap(['bonds', '--state', join(dir, 'state'), '--forget']);
    expect(forget.code).toBe(0);
    expect(forget.stdout).toContain('the strap forgot 1 bond');
    expect(forget.stdout).toContain('strap  no bonds');
    expect(forget.stdout).toContain('firmware no bonds in its list');
    const after = JSON.parse((await runStrap(['bonds', '--state', join(dir, 'state'), '--json'])).stdout) as Record<string, unknown[]>;
    expect(after).toEqual({ phone: [{ peer: 'C0:11:22:33:44:01', peerType: 'public', mitm: true, sc: true }], strap: [], strapFirmware: [] });
    // and tap-to-pair works again from there
    expect((await runStrap(['pair', '--state', join(dir, 'state'), '--traces', join(dir, 'traces')])).code).toBe(0);
  });

  it('exits 1 with the reason when the tag carries a wrong passkey (a stand-in strap); --json has the failed step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strap-pair-'));
    const file = join(dir, 'window.js');
    writeFileSync(file, pairingWindowProgram({ passkey: '482913', tagPasskey: '000001', address: VIRTUAL_STRAP_ADDRESS }));
    const run = await runStrap(['pair', '--program', file, '--state', join(dir, 'state'), '--traces', join(dir, 'traces'), '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('strap pair: pair: refused: wrong passkey (confirm value failed) (SMP 0x04)');
    const result = JSON.parse(run.stdout) as { ok: boolean; error: { step: string; code: number }; bonds: { phone: unknown[] } };
    expect(result).toMatchObject({ ok: false, error: { step: 'pair', code: 4 }, bonds: { phone: [] } });
  });

  it('refuses --firmware with --program (exit 2) and has --help', async () => {
    const both = await runStrap(['pair', '--firmware', 'package.json', '--program', 'package.json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--firmware and --program exclude each other');
    const help = await runStrap(['pair', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: strap pair [options]');
  });
});
