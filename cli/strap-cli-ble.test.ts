// `strap status|console|flash --port ble:…` as a user runs them: `strap pair` pairs the companion phone with the
// virtual strap (state in a folder), `strap sim --hci-port` runs that strap with the phone's controller as H4 over
// TCP, and the commands reach its console over the Nordic UART Service with the phone's bond.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniFirmware } from '../hil/mini-firmware';
import { VIRTUAL_STRAP_ADDRESS } from '../sim/phone/virtual-pairing';
import { runStrap, startStrap, type RunningStrap } from './testing/run-strap';

const PORT = `ble:${VIRTUAL_STRAP_ADDRESS}`;
let dir: string;
let sim: RunningStrap | undefined;
let hci: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strap-cli-ble-'));
  const state = join(dir, 'state');
  const paired = await runStrap(['pair', '--state', state, '--traces', join(dir, 'traces')]);
  expect(paired.code, paired.stderr).toBe(0);
  sim = startStrap(['sim', '--hci-port', '0', '--state', state, '--scenario', 'none', '--no-build']);
  await sim.waitFor('stderr', /H4 on tcp:127\.0\.0\.1:\d+/, 60_000);
  hci = /H4 on (tcp:127\.0\.0\.1:\d+)/.exec(sim.stderr())![1]!;
}, 120_000);

afterAll(async () => {
  sim?.child.kill('SIGINT');
  await sim?.exited;
});

describe('the strap CLI over BLE', () => {
  it('strap sim --hci-port says how to reach the strap over BLE', () => {
    expect(sim!.stderr()).toContain(`strap ${VIRTUAL_STRAP_ADDRESS}; the phone's controller as H4 on ${hci}`);
    expect(sim!.stderr()).toContain(`npx strap status --port ${PORT} --hci ${hci} --bonds ${join(dir, 'state', 'phone')}`);
  });

  it('strap status answers over BLE with the bond strap pair made', async () => {
    const run = await runStrap(['status', '--port', PORT, '--hci', hci, '--bonds', join(dir, 'state', 'phone'), '--json', '--timeout', '10000']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ fw: 'strap 0.1.0', board: 'PUCKJS', mode: 'normal' });
  }, 60_000);

  it('strap console evaluates a line over BLE (pipe mode)', async () => {
    const run = startStrap(['console', '--port', PORT, '--hci', hci, '--bonds', join(dir, 'state', 'phone'), '--idle', '1500', '--timeout', '10000']);
    run.child.stdin.end('6*7\n');
    const done = await run.exited;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toContain('=42');
  }, 60_000);

  it('a host without the bond is told to pair first (exit 3); --hci is required for a ble: port and refused for others (exit 2)', async () => {
    const stranger = await runStrap(['status', '--port', PORT, '--hci', hci, '--bonds', join(dir, 'stranger'), '--timeout', '10000']);
    expect(stranger.code).toBe(3);
    expect(stranger.stderr).toMatch(/no bond with C0:11:22:33:44:01 .*: pair first: strap pair/);
    const noHci = await runStrap(['status', '--port', PORT]);
    expect(noHci.code).toBe(2);
    expect(noHci.stderr).toContain(`${PORT} needs --hci`);
    const notBle = await runStrap(['status', '--port', 'tcp://127.0.0.1:1', '--hci', hci]);
    expect(notBle.code).toBe(2);
    expect(notBle.stderr).toContain('--hci and --bonds are for ble: ports');
  }, 60_000);

  // last: it replaces the strap firmware (a 3 KB stand-in keeps it short, hil/mini-firmware.ts)
  it('strap flash uploads a bundle over BLE, verifies it and waits for its banner', async () => {
    const file = join(dir, 'mini.js');
    writeFileSync(file, miniFirmware('0.4.0'));
    const run = await runStrap(['flash', '--port', PORT, '--hci', hci, '--bonds', join(dir, 'state', 'phone'), '--file', file, '--json', '--timeout', '10000']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ banner: expect.stringMatching(/^strap 0\.4\.0 on PUCKJS/) as unknown });
  }, 120_000);
});
