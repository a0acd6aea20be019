// The bench rig's phone (`ble-central` on HIL_HCI) without hardware: the strap is another process (`strap sim
// --hci-port --tcp-port`: the virtual strap running the firmware bundle, its air's central controller as H4 over
// TCP, its wired console on TCP), which the bench rig takes as its board (HIL_PORT=tcp://…) and its phone's
// controller (HIL_HCI=tcp:…). The BLE scenarios run on it as on a bench: the passkey from ble.pair on the console,
// the address from HIL_STRAP_ADDRESS, no NFC reader.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectConsole } from '../../../host-bridge/console/index';
import { decodeBtsnoop } from '../../../protocols/ble/btsnoop/btsnoop';
import { listBonds } from '../../../sim/phone/bond-list';
import { VIRTUAL_STRAP_ADDRESS } from '../../../sim/phone/virtual-pairing';
import { runScenario } from '../../run-suite';
import { bleForgetScenario, blePairingScenario, bleReconnectScenario, bleWrongPasskeyScenario } from '../../scenarios/ble';
import { BenchRig, benchOptionsFromEnv } from './bench-rig';

let dir: string;
let sim: { child: ChildProcess; exited: Promise<unknown> } | undefined;
let hci: string;
let wired: string;

/** `strap sim`, as a user starts it (bin/strap.js: the hil folder does not import the CLI); resolves with its stderr once it names both ports. */
function startSim(args: string[]): Promise<string> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const child = spawn(process.execPath, [join(root, 'bin', 'strap.js'), 'sim', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
  sim = { child, exited: new Promise((resolve) => child.once('close', resolve)) };
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`strap sim named no ports within 60 s:\n${stderr}`)), 60_000);
    child.stdout!.resume();
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      if (/H4 on tcp:/.test(stderr) && /console on tcp:\/\//.test(stderr)) {
        clearTimeout(timer);
        resolve(stderr);
      }
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`strap sim exited (${code}) before naming its ports:\n${stderr}`));
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'strap-bench-ble-'));
  const stderr = await startSim(['--hci-port', '0', '--tcp-port', '0', '--state', join(dir, 'state'), '--scenario', 'none', '--no-build']);
  hci = /H4 on (tcp:127\.0\.0\.1:\d+)/.exec(stderr)![1]!;
  wired = /console on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1]!;
}, 120_000);

afterAll(async () => {
  sim?.child.kill('SIGINT');
  await sim?.exited;
});

describe('the bench rig on a strap outside its process', () => {
  it('without HIL_HCI it has no phone and says what to set; HIL_HCI without HIL_STRAP_ADDRESS is refused at open', async () => {
    const rig = await BenchRig.open(benchOptionsFromEnv({ HIL_PORT: wired }));
    try {
      expect(rig.capabilities.has('ble-central')).toBe(false);
      expect(rig.lacking('ble-central')).toContain('set HIL_HCI to a Bluetooth LE controller');
      expect(rig.lacking('ble-central')).toContain('HIL_STRAP_ADDRESS');
      const result = await runScenario(rig, bleReconnectScenario, join(dir, 'report-none'));
      expect(result).toMatchObject({ status: 'skipped', reason: expect.stringContaining('needs ble-central: no phone: set HIL_HCI') as unknown });
    } finally {
      await rig.close();
    }
    await expect(BenchRig.open(benchOptionsFromEnv({ HIL_PORT: wired, HIL_HCI: hci }))).rejects.toThrow(/needs the strap's address: set HIL_STRAP_ADDRESS/);
  }, 60_000);

  it('with HIL_HCI and HIL_STRAP_ADDRESS: ble-reconnect and ble-forget pass with the passkey from ble.pair, the phone trace kept; the tag scenarios skip for the reader', async () => {
    const bonds = join(dir, 'bonds');
    const rig = await BenchRig.open(benchOptionsFromEnv({ HIL_PORT: wired, HIL_HCI: hci, HIL_STRAP_ADDRESS: VIRTUAL_STRAP_ADDRESS.toLowerCase(), HIL_BONDS: bonds }));
    const report = join(dir, 'report');
    try {
      expect(rig.capabilities.has('ble-central')).toBe(true);
      expect(rig.capabilities.has('nfc-tag-reader')).toBe(false);
      expect(rig.description).toContain(`a phone on ${hci}`);
      await rig.prepare();
      for (const scenario of [bleReconnectScenario, bleForgetScenario]) {
        const result = await runScenario(rig, scenario, report);
        expect(result.status, `${scenario.name}: ${JSON.stringify(result)}\n${readLog(report, scenario.name)}`).toBe('passed');
        // the phone's HCI traffic, recorded at the H4 link: commands and events both ways; the strap's side is not observable
        const phone = decodeBtsnoop(readFileSync(join(report, scenario.name, 'phone.btsnoop')));
        expect(phone.ok && phone.value.records.some((r) => r.direction === 'sent') && phone.value.records.some((r) => r.direction === 'received')).toBe(true);
        const strap = decodeBtsnoop(readFileSync(join(report, scenario.name, 'strap.btsnoop')));
        expect(strap.ok && strap.value.records.length).toBe(0);
      }
      expect(readLog(report, bleReconnectScenario.name)).toMatch(/passkey \d{6} from ble\.pair's answer on the wired console/);
      for (const scenario of [blePairingScenario, bleWrongPasskeyScenario]) {
        const result = await runScenario(rig, scenario, report);
        expect(result).toMatchObject({ status: 'skipped', reason: expect.stringContaining('needs nfc-tag-reader') as unknown });
      }
      // each scenario forgot its bond: the strap holds none, the phone's folder no keys
      expect(await rig.rpc.call('ble.status')).toMatchObject({ bonds: 0, connected: false });
    } finally {
      await rig.close();
    }
    expect(listBonds(bonds)).toEqual([]);
  }, 120_000);

  it("lends the phone's controller to the host bridge: the strap's console over BLE on the phone's bond, then the phone reconnects on its own", async () => {
    const rig = await BenchRig.open(benchOptionsFromEnv({ HIL_PORT: wired, HIL_HCI: hci, HIL_STRAP_ADDRESS: VIRTUAL_STRAP_ADDRESS }));
    const central = rig.instrument('ble-central');
    try {
      await rig.prepare();
      const opened = await rig.rpc.call('ble.pair');
      expect(await central.pair()).toMatchObject({ ok: false, step: 'tap' });
      expect(await central.pair({ passkey: opened.passkey })).toEqual({ ok: true });
      await central.disconnect();
      const link = await central.lendRadio();
      expect(link).toMatchObject({ hci, address: VIRTUAL_STRAP_ADDRESS });
      const client = await connectConsole(`ble:${link.address}`, { ble: { hci: link.hci, bondDir: link.bondDir }, timeoutMs: 10_000 });
      try {
        expect(await client.evaluate<number>('1+2')).toBe(3);
      } finally {
        await client.close();
      }
      await central.takeRadioBack();
      expect(await central.reconnect()).toEqual({ ok: true });
      await central.disconnect();
      await rig.waitMs(300);
    } finally {
      await rig.rpc.call('ble.forget').catch(() => undefined);
      await central.forgetBond();
      await rig.close();
    }
  }, 60_000);
});

/** A scenario's console log from the report, for a failure's message. */
function readLog(report: string, name: string): string {
  const folder = join(report, name);
  if (!existsSync(folder)) return '(no report folder)';
  return existsSync(join(folder, 'console.log')) ? readFileSync(join(folder, 'console.log'), 'utf8') : '(no console.log)';
}
