/**
 * Reaching the board named by the board options, and "is this a strap?"
 * before talking RPC to it: process.env names the board and its Espruino,
 * and the `strap` global with its `rpc` entry point is what our firmware
 * installs (firmware/boot/boot.ts).
 */
import { statSync } from 'node:fs';
import type { BoardIdentity } from '../host-bridge/contracts';
import { connectConsole, type EspruinoConsoleClient } from '../host-bridge/console/index';
import { NotStrapFirmwareError } from '../host-bridge/flash/flash-errors';
import { PortOpenError, parsePort } from '../host-bridge/transports/index';
import type { BoardTarget } from './options';

/** A console client on the board whose console has answered (a wrong baud rate is named). */
export async function connectBoard(target: BoardTarget): Promise<EspruinoConsoleClient> {
  checkSerialDevice(target.port);
  return connectConsole(target.port, { baudRate: target.baudRate, connectTimeoutMs: target.timeoutMs, syncTimeoutMs: target.timeoutMs, ble: target.ble });
}

/**
 * A serial port given by path must be a character device (a tty, a USB
 * serial port, a pseudo-terminal; links to one are followed): anything else
 * is "not a serial port", exit 3 like any port that cannot be opened, rather
 * than the ioctl error serialport gives for a regular file. A path that does
 * not exist is left to the transport, which names it.
 */
export function checkSerialDevice(port: string): void {
  const spec = parsePort(port);
  if (spec.kind !== 'serial') return;
  let stats;
  try {
    stats = statSync(spec.path);
  } catch {
    return;
  }
  if (stats.isCharacterDevice()) return;
  const what = stats.isDirectory() ? 'a directory' : stats.isFile() ? 'a regular file' : stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : 'not a character device';
  throw new PortOpenError(port, `cannot open ${port}: not a serial port (${what})`);
}

/** Resolves with the board's identity when it runs the strap firmware; throws NotStrapFirmwareError otherwise. */
export async function requireStrapFirmware(client: EspruinoConsoleClient, timeoutMs: number): Promise<BoardIdentity> {
  const identity = await client.identify();
  const api = await client.evaluate<string>('typeof strap==="undefined"?"none":typeof strap.rpc', { timeoutMs });
  if (api === 'function') return identity;
  const strap = api === 'none' ? 'no `strap` global' : 'a `strap` global without console RPC';
  throw new NotStrapFirmwareError(`${identity.board || 'unknown board'}, Espruino ${identity.version || 'unknown version'}, ${strap}`);
}
