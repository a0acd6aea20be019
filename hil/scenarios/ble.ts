/**
 * Bluetooth: the rig's phone (`ble-central`, sim/phone's Phone) and an NFC
 * reader (`nfc-tag-reader`) against the strap's tap-to-pair
 * (firmware/ble/README.md). `ble.pair` opens the window as a long press
 * does; the tag then carries the strap's address and a passkey the phone
 * types. While a bonded phone's link is encrypted the strap's console is on
 * Bluetooth, so the scenarios ask the console RPC only with the phone
 * disconnected. ble-pairing and ble-wrong-passkey are about the tag (what it
 * shows, its new passkey after a failure: `ble.pair` again would draw another
 * and end the back-off) and need the reader; ble-reconnect and ble-forget
 * take the passkey `ble.pair` answers where the rig has no reader (a bench).
 * `ble-flashing` lends the phone's radio to the host bridge's
 * BLE transport (host-bridge/transports/ble-transport.ts) and flashes over
 * the Nordic UART Service. Each leaves no bond behind (the strap's and the
 * phone's) and keeps both HCI traces (`strap.btsnoop`, `phone.btsnoop`).
 */
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { connectConsole } from '../../host-bridge/console/index';
import { flashFirmware, type FlashResult } from '../../host-bridge/flash/index';
import type { BleTransport } from '../../host-bridge/transports/index';
import type { BleOutcome, Instruments, Rig } from '../rig/rig';
import type { Scenario, ScenarioContext } from './scenario';

type Central = Instruments['ble-central'];

/** A phone step that must succeed; the failure's step and reason in the message. */
function expectOk(outcome: BleOutcome, what: string): void {
  assert.ok(outcome.ok, `${what}: ${JSON.stringify(outcome)}`);
}

/** A press this long is a long press (the button scenario's). */
const LONG_PRESS_MS = 1500;

/**
 * Opens the pairing window over the RPC and reads the tag: the passkey it shows. A rig without an NFC reader (a
 * bench) takes the passkey `ble.pair` answers, as `strap pair --hci --console` does.
 */
async function openWindow(rig: Rig): Promise<string> {
  const opened = await rig.rpc.call('ble.pair');
  if (!rig.capabilities.has('nfc-tag-reader')) {
    assert.deepEqual([opened.window, opened.why], [true, ''], 'ble.pair opens the window');
    assert.match(opened.passkey ?? '', /^\d{6}$/, 'ble.pair answers the passkey');
    return opened.passkey!;
  }
  const tag = await rig.instrument('nfc-tag-reader').read();
  assert.ok(tag.ok, `the reader finds the strap's tag: ${JSON.stringify(tag)}`);
  assert.ok(tag.pairing, `the tag holds the tap-to-pair records: ${JSON.stringify(tag.records)}`);
  assert.match(tag.pairing.passkey, /^\d{6}$/);
  // the console that opened the window is told the tag's passkey (strap pair --hci --console)
  assert.deepEqual(opened, { window: true, why: '', passkey: tag.pairing.passkey }, "ble.pair opens the window and answers the tag's passkey");
  return tag.pairing.passkey;
}

/**
 * What the phone is told to type: nothing where it taps the tag itself (the virtual rigs' phone reads the passkey
 * off the tag), the passkey `ble.pair` answered where the rig has no NFC reader (a bench).
 */
export function passkeyToType(rig: Rig, passkey: string | undefined): { passkey?: string } {
  return rig.capabilities.has('nfc-tag-reader') || passkey === undefined ? {} : { passkey };
}

/** The phone hangs up; the strap hears the disconnect on its next turn, and its console is back on the serial port. */
async function hangUp(rig: Rig, central: Central): Promise<void> {
  await central.disconnect();
  await rig.waitMs(200);
}

/** Window, tap (or ble.pair's passkey), pair, bond; the phone hangs up so the console is back on the serial port. */
async function pairPhone(rig: Rig, central: Central): Promise<void> {
  const passkey = await openWindow(rig);
  const paired = await central.pair(passkeyToType(rig, passkey));
  expectOk(paired, 'the phone pairs with the tag passkey');
  await hangUp(rig, central);
}

/** Runs `body` with the HCI traces attached afterwards and every bond forgotten on both sides. */
async function withBle(rig: Rig, context: ScenarioContext, body: (central: Central) => Promise<void>): Promise<void> {
  const central = rig.instrument('ble-central');
  const mark = await central.traceMark();
  try {
    await body(central);
  } finally {
    await hangUp(rig, central);
    const traces = await central.btsnoop(mark);
    context.attach('strap.btsnoop', traces.strap);
    context.attach('phone.btsnoop', traces.phone);
    await rig.rpc.call('ble.forget');
    await central.forgetBond();
  }
}

