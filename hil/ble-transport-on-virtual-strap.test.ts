// Issue 10, item 6: the host bridge's BLE transport (host-bridge/transports/ble-transport.ts) against the
// virtual strap running dist/strap.js, as a user reaches it: `strap pair` pairs (runVirtualPairing, state in a
// folder), then the same strap runs on an air whose host controller is offered as H4 over TCP (what `strap sim
// --hci-port` does, sim/phone/strap-on-hci.ts), and the transport's own ble-host joins there with the phone's
// bond folder: reconnect, encrypt on the stored keys, the console over the Nordic UART Service. The console tests
// run 5 virtual seconds per wall second. Those that flash or wait out a supervision timeout run 10, with the air
// waiting for the transport's answer to each packet it is handed (sim/radio/host-turn.ts): an Espruino packet must
// arrive whole within 1 s of board time (protocols/espruino/packet.ts PACKET_TIMEOUT_MS), and without that wait a
// paced board's second would hold less of the host's writes than a real one (the flashing ones ran in real time,
// ~24 s for the two).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { EspruinoConsoleClient, connectConsole } from '../host-bridge/console/index';
import { FlashInterruptedError, flashFirmware } from '../host-bridge/flash/index';
import { RpcClient } from '../host-bridge/rpc/rpc-client';
import { type BleTransport, PortOpenError, type ReconnectingTransport, createTransport } from '../host-bridge/transports/index';
import { startStrapOnHci, type StrapOnHci } from '../sim/phone/strap-on-hci';
import { runVirtualPairing } from '../sim/phone/virtual-pairing';
import { miniFirmware } from './mini-firmware';

const BUNDLE = readFileSync(BUNDLE_PATH, 'latin1');
const PACE = 5;
/** The faster tests' pace, and the turns of the event loop the air waits for the host's answer (strap-on-hci.ts). */
const FAST_AIR = { pace: 10, hostTurnLoopTurns: 4 };
/** A Puck.js's Storage (sim/board/storage/flash-memory.ts). */
const STORAGE_BYTES = 40 * 1024;

let root: string | undefined;
let strap: StrapOnHci | undefined;
let client: EspruinoConsoleClient | undefined;
afterEach(async () => {
  await client?.close().catch(() => undefined);
  await strap?.close();
  if (root) rmSync(root, { recursive: true, force: true });
  root = strap = client = undefined;
});

/** `strap pair` into a fresh state folder, then the same strap on an H4 port. */
async function pairedStrapOnHci(seed: number, air: { pace: number; hostTurnLoopTurns?: number } = { pace: PACE }): Promise<StrapOnHci> {
  root = mkdtempSync(join(tmpdir(), 'strap-ble-transport-'));
  const stateDir = join(root, 'state');
  const paired = await runVirtualPairing({ bootCode: BUNDLE, seed, stateDir, traceDir: join(root, 'traces') });
  expect(paired.ok, JSON.stringify(paired.error)).toBe(true);
  strap = await startStrapOnHci({ bootCode: BUNDLE, seed, stateDir, ...air });
  return strap;
}

function blePort(s: StrapOnHci): { port: string; ble: { hci: string; bondDir: string } } {
  return { port: `ble:${s.address}`, ble: { hci: s.hci, bondDir: s.bondDir } };
}

