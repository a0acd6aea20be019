/**
 * `strap pair --hci`: the companion phone (sim/phone's `Phone`, the same
 * code `strap pair` runs on the virtual air) pairs with a strap outside this
 * process through a real HCI controller, with the BLE transport's own
 * controller opening (`--hci`: tcp:HOST:PORT, hciN, a UART path) and bond
 * store (`--bonds`, the folder `strap status --port ble:…` reads), waiting on
 * Node's event loop with real timers (realTimePhoneDriver).
 *
 * The passkey comes from the user (`--passkey`, read off the strap's NFC tag
 * with any phone's NFC app after a long press) or from the strap's wired
 * console (`--console`): `ble.pair` opens the window and answers the passkey
 * the tag shows. The wired console is physical access to the strap, which
 * is what the tap stands for.
 */
import { RpcClient } from '../host-bridge/rpc/rpc-client';
import { loadBleHostWithBonds } from '../host-bridge/transports/ble/ble-host-loader';
import type { CentralManager } from '../host-bridge/transports/ble/ble-host-types';
import { openHciLink } from '../host-bridge/transports/ble/hci-link';
import { parseHciSpec } from '../host-bridge/transports/ble/hci-spec';
import { PortOpenError, errorText } from '../host-bridge/transports/transport-errors';
import { listBonds, type BondEntry } from '../sim/phone/bond-list';
import { Phone } from '../sim/phone/phone';
import { realTimePhoneDriver } from '../sim/phone/phone-driver';
import { PhoneError, type PhoneEvent } from '../sim/phone/phone-log';
import type { BleManager } from '../sim/radio/ble-host-api';
import { connectBoard, requireStrapFirmware } from './board';
import type { BoardTarget } from './options';

export interface PairOverHciOptions {
  /** The HCI controller, as the BLE transport's `--hci`. */
  hci: string;
  /** The phone's bond folder (the transport's `--bonds`). */
  bondDir: string;
  /** The strap's address, `AA:BB:CC:DD:EE:FF`. */
  address: string;
  /** The passkey the user read off the tag, or the wired console that opens the window and answers it. */
  passkey: { typed: string } | { console: BoardTarget };
  /** How long to scan for the strap (default 10 s). */
  scanLimitMs?: number;
  onEvent?: (e: PhoneEvent) => void;
}

export interface PairOverHciResult {
  ok: boolean;
  events: PhoneEvent[];
  error?: { step: string; reason: string; code?: number };
  batteryPercent?: number;
  bonds: BondEntry[];
}

/** The controller's reset and setup, as the transport allows it. */
const CONTROLLER_LIMIT_MS = 10_000;

export class PairSetupError extends Error {
  override name = 'PairSetupError';
}

export async function pairOverHci(options: PairOverHciOptions): Promise<PairOverHciResult> {
  const driver = realTimePhoneDriver();
  // the window first: its passkey is drawn when it opens, and the strap's console moves to Bluetooth once the phone has paired
  const passkey = 'typed' in options.passkey ? { value: options.passkey.typed, from: 'the user (--passkey, read off the tag)' } : await openWindow(options.passkey.console);
  const link = await openHciLink(parseHciSpec(options.hci), options.hci).catch((error: unknown) => {
    throw new PortOpenError(options.hci, `cannot reach the Bluetooth controller ${options.hci}: ${errorText(error)}`, { cause: error });
  });
  let phone: Phone | undefined;
  let error: PairOverHciResult['error'];
  let batteryPercent: number | undefined;
  try {
    const host = loadBleHostWithBonds(options.bondDir);
    const manager = await driver
      .wait<{ err: Error | null; manager: CentralManager }>('the controller', CONTROLLER_LIMIT_MS, (done) => host.BleManager.create(link, {}, (err, m) => done({ err, manager: m })))
      .catch(() => {
        throw new PortOpenError(options.hci, `the Bluetooth controller ${options.hci} did not initialise within ${CONTROLLER_LIMIT_MS / 1000} s`);
      });
    if (manager.err) throw new PortOpenError(options.hci, `the Bluetooth controller ${options.hci} failed: ${manager.err.message}`);
    manager.manager.on('error', () => undefined); // a controller gone mid-way: the step waiting says so (a dropped link, a timeout)
    // the same library as the simulator's phone: the host bridge's type view names only what the transport uses
    phone = new Phone({ manager: manager.manager as unknown as BleManager, driver, ...(options.scanLimitMs === undefined ? {} : { scanLimitMs: options.scanLimitMs }) });
    if (options.onEvent) phone.log.onEvent(options.onEvent);
    if ('console' in options.passkey) phone.log.ok('window', `pairing window opened over the wired console ${options.passkey.console.port} (ble.pair)`);
    // the tag's address type is not needed: the phone connects with the type the strap advertises
    phone.knowStrap({ address: options.address, addressType: 'public' }, passkey.value, passkey.from);
    await phone.pair();
    await phone.reconnect();
    batteryPercent = await phone.readBattery();
    await phone.disconnect();
  } catch (e) {
    if (!(e instanceof PhoneError)) throw e;
    error = { step: e.step, reason: e.reason, ...(e.code === undefined ? {} : { code: e.code }) };
    await phone?.disconnect();
  } finally {
    link.close();
  }
  const events = phone ? phone.log.events : [];
  return { ok: error === undefined, events, ...(error ? { error } : {}), ...(batteryPercent === undefined ? {} : { batteryPercent }), bonds: listBonds(options.bondDir) };
}

/** `ble.pair` on the strap's wired console: the window opens and its passkey is the answer. */
async function openWindow(target: BoardTarget): Promise<{ value: string; from: string }> {
  const client = await connectBoard(target);
  try {
    await requireStrapFirmware(client, target.timeoutMs);
    const rpc = new RpcClient(client, { timeoutMs: target.timeoutMs });
    const answer = await rpc.call('ble.pair').finally(() => rpc.close());
    if (!answer.window) throw new PairSetupError(`the strap did not open its pairing window: ${answer.why === 'full' ? 'its bond list is full (strap bonds --forget forgets every phone)' : 'no reason given'}`);
    if (answer.passkey === undefined) throw new PairSetupError("the strap opened its window but did not answer the passkey (older firmware): read it off the strap's NFC tag and give --passkey");
    return { value: answer.passkey, from: `ble.pair's answer on ${target.port}` };
  } finally {
    await client.close().catch(() => undefined);
  }
}