/** A long press, as the wearer opens the window (`[btn] long-press`), when the rig has a button; else `ble.pair`. */
async function openWindowAsWearer(rig: Rig, context: ScenarioContext): Promise<string> {
  if (!rig.capabilities.has('button')) {
    context.note('no button on this rig: the window is opened with ble.pair');
    return openWindow(rig);
  }
  const since = rig.lines().length;
  await rig.instrument('button').press(LONG_PRESS_MS);
  await rig.waitForLine(/\[btn\] long-press \d+ms/, { timeoutMs: 3000, since });
  const tag = await rig.instrument('nfc-tag-reader').read();
  assert.ok(tag.ok && tag.pairing, `a long press puts the tap-to-pair records on the tag: ${JSON.stringify(tag)}`);
  assert.match(tag.pairing.passkey, /^\d{6}$/);
  return tag.pairing.passkey;
}

export const blePairingScenario: Scenario = {
  name: 'ble-pairing',
  title: 'a long press (or ble.pair) opens the window; the tag has the address and passkey; the phone pairs (LESC passkey entry, MITM) and bonds; ble.status says 1 bond',
  tags: ['ble-central', 'nfc-tag-reader'],
  async run(rig, context) {
    await withBle(rig, context, async (central) => {
      const before = await rig.rpc.call('ble.status');
      assert.equal(before.bonds, 0, 'no bond to start with');
      const passkey = await openWindowAsWearer(rig, context);
      context.note(`tag passkey ${passkey}`);
      assert.equal((await rig.rpc.call('ble.status')).window, true);
      expectOk(await central.pair(), 'paired and bonded');
      const wallet = await central.walletStatus();
      assert.equal(wallet.bonds, 1, 'the wallet (encrypted, MITM) answers: one bond');
      await hangUp(rig, central);
      const after = await rig.rpc.call('ble.status');
      assert.deepEqual([after.bonds, after.window, after.connected], [1, false, false], 'bonded 1, the window closed at the bond');
      const tag = await rig.instrument('nfc-tag-reader').read();
      assert.ok(!tag.ok || !tag.pairing, 'the tag no longer offers a passkey once the window closed');
    });
  },
};

export const bleReconnectScenario: Scenario = {
  name: 'ble-reconnect',
  title: 'a bonded phone disconnects and reconnects on its stored keys, without pairing, and reads the battery',
  tags: ['ble-central'],
  async run(rig, context) {
    await withBle(rig, context, async (central) => {
      await pairPhone(rig, central);
      expectOk(await central.reconnect(), 'encrypted with the stored keys');
      const percent = await central.readBattery();
      assert.ok(percent >= 0 && percent <= 100, `battery ${percent} %`);
      assert.equal((await central.walletStatus()).bonds, 1, 'still one bond: the reconnect did not pair again');
      await hangUp(rig, central);
      expectOk(await central.reconnect(), 'and again');
      await hangUp(rig, central);
      const status = await rig.rpc.call('ble.status');
      assert.deepEqual([status.bonds, status.window, status.connected], [1, false, false]);
    });
  },
};

export const bleWrongPasskeyScenario: Scenario = {
  name: 'ble-wrong-passkey',
  title: 'a wrong passkey fails; the strap backs off and puts a new passkey on its tag; after the back-off the tag passkey pairs',
  tags: ['ble-central', 'nfc-tag-reader'],
  boardTimeMs: 5000,
  async run(rig, context) {
    await withBle(rig, context, async (central) => {
      const first = await openWindow(rig);
      const wrong = String((Number(first) + 1) % 1_000_000).padStart(6, '0');
      const failed = await central.pair({ passkey: wrong });
      assert.ok(!failed.ok, 'the wrong passkey does not pair');
      // SMP Pairing Failed: Confirm Value Failed (Core v5.4 Vol 3 Part H 3.5.5)
      assert.deepEqual([failed.step, failed.code], ['pair', 0x04], `refused as a wrong passkey: ${failed.reason}`);
      context.note(`wrong passkey ${wrong}: ${JSON.stringify(failed)}`);
      await hangUp(rig, central);
      const status = await rig.rpc.call('ble.status');
      assert.deepEqual([status.bonds, status.window], [0, true], 'no bond; the window stays open');
      assert.ok(status.backoffS > 0, `the strap backs off (${status.backoffS} s)`);
      const tag = await rig.instrument('nfc-tag-reader').read();
      assert.ok(tag.ok && tag.pairing, 'the tag still offers pairing');
      assert.notEqual(tag.pairing.passkey, first, 'a new passkey after the failed attempt');
      // backoffS is rounded to the second: a second more covers the rounding
      await rig.waitMs(status.backoffS * 1000 + 1000);
      expectOk(await central.pair(), "the tag's new passkey pairs");
      await hangUp(rig, central);
      assert.equal((await rig.rpc.call('ble.status')).bonds, 1);
    });
  },
};