describe('the console over BLE (Nordic UART Service) through the host bridge', () => {
  it('a bonded host reconnects on its stored keys: a console line evaluates, strap.status answers over the RPC, and the serial console is free again after close', async () => {
    const s = await pairedStrapOnHci(61);
    const { port, ble } = blePort(s);
    client = await connectConsole(port, { ble, timeoutMs: 5000 });
    expect(s.board.consoleDeviceName).toBe('Bluetooth');
    expect(await client.evaluate('6*7')).toBe(42);
    const identity = await client.identify();
    expect(identity.board).toBe('PUCKJS');
    const status = await new RpcClient(client, { timeoutMs: 5000 }).call('status');
    expect(status.fw).toBe('strap 0.1.0');
    // Espruino answers the MTU exchange with NRF_SDH_BLE_GATT_MAX_MTU_SIZE (targets/nrf5x/bluetooth.c), 23 on a
    // Puck.js (targetlibs/nrf5x_15/nrf52_config/sdk_config.h): the transport wrote 20-octet requests
    expect((client.transport as BleTransport).mtu).toBe(23);
    await client.close();
    client = undefined;
    await waitFor(() => s.board.consoleDeviceName === 'Serial1', 'the console back on Serial1 after the host hung up');
  });

  it('the link dropping is a port loss the reconnecting transport copes with: the strap power-cycled, the port comes back and the console answers', async () => {
    const s = await pairedStrapOnHci(66, FAST_AIR);
    const { port, ble } = blePort(s);
    const transport = createTransport(port, { ble, reconnect: { initialDelayMs: 200, maxDelayMs: 1000, maxAttempts: 10 } }) as ReconnectingTransport;
    const events: string[] = [];
    transport.on('disconnected', (error: Error) => events.push(`disconnected: ${error.message}`));
    const back = new Promise<void>((resolve) => transport.on('reconnected', () => resolve()));
    await transport.open();
    client = await EspruinoConsoleClient.connect(transport, { timeoutMs: 5000 });
    expect(await client.evaluate('1+1')).toBe(2);
    s.board.powerCycle(100);
    await back;
    expect(events[0]).toMatch(/^disconnected: ble:C0:11:22:33:44:01 went away: the Bluetooth link dropped: connection timeout/);
    await waitFor(() => s.board.consoleDeviceName === 'Bluetooth', 'the console on Bluetooth again');
    expect(await client.evaluate('2+3', { timeoutMs: 5000 })).toBe(5);
  });

  it('a host without a bond is told to pair first, and nothing reaches the console', async () => {
    const s = await pairedStrapOnHci(62);
    const transport = createTransport(`ble:${s.address}`, { ble: { hci: s.hci, bondDir: join(root!, 'stranger') } });
    await expect(transport.open()).rejects.toThrow(/no bond with C0:11:22:33:44:01 .*: pair first: strap pair/);
    expect(transport.isOpen).toBe(false);
    expect(s.board.consoleDeviceName).toBe('Serial1');
  });

  it('names what is missing: no strap at that address, no controller at the HCI port', async () => {
    const s = await pairedStrapOnHci(63);
    const absent = createTransport('ble:C0:11:22:33:44:99', { ble: { hci: s.hci, bondDir: s.bondDir, scanLimitMs: 1000 } });
    await expect(absent.open()).rejects.toThrow(/C0:11:22:33:44:99 not found within 1 s/);
    const noController = createTransport(`ble:${s.address}`, { ble: { hci: 'tcp:127.0.0.1:1', bondDir: s.bondDir } });
    await expect(noController.open()).rejects.toThrow(PortOpenError);
    await expect(noController.open()).rejects.toThrow(/cannot reach the Bluetooth controller tcp:127\.0\.0\.1:1/);
  });

  // a stand-in bundle of 3 KB (hil/mini-firmware.ts) keeps it short (~1.1 KB/s in 20-octet writes): the whole dist/strap.js goes over BLE in the
  // HIL scenario ble-flashing and in the bench (bench/ble.ts)
  it('flashes a bundle over the Nordic UART Service: the strap boots it, and again after a power cycle', async () => {
    const s = await pairedStrapOnHci(64, FAST_AIR);
    const { port, ble } = blePort(s);
    client = await connectConsole(port, { ble, timeoutMs: 5000 });
    const next = miniFirmware('0.2.0');
    const result = await flashFirmware(client, { bundle: next });
    expect(result.banner).toMatch(/^strap 0\.2\.0 on PUCKJS \(Espruino 2v29\), boot #\d+$/);
    expect(s.board.readFile(result.slot)).toBe(next);
    await client.close();
    client = undefined;
    s.driver.stop();
    const mark = s.output().length;
    s.board.powerCycle(100);
    s.board.run(1000);
    expect(s.output().slice(mark)).toMatch(/strap 0\.2\.0 on PUCKJS/);
  });

  it('the strap losing power mid-flash is a port loss: the flash says what the board boots now, and the next flash over BLE finishes the job', async () => {
    const s = await pairedStrapOnHci(65, FAST_AIR);
    const { port, ble } = blePort(s);
    client = await connectConsole(port, { ble, timeoutMs: 5000 });
    // sized so that it and the strap in .bootcde cannot both fit in the Puck.js's 40 KB of Storage, whatever the strap weighs
    const next = miniFirmware('0.3.0', STORAGE_BYTES - BUNDLE.length);
    let cut = false;
    const failure = await flashFirmware(client, {
      bundle: next,
      onProgress: (p) => {
        if (p.phase === 'upload' && p.sentBytes > 1024 && !cut) {
          cut = true;
          s.board.powerOff('power-cut');
        }
      },
    }).catch((error: unknown) => error);
    expect(cut).toBe(true);
    expect(failure).toBeInstanceOf(FlashInterruptedError);
    const interrupted = failure as FlashInterruptedError;
    expect(interrupted.message).toMatch(/ble:C0:11:22:33:44:01 went away: the Bluetooth link dropped: connection timeout/);
    expect(interrupted.boots.length).toBeGreaterThan(0);
    expect(interrupted.message).toMatch(/the board boots /);
    await client.close().catch(() => undefined);
    s.board.powerOn();
    // the strap in .bootcde and the stand-in do not both fit in Storage: the flasher went
    // single-slot, and a cut leaves the loader's safe mode (host-bridge/flash/README.md); Espruino's own NUS
    // console is up there (no firmware restricts it), so the bond still reaches it and the next flash finishes
    expect(interrupted.boots).toEqual([{ kind: 'safe-mode' }]);
    client = await connectConsole(port, { ble, timeoutMs: 5000 });
    const again = await flashFirmware(client, { bundle: next });
    expect(again.banner).toMatch(/^strap 0\.3\.0 on PUCKJS/);
  });
});

async function waitFor(condition: () => boolean, what: string, limitMs = 5000): Promise<void> {
  const until = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`not within ${limitMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
