/**
 * Hardware objects: NRF (battery, radio and NFC: install-nrf.ts), Puck (battery only), Serial1 and
 * Bluetooth (byte streams), I2C1, and the objects the board does not model.
 */
import type { ConsoleDeviceName } from '../console/board-console';
import { buffered, setBuffered } from '../console/rx-buffer';
import { toBytes, toLatin1Text } from '../runtime/bytes';
import type { DeviceObjects } from '../runtime/ram';
import type { BoardHost } from './board-host';
import { installNrf } from './install-nrf';
import {
  NOT_MODELLED_CONSTRUCTORS,
  NOT_MODELLED_GLOBAL_FUNCTIONS,
  NOT_MODELLED_MEMBERS,
  addNotModelledMembers,
  notModelledFunction,
} from './not-modelled';

/**
 * Puck.getBatteryPercentage / E.getBattery on the Puck.js build
 * (libs/puckjs/jswrap_puck.c, jswrap_puck_getBattery, CUSTOM_GETBATTERY in
 * boards/PUCKJS.py): a linear CR2032 scale, 2.2 V = 0 % to 2.8 V = 100 %,
 * truncated to an integer and clamped.
 */
export function puckBatteryPercent(volts: number): number {
  const pc = Math.trunc(((volts - 2.2) * 100) / 0.6);
  return Math.min(100, Math.max(0, pc));
}

export function installDevices(host: BoardHost, serialNumber: string): DeviceObjects {
  const realm = host.realm;
  const method = (target: object, name: string, impl: (this: unknown, ...args: any[]) => unknown) =>
    Object.defineProperty(target, name, { value: realm.fn(impl, name), configurable: true, enumerable: false, writable: true });

  // ---- NRF: the battery, the radio over its seam, the NFC tag; Puck: the battery (sensors are not modelled)
  const NRF = realm.object();
  method(NRF, 'getBattery', () => host.cell.terminalVolts());
  installNrf(host, NRF, serialNumber);
  addNotModelledMembers(realm, NRF, 'NRF', NOT_MODELLED_MEMBERS.NRF!);
  realm.defineBuiltin('NRF', NRF);

  const Puck = realm.object();
  method(Puck, 'getBatteryPercentage', () => puckBatteryPercent(host.cell.terminalVolts()));
  addNotModelledMembers(realm, Puck, 'Puck', NOT_MODELLED_MEMBERS.Puck!);
  realm.defineBuiltin('Puck', Puck);

  // ---- byte streams
  const serial1 = makeStream('Serial1');
  method(serial1, 'setup', (baud: unknown, options: unknown) => {
    serialSetup.baud = Number(baud) || 9600;
    serialSetup.options = options;
  });
  const serialSetup: { baud: number; options: unknown } = { baud: 9600, options: undefined };
  const bluetooth = makeStream('Bluetooth');

  function makeStream(device: ConsoleDeviceName): Record<string, unknown> {
    const stream = realm.object();
    const write = (text: string) => host.writeToDevice(device, text);
    method(stream, 'write', (...args: unknown[]) => write(toLatin1Text(args)));
    method(stream, 'print', (text: unknown) => write(String(text)));
    method(stream, 'println', (text: unknown) => write(String(text) + '\r\n'));
    method(stream, 'available', () => buffered(stream).length);
    method(stream, 'read', (chars: unknown) => {
      const buf = buffered(stream);
      const n = chars === undefined ? buf.length : Math.min(buf.length, Number(chars));
      const out = buf.slice(0, n);
      setBuffered(stream, buf.slice(n));
      return out;
    });
    realm.defineBuiltin(device, stream);
    return stream;
  }

  // ---- I2C1 (hardware TWI)
  const I2C1 = realm.object();
  method(I2C1, 'setup', (options: unknown) => {
    host.i2c1.setupOptions = options !== null && typeof options === 'object' ? { ...(options as object) } : {};
  });
  const addressOf = (a: unknown) => (a !== null && typeof a === 'object' ? Number((a as { address?: unknown }).address) : Number(a));
  method(I2C1, 'writeTo', (address: unknown, ...data: unknown[]) => {
    if (!host.i2c1.setupOptions) return; // jshI2CWrite returns when the device is not initialised
    const error = host.i2c1.write(addressOf(address), toBytes(data));
    if (error) throw realm.error('InternalError', `I2C Write Error ${error}\n`);
  });
  method(I2C1, 'readFrom', (address: unknown, quantity: unknown) => {
    const n = Math.max(0, Number(quantity) || 0);
    if (!host.i2c1.setupOptions) return realm.uint8(new Uint8Array(n));
    const result = host.i2c1.read(addressOf(address), n);
    if (typeof result === 'number') throw realm.error('InternalError', `I2C Read Error ${result}\n`);
    return realm.uint8(result);
  });
  realm.defineBuiltin('I2C1', I2C1);

  // ---- present on a Puck.js, not modelled
  const SPI1 = realm.object();
  addNotModelledMembers(realm, SPI1, 'SPI1', NOT_MODELLED_MEMBERS.SPI1!);
  realm.defineBuiltin('SPI1', SPI1);
  const Modules = realm.object();
  addNotModelledMembers(realm, Modules, 'Modules', NOT_MODELLED_MEMBERS.Modules!);
  realm.defineBuiltin('Modules', Modules);
  for (const name of NOT_MODELLED_CONSTRUCTORS) realm.defineBuiltin(name, notModelledFunction(realm, name));
  for (const name of NOT_MODELLED_GLOBAL_FUNCTIONS) realm.defineBuiltin(name, notModelledFunction(realm, name));

  return { serial1, bluetooth };
}
