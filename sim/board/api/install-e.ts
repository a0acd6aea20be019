/**
 * The `E` object (Espruino src/jswrap_espruino.c) as far as the board models
 * it. Everything else `E` has on a Puck.js throws "not modelled".
 */
import { crc32, crc32OfLatin1 } from '../../../protocols/crc32';
import type { ConsoleDeviceName } from '../console/board-console';
import { byteCount, toBytes, toLatin1String } from '../runtime/bytes';
import { flatStringBlocks } from '../runtime/espruino-sizes';
import type { BoardHost } from './board-host';
import { puckBatteryPercent } from './install-devices';
import { NOT_MODELLED_MEMBERS, addNotModelledMembers } from './not-modelled';

export function installE(host: BoardHost): Record<string, unknown> {
  const realm = host.realm;
  const E = realm.object();
  const method = (name: string, impl: (this: unknown, ...args: any[]) => unknown) =>
    Object.defineProperty(E, name, { value: realm.fn(impl, name), configurable: true, enumerable: false, writable: true });

  /** A 32-bit integer from the nRF52 RNG peripheral (here: a seeded stream), as a signed JsVarInt. */
  method('hwRand', () => host.hwRandom.nextUint32() | 0);
  /** nRF52 TEMP peripheral: 0.25 °C steps. */
  method('getTemperature', () => Math.round(host.environment.temperatureC * 4) / 4);
  method('getAnalogVRef', () => host.cell.terminalVolts());
  method('getBattery', () => puckBatteryPercent(host.cell.terminalVolts()));
  method('enableWatchdog', (timeout: unknown, isAuto: unknown) => host.enableWatchdog(Number(timeout), isAuto === undefined ? true : !!isAuto));
  method('kickWatchdog', () => host.kickWatchdog());
  method('getErrorFlags', () => realm.array(host.takeErrorFlags()));
  method('setConsole', (device: unknown, options: unknown) => {
    const force = options !== null && typeof options === 'object' && !!(options as { force?: unknown }).force;
    const name = consoleName(device);
    if (name === undefined) throw realm.error('Error', `setConsole: device ${String(device)} not available on this board`);
    host.setConsole(name, force);
  });
  method('getConsole', () => (host.consoleDevice() === 'null' ? undefined : host.consoleDevice()));
  method('reboot', () => host.rebootNow());
  method('setBootCode', (code: unknown, alwaysRun: unknown) => host.setBootCode(code === undefined ? '' : String(code), !!alwaysRun));
  /** jswrap_espruino_setPassword: `if (pwd) pwd = jsvAsString(pwd)`; no argument removes it (../console/console-lock.ts). */
  method('setPassword', (password: unknown) => host.setPassword(password === undefined ? undefined : String(password)));
  method('lockConsole', () => host.lockConsole());
  /** The bytes of E.toString/toUint8Array's arguments, once the board has room for them as a flat string. */
  const bytesOf = (value: unknown) => {
    host.allocate(flatStringBlocks(byteCount(value)));
    return toBytes(value);
  };
  const textOf = (value: unknown) => {
    host.allocate(flatStringBlocks(byteCount(value)));
    return toLatin1String(value);
  };
  // jswrap_espruino_CRC32 iterates over its argument (jsvIterateCallback) and allocates nothing: a CRC of a file read from flash fits any board
  method('CRC32', (data: unknown) => (typeof data === 'string' ? crc32OfLatin1(data) : crc32(toBytes(data))));
  method('toUint8Array', (...args: unknown[]) => realm.uint8(bytesOf(args)));
  method('toString', (...args: unknown[]) => textOf(args));
  method('toArrayBuffer', (text: unknown) => realm.arrayBuffer(toBytes(String(text))));
  method('clip', (x: unknown, min: unknown, max: unknown) => Math.min(Math.max(Number(x), Number(min)), Number(max)));
  method('sum', (arr: unknown) => Array.prototype.reduce.call(arr as ArrayLike<number>, (a: unknown, b: unknown) => Number(a) + Number(b), 0));
  addNotModelledMembers(realm, E, 'E', NOT_MODELLED_MEMBERS.E!);
  realm.defineBuiltin('E', E);
  return E;
}

function consoleName(device: unknown): ConsoleDeviceName | undefined {
  if (device === null || device === undefined || device === 'null') return 'null';
  const name = typeof device === 'string' ? device : String(device);
  if (name === 'Serial1' || name === 'Bluetooth') return name;
  return undefined;
}
