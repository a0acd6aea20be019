/**
 * Reaching the board named by the board options, and "is this a strap?"
 * before talking RPC to it: process.env names the board and its Espruino,
 * and the `strap` global with its `rpc` entry point is what our firmware
 * installs (firmware/boot/boot.ts).
 */
import type { BoardIdentity } from '../host-bridge/contracts.js';
import { connectConsole, type EspruinoConsoleClient } from '../host-bridge/console/index.js';
import { NotStrapFirmwareError } from '../host-bridge/flash/flash-errors.js';
import type { BoardTarget } from './options.js';

/** A console client on the board whose console has answered (a wrong baud rate is named). */
export function connectBoard(target: BoardTarget): Promise<EspruinoConsoleClient> {
  return connectConsole(target.port, { baudRate: target.baudRate, connectTimeoutMs: target.timeoutMs, syncTimeoutMs: target.timeoutMs });
}

/** Resolves with the board's identity when it runs the strap firmware; throws NotStrapFirmwareError otherwise. */
export async function requireStrapFirmware(client: EspruinoConsoleClient, timeoutMs: number): Promise<BoardIdentity> {
  const identity = await client.identify();
  const api = await client.evaluate<string>('typeof strap==="undefined"?"none":typeof strap.rpc', { timeoutMs });
  if (api === 'function') return identity;
  const strap = api === 'none' ? 'no `strap` global' : 'a `strap` global without console RPC';
  throw new NotStrapFirmwareError(`${identity.board || 'unknown board'}, Espruino ${identity.version || 'unknown version'}, ${strap}`);
}
