// `strap pair --hci` as a user runs it on a bench: the strap is in another process (`strap sim --hci-port
// --tcp-port`: the virtual strap running the firmware bundle, its air's phone controller as H4 over TCP and its
// wired console on TCP), never paired before; this process's CLI is the phone. Then `strap status --port ble:…`
// reaches the console with the bond it made.
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectConsole } from '../host-bridge/console/index';
import { RpcClient } from '../host-bridge/rpc/rpc-client';
import { VIRTUAL_STRAP_ADDRESS } from '../sim/phone/virtual-pairing';
import { runStrap, startStrap, type RunningStrap } from './testing/run-strap';

let dir: string;
let sim: RunningStrap | undefined;
let hci: string;
let wired: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strap-cli-pair-hci-'));
  sim = startStrap(['sim', '--hci-port', '0', '--tcp-port', '0', '--state', join(dir, 'state'), '--scenario', 'none', '--no-build']);
  await sim.waitFor('stderr', /H4 on tcp:127\.0\.0\.1:\d+/, 60_000);
  hci = /H4 on (tcp:127\.0\.0\.1:\d+)/.exec(sim.stderr())![1]!;
  wired = /console on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(sim.stderr())![1]!;
}, 120_000);

afterAll(async () => {
  sim?.child.kill('SIGINT');
  await sim?.exited;
});

/** `ble.pair` on the strap's wired console, as a bench script would: the window opens, its passkey is the answer. */
async function openWindow(): Promise<string> {
  const client = await connectConsole(wired, { connectTimeoutMs: 5000, syncTimeoutMs: 5000 });
  const rpc = new RpcClient(client, { timeoutMs: 5000 });
  try {
    const answer = await rpc.call('ble.pair');
    expect(answer).toMatchObject({ window: true, why: '', passkey: expect.stringMatching(/^\d{6}$/) as unknown });
    return answer.passkey!;
  } finally {
    rpc.close();
    await client.close();
  }
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('strap pair --hci: a strap outside this process', () => {
  it('says what is missing: no controller (exit 3), a strap not seen within --scan (exit 3)', async () => {
    const nowhere = `tcp:127.0.0.1:${await closedPort()}`;
    const noController = await runStrap(['pair', '--hci', nowhere, '--address', VIRTUAL_STRAP_ADDRESS, '--passkey', '123456', '--bonds', join(dir, 'none')]);
    expect(noController.code).toBe(3);
    expect(noController.stderr).toContain(`cannot reach the Bluetooth controller ${nowhere}: connect ECONNREFUSED`);
    const absent = await runStrap(['pair', '--hci', hci, '--address', 'C0:11:22:33:44:99', '--passkey', '123456', '--scan', '1', '--bonds', join(dir, 'none')]);
    expect(absent.code).toBe(3);
    expect(absent.stdout).toContain('stopped at scan: strap C0:11:22:33:44:99 not found within 1 s');
  }, 60_000);

  it('with the window shut the strap hangs up on the pairing; a wrong passkey is Pairing Failed 0x04 (no bond); the passkey typed from the tag pairs', async () => {
    const shut = await runStrap(['pair', '--hci', hci, '--address', VIRTUAL_STRAP_ADDRESS, '--passkey', '123456', '--bonds', join(dir, 'shut')]);
    expect(shut.code).toBe(1);
    expect(shut.stdout).toContain('stopped at pair: the link dropped while pairing: the strap closed the connection (HCI 0x13); is its pairing window open');
    expect(shut.stdout).toContain(`bonds in ${join(dir, 'shut')}: none`);

    const passkey = await openWindow();
    const wrong = passkey === '000000' ? '000001' : '000000';
    const refused = await runStrap(['pair', '--hci', hci, '--address', VIRTUAL_STRAP_ADDRESS, '--passkey', wrong, '--bonds', join(dir, 'wrong'), '--json']);
    expect(refused.code).toBe(1);
    // Confirm Value Failed (Core v5.4 Vol 3 Part H 3.5.5)
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, error: { step: 'pair', code: 0x04, reason: 'refused: wrong passkey (confirm value failed) (SMP 0x04)' }, bonds: [] });

    // the strap drew a new passkey after the failure; the window opened again shows it, and typed it pairs
    const again = await openWindow();
    const typed = await runStrap(['pair', '--hci', hci, '--address', VIRTUAL_STRAP_ADDRESS, '--passkey', again, '--bonds', join(dir, 'typed')]);
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.stdout).toContain(`passkey entry: typing ${again} from the user (--passkey, read off the tag)`);
    expect(typed.stdout).toContain(`bonds in ${join(dir, 'typed')}: ${VIRTUAL_STRAP_ADDRESS} (MITM)`);
  }, 60_000);

  it('--console opens the window over the wired console and takes its passkey: paired, bonded, reconnected; strap status then reaches the console over BLE with that bond', async () => {
    const bonds = join(dir, 'phone');
    const run = await runStrap(['pair', '--hci', hci, '--address', VIRTUAL_STRAP_ADDRESS.toLowerCase(), '--console', wired, '--bonds', bonds]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`window     ok   pairing window opened over the wired console ${wired} (ble.pair)`);
    expect(run.stdout).toMatch(/passkey entry: typing (\d{6}) from ble\.pair's answer on tcp:/);
    expect(run.stdout).toContain('encrypted with the stored keys, no pairing (MITM, SC)');
    expect(run.stdout).toContain(`paired, bonded and reconnected; battery 100 %\nbonds in ${bonds}: ${VIRTUAL_STRAP_ADDRESS} (MITM)`);

    const status = await runStrap(['status', '--port', `ble:${VIRTUAL_STRAP_ADDRESS}`, '--hci', hci, '--bonds', bonds, '--json', '--timeout', '10000']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ fw: 'strap 0.1.0', board: 'PUCKJS', mode: 'normal' });
  }, 60_000);

  it('refuses an incomplete or mixed command line (exit 2)', async () => {
    const cases: [string[], string][] = [
      [['--hci', 'tcp:127.0.0.1:1', '--passkey', '123456'], '--hci needs --address'],
      [['--hci', 'tcp:127.0.0.1:1', '--address', VIRTUAL_STRAP_ADDRESS], '--hci needs one of --passkey'],
      [['--hci', 'tcp:127.0.0.1:1', '--address', VIRTUAL_STRAP_ADDRESS, '--passkey', '123456', '--console', 'tcp://127.0.0.1:2'], '--hci needs one of --passkey'],
      [['--hci', 'tcp:127.0.0.1:1', '--address', VIRTUAL_STRAP_ADDRESS, '--passkey', '12345'], '--passkey is six digits, got "12345"'],
      [['--hci', 'tcp:127.0.0.1:1', '--address', VIRTUAL_STRAP_ADDRESS, '--console', `ble:${VIRTUAL_STRAP_ADDRESS}`], "--console is the strap's wired console"],
      [['--hci', 'tcp:127.0.0.1:1', '--address', VIRTUAL_STRAP_ADDRESS, '--passkey', '123456', '--state', 'x'], '--state is for the virtual strap'],
      [['--passkey', '123456'], '--passkey goes with --hci'],
    ];
    for (const [args, text] of cases) {
      const run = await runStrap(['pair', ...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(text);
    }
  }, 60_000);
});
