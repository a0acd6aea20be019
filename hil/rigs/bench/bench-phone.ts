/**
 * The bench rig's phone (`ble-central`): sim/phone's Phone, the same code the
 * virtual rigs drive, on a real HCI controller (HIL_HCI: hciN, tcp:HOST:PORT,
 * a serial H4 UART, as `strap pair --hci` takes it), waiting on Node's event
 * loop (realTimePhoneDriver), its bonds in HIL_BONDS.
 *
 * A bench host has no NFC reader: the strap's address is the rig's setting
 * (HIL_STRAP_ADDRESS) and the passkey is what `ble.pair` answered on the
 * wired console, which the scenario passes to pair({passkey}). The phone's
 * HCI trace is recorded at the H4 link opened here; the strap's side of the
 * air is not observable on a bench, so its btsnoop holds no packets.
 */
import { EventEmitter } from 'node:events';
import { encodeBtsnoop, type TraceRecord } from '../../../protocols/ble/btsnoop/btsnoop';
import { loadBleHostWithBonds } from '../../../host-bridge/transports/ble/ble-host-loader';
import type { CentralManager } from '../../../host-bridge/transports/ble/ble-host-types';
import { openHciLink, type HciLink } from '../../../host-bridge/transports/ble/hci-link';
import { parseHciSpec } from '../../../host-bridge/transports/ble/hci-spec';
import { Phone } from '../../../sim/phone/phone';
import { realTimePhoneDriver } from '../../../sim/phone/phone-driver';
import { formatPhoneEvent } from '../../../sim/phone/phone-log';
import type { BleManager } from '../../../sim/radio/ble-host-api';
import type { BleOutcome, Instruments } from '../../rig/rig';
import { notedOutcome, phoneOutcome } from '../phone-outcome';

export interface BenchPhoneOptions {
  /** The controller (HIL_HCI). */
  hci: string;
  /** The strap's address, AA:BB:CC:DD:EE:FF (HIL_STRAP_ADDRESS). */
  address: string;
  /** The phone's bond folder (HIL_BONDS). */
  bondDir: string;
}

/** The controller's reset and setup (as `strap pair --hci`). */
const CONTROLLER_LIMIT_MS = 10_000;

/** A ble-host central on a freshly opened controller, every H4 packet recorded into `records`. */
async function startCentral(options: BenchPhoneOptions, records: TraceRecord[], startedAt: number): Promise<{ link: HciLink; manager: BleManager }> {
  const link = await openHciLink(parseHciSpec(options.hci), options.hci);
  const timeUs = () => Math.round((performance.now() - startedAt) * 1000);
  // ble-host's transport (its README, "Transport"): write() one H4 packet, 'data' with one
  const recorded = Object.assign(new EventEmitter(), {
    write: (packet: Buffer) => {
      records.push({ direction: 'sent', timeUs: timeUs(), packet: new Uint8Array(packet) });
      link.write(packet);
    },
  });
  link.on('data', (packet: Buffer) => {
    records.push({ direction: 'received', timeUs: timeUs(), packet: new Uint8Array(packet) });
    recorded.emit('data', packet);
  });
  link.on('close', (why: string) => recorded.emit('close', why));
  try {
    const host = loadBleHostWithBonds(options.bondDir);
    const created = await realTimePhoneDriver().wait<{ err: Error | null; manager: CentralManager }>('the controller', CONTROLLER_LIMIT_MS, (done) =>
      host.BleManager.create(recorded, {}, (err, manager) => done({ err, manager })),
    );
    if (created.err) throw created.err;
    created.manager.on('error', () => undefined); // a controller gone mid-way: the step waiting says so
    // the same library as the simulator's phone: the host bridge's type view names only what the transport uses
    return { link, manager: created.manager as unknown as BleManager };
  } catch (error) {
    link.close();
    throw new Error(`the Bluetooth controller ${options.hci} did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export interface BenchPhone {
  instrument: Instruments['ble-central'];
  close(): void;
}

export async function openBenchPhone(options: BenchPhoneOptions, note: (text: string) => void): Promise<BenchPhone> {
  const address = options.address.toUpperCase();
  const records: TraceRecord[] = [];
  const startedAt = performance.now();
  let central: { link: HciLink; manager: BleManager } | undefined = await startCentral(options, records, startedAt);
  const newPhone = (manager: BleManager): Phone => {
    const p = new Phone({ manager, driver: realTimePhoneDriver() });
    p.log.onEvent((e) => note(`phone: ${formatPhoneEvent(e)}`));
    return p;
  };
  let phone = newPhone(central.manager);
  const said = (what: string, o: BleOutcome): BleOutcome => notedOutcome(note, what, o);
  const lentRadio = () => new Error(`the phone's radio (${options.hci}) is lent to the host bridge: takeRadioBack() first`);
  const instrument: Instruments['ble-central'] = {
    pair: async ({ passkey } = {}) => {
      if (passkey === undefined) {
        return said('pairing', { ok: false, step: 'tap', reason: "no NFC reader on the bench: pass the passkey ble.pair answered on the wired console" });
      }
      note(`phone pairs with ${address}, typing ${passkey} (ble.pair's answer)`);
      return said(
        'pairing',
        await phoneOutcome(async () => {
          if (!central) throw lentRadio();
          phone.knowStrap({ address, addressType: 'public' }, passkey, "ble.pair's answer on the wired console");
          await phone.pair();
        }),
      );
    },
    reconnect: async () => said('reconnect', await phoneOutcome(() => phone.reconnect(phone.strap ?? { address, addressType: 'public' }))),
    readBattery: async () => {
      const percent = await phone.readBattery();
      note(`phone read battery ${percent} %`);
      return percent;
    },
    walletStatus: () => phone.wallet().status(),
    wallet: async (op) =>
      said(
        `wallet ${op}`,
        await phoneOutcome(async () => {
          await phone.wallet()[op]();
        }),
      ),
    disconnect: async () => {
      note('phone disconnects');
      await phone.disconnect();
    },
    forgetBond: async () => {
      note('phone forgets its bond');
      // ble-host keeps its keys in memory as well as in the bond folder: removeBond drops both
      central?.manager.removeBond(phone.strap?.addressType ?? 'public', address);
    },
    traceMark: async () => ({ strap: 0, phone: records.length }),
    btsnoop: async (since) => ({ strap: Buffer.from(encodeBtsnoop([])), phone: Buffer.from(encodeBtsnoop(records.slice(since.phone))) }),
    lendRadio: async () => {
      if (!central) throw new Error('the phone radio is lent already');
      await phone.disconnect();
      central.link.close();
      central = undefined;
      note(`phone radio lent to the host bridge: --hci ${options.hci}`);
      return { hci: options.hci, bondDir: options.bondDir, address };
    },
    takeRadioBack: async () => {
      if (central) return;
      central = await startCentral(options, records, startedAt);
      phone = newPhone(central.manager);
      note('phone radio back with the phone');
    },
  };
  return {
    instrument,
    close: () => {
      central?.link.close();
      central = undefined;
    },
  };
}