export const bleForgetScenario: Scenario = {
  name: 'ble-forget',
  title: "ble.forget erases the strap's bonds: the phone's reconnect on its old keys is refused",
  tags: ['ble-central'],
  async run(rig, context) {
    await withBle(rig, context, async (central) => {
      await pairPhone(rig, central);
      const forgot = await rig.rpc.call('ble.forget');
      assert.ok(forgot.forgotten >= 1, `forgotten: ${forgot.forgotten}`);
      assert.equal((await rig.rpc.call('ble.status')).bonds, 0);
      const refused = await central.reconnect();
      assert.ok(!refused.ok, 'the strap refuses the old keys');
      context.note(`reconnect: ${JSON.stringify(refused)}`);
      // HCI PIN or Key Missing (Core v5.4 Vol 1 Part F 1.3): the strap holds no LTK for the phone
      assert.deepEqual([refused.step, refused.code], ['encrypt', 0x06], `refused at encryption: ${refused.reason}`);
      await hangUp(rig, central);
      await central.forgetBond();
      const unbonded = await central.reconnect();
      assert.ok(!unbonded.ok && unbonded.step === 'reconnect', `once the phone forgot too it has no keys to offer: ${JSON.stringify(unbonded)}`);
    });
  },
};

export const bleFlashingScenario: Scenario = {
  name: 'ble-flashing',
  title: "pair, then flash the bundle over the Nordic UART Service with the host bridge's BLE transport on the phone's radio; the strap boots it",
  tags: ['ble-central', 'nfc-tag-reader', 'flash'],
  timeoutMs: 240_000,
  // the air runs on the wall clock while the radio is lent (an Espruino packet must arrive whole within 1 s of board
  // time): the flash takes ~25 s of board time (20-octet writes at the strap's MTU 23), more on a loaded machine; in
  // real time on the pty rigs, 10 times as fast on the in-process rig (rigs/in-process/in-process-rig.ts)
  boardTimeMs: 60_000,
  async run(rig, context) {
    const { bundle } = rig.instrument('flash');
    await withBle(rig, context, async (central) => {
      await pairPhone(rig, central);
      const before = await rig.rpc.status();
      const link = await central.lendRadio();
      let result: FlashResult;
      try {
        const port = `ble:${link.address}`;
        const client = await connectConsole(port, { ble: { hci: link.hci, bondDir: link.bondDir }, timeoutMs: 10_000 });
        context.note(`${port} open over ${link.hci}: console on Bluetooth, ATT MTU ${(client.transport as BleTransport).mtu}`);
        try {
          const phases: string[] = [];
          result = await flashFirmware(client, { bundle: bundle.toString('latin1'), onProgress: (p) => phases.at(-1) !== p.phase && phases.push(p.phase) });
          context.note(`flashed ${result.bytes} bytes over BLE into ${result.slot} in ${result.elapsedMs.toFixed(0)} ms (${((result.bytes / result.elapsedMs) * 1000 / 1024).toFixed(2)} KB/s, ${phases.join(' → ')}): ${result.banner}`);
        } finally {
          await client.close();
        }
      } finally {
        await central.takeRadioBack();
      }
      // the host hung up: the strap's console is back on its serial port
      await rig.waitMs(300);
      assert.equal(result.bytes, bundle.length);
      assert.equal(result.crc32, crc32(bundle) >>> 0);
      assert.match(result.banner, new RegExp(`boot #${before.boots + 1}$`), 'the strap booted the flashed bundle');
      assert.deepEqual(await rig.rpc.storageCrc32(result.slot), { name: result.slot, size: bundle.length, crc32: crc32(bundle) >>> 0 });
      assert.equal((await rig.rpc.status()).boots, before.boots + 1);
    });
  },
};
