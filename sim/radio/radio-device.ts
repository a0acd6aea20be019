/**
 * One simulated BLE device: a virtual controller on the air and its own
 * ble-host copy with its own bond directory. What the board and the phone
 * build on.
 *
 *   const strap = createRadioDevice({ air, name: 'strap', address: 'C0:00:00:00:00:01', bondDir });
 *   strap.startHost((err, manager) => { ... });   // runs as the clock advances
 *   strap.powerOff();                              // peers see a supervision timeout
 *   strap.powerOn(); strap.startHost(...);         // a fresh ble-host copy; bonds stay on disk
 *
 * Each power cycle is a generation: its ble-host copy talks to the controller
 * through its own view of the transport and its own timers, both cut at power
 * off, so nothing the old copy left pending can reach the next one.
 */
import { EventEmitter } from 'node:events';
import type { Air } from './air';
import { attServerMtu } from './att-server-mtu';
import { loadBleHost } from './ble-host-copy';
import type { BleHostCopyOptions } from './ble-host-copy';
import type { BleHost, BleManager, BleTransport } from './ble-host-api';
import type { VirtualController } from './controller';
import { virtualTimers } from './virtual-timers';
import type { VirtualTimers } from './virtual-timers';

export interface RadioDeviceOptions {
  air: Air;
  name: string;
  /** Public BD_ADDR, `AA:BB:CC:DD:EE:FF`; also names the device's bond folder inside ble-host's store. */
  address: string;
  /** A directory of this device's own (ble-host writes `NodeBleLib-storage-dir/` in it). */
  bondDir: string;
  /** ble-host's static random address, if the device uses one instead of its public address. */
  staticRandomAddress?: string;
  /** LE ACL buffers its controller offers (default 8). */
  aclBufferCount?: number;
  /** Bytes to use for the next `crypto.randomBytes(n)` of the device's ble-host (ble-host-copy.ts). */
  randomBytesOverride?: (n: number) => Uint8Array | undefined;
  /** Each change the device's ble-host makes to its bond store (ble-host-copy.ts); a powered-off generation's are dropped. */
  storeWrite?: BleHostCopyOptions['storeWrite'];
  /** The ATT MTU its GATT server answers an Exchange MTU Request with (att-server-mtu.ts); default ble-host's 517. */
  attServerMtu?: number;
}

export interface RadioDevice {
  readonly name: string;
  readonly bondDir: string;
  readonly controller: VirtualController;
  /** The device's own ble-host module copy (a new one after each power cycle). */
  readonly bleHost: BleHost;
  /** Creates the BleManager on this device's controller; the callback runs on virtual time. */
  startHost(callback: (err: Error | null, manager: BleManager) => void): void;
  /** Power cut: controller silent, the host copy's timers cancelled and its transport cut; peers time out. */
  powerOff(): void;
  /** Power back: a fresh controller state and a fresh ble-host copy (bonds stay on disk); call startHost again. */
  powerOn(): void;
}

interface Generation {
  host: BleHost;
  timers: VirtualTimers;
  transport: BleTransport & EventEmitter;
  cut(): void;
}

export function createRadioDevice(options: RadioDeviceOptions): RadioDevice {
  const { air } = options;
  const controller = air.addController({ name: options.name, publicAddress: options.address, aclBufferCount: options.aclBufferCount });
  const random = air.random.fork(`host/${options.name}`);
  const mtu = options.attServerMtu !== undefined ? attServerMtu(options.attServerMtu) : undefined;
  let count = 0;
  const boot = (): Generation => {
    const timers = virtualTimers(air.clock, options.name);
    let live = true;
    const storeWrite: BleHostCopyOptions['storeWrite'] = (change) => {
      if (!live) return undefined;
      return options.storeWrite ? options.storeWrite(change) : change.kind === 'write' ? change.data : '';
    };
    const host = loadBleHost({ clock: air.clock, bondDir: options.bondDir, random: random.fork(`boot${count++}`), timers, randomBytesOverride: options.randomBytesOverride, storeWrite });
    const view = Object.assign(new EventEmitter(), { write: (packet: Uint8Array) => live && controller.transport.write(mtu ? mtu.toController(packet) : packet) });
    const forward = (packet: Buffer): void => {
      if (live) view.emit('data', mtu ? mtu.toHost(packet) : packet);
    };
    controller.transport.on('data', forward);
    return {
      host,
      timers,
      transport: view,
      cut() {
        live = false;
        timers.cancelAll();
        controller.transport.removeListener('data', forward);
      },
    };
  };
  let generation: Generation | undefined = boot();
  return {
    name: options.name,
    bondDir: options.bondDir,
    controller,
    get bleHost() {
      if (!generation) throw new Error(`${options.name} is powered off`);
      return generation.host;
    },
    startHost(callback) {
      if (!generation) throw new Error(`${options.name} is powered off`);
      const settings = options.staticRandomAddress ? { staticRandomAddress: options.staticRandomAddress } : {};
      generation.host.BleManager.create(generation.transport, settings, callback);
    },
    powerOff() {
      generation?.cut();
      generation = undefined;
      controller.powerOff();
    },
    powerOn() {
      if (generation) return;
      controller.powerOn();
      generation = boot();
    },
  };
}
