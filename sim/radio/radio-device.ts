/**
 * One simulated BLE device: a virtual controller on the air and its own
 * ble-host copy with its own bond directory. What the board and the phone
 * build on.
 *
 *   const strap = createRadioDevice({ air, name: 'strap', address: 'C0:00:00:00:00:01', bondDir });
 *   strap.startHost((err, manager) => { ... });   // runs as the clock advances
 *   strap.powerOff();                              // peers see a supervision timeout
 */
import type { Air } from './air';
import { loadBleHost } from './ble-host-copy';
import type { BleHost, BleManager } from './ble-host-api';
import type { VirtualController } from './controller';

export interface RadioDeviceOptions {
  air: Air;
  name: string;
  /** Public BD_ADDR, `AA:BB:CC:DD:EE:FF`; also names the device's bond folder inside ble-host's store. */
  address: string;
  /** A directory of this device's own (ble-host writes `NodeBleLib-storage-dir/` in it). */
  bondDir: string;
  /** ble-host's static random address, if the device uses one instead of its public address. */
  staticRandomAddress?: string;
  /** Bytes to use for the next `crypto.randomBytes(n)` of the device's ble-host (ble-host-copy.ts). */
  randomBytesOverride?: (n: number) => Uint8Array | undefined;
}

export interface RadioDevice {
  readonly name: string;
  readonly bondDir: string;
  readonly controller: VirtualController;
  /** The device's own ble-host module copy (a new one after each power cycle). */
  readonly bleHost: BleHost;
  /** Creates the BleManager on this device's controller; the callback runs on virtual time. */
  startHost(callback: (err: Error | null, manager: BleManager) => void): void;
  /** Power cut: controller silent, host forgotten; peers time out. */
  powerOff(): void;
  /** Power back: a fresh controller state and a fresh ble-host copy (bonds stay on disk); call startHost again. */
  powerOn(): void;
}

export function createRadioDevice(options: RadioDeviceOptions): RadioDevice {
  const controller = options.air.addController({ name: options.name, publicAddress: options.address });
  const random = options.air.random.fork(`host/${options.name}`);
  let generation = 0;
  const load = (): BleHost => loadBleHost({ clock: options.air.clock, bondDir: options.bondDir, random: random.fork(`boot${generation++}`), randomBytesOverride: options.randomBytesOverride });
  let bleHost = load();
  return {
    name: options.name,
    bondDir: options.bondDir,
    controller,
    get bleHost() {
      return bleHost;
    },
    startHost(callback) {
      const transport = controller.transport;
      bleHost.BleManager.create(transport, options.staticRandomAddress ? { staticRandomAddress: options.staticRandomAddress } : {}, callback);
    },
    powerOff() {
      controller.powerOff();
      controller.transport.removeAllListeners();
    },
    powerOn() {
      controller.powerOn();
      bleHost = load();
    },
  };
}
