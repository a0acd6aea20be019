/**
 * Espruino's globals installed into one RAM, each family by its module,
 * against the host that RAM's API talks to (ram-host.ts).
 */
import type { Ram } from '../runtime/ram';
import type { BoardHost } from './board-host';
import { installDevices } from './install-devices';
import { installE } from './install-e';
import { installGlobals } from './install-globals';
import { installIo } from './install-io';
import { installProcess } from './install-process';
import { createStorageModule } from './storage-module';

export function installApi(ram: Ram, host: BoardHost, serialNumber: string): void {
  let storageModule: Record<string, unknown> | undefined;
  installGlobals(host, { Storage: () => (storageModule ??= createStorageModule(host)) });
  installIo(host);
  ram.E = installE(host);
  ram.devices = installDevices(host, serialNumber);
  ram.process = installProcess(host, { serial: serialNumber });
}
