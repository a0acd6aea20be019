/**
 * `process` (Espruino src/jswrap_process.c): env is generated on each read,
 * as on the board; memory() reports the board's block estimate.
 */
import type { BoardHost } from './board-host';

export const ESPRUINO_VERSION = '2v29';

export interface ProcessEnvOptions {
  serial: string;
  /** Placeholder build values (no real firmware image behind the virtual board). */
  gitCommit?: string;
}

export function installProcess(host: BoardHost, options: ProcessEnvOptions): Record<string, unknown> {
  const realm = host.realm;
  const proc = realm.object();
  realm.defineGetter(proc, 'env', () =>
    realm.object({
      VERSION: ESPRUINO_VERSION,
      GIT_COMMIT: options.gitCommit ?? '0000000',
      BOARD: 'PUCKJS',
      RAM: 65536,
      FLASH: 524288,
      HWVERSION: 2.1,
      STORAGE: host.storage.flash.sizeBytes,
      SERIAL: options.serial,
      CONSOLE: host.consoleDevice() === 'null' ? undefined : host.consoleDevice(),
      MODULES: 'Flash,Storage,heatshrink,net,dgram,http,NRF,CRC,crypto,neopixel',
      EXPTR: 536882352,
    }),
  );
  Object.defineProperty(proc, 'version', { value: ESPRUINO_VERSION, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(proc, 'memory', {
    value: realm.fn((gc: unknown) => {
      const m = host.memory();
      const o = realm.object({ free: m.free, usage: m.usage, total: m.total, history: m.history });
      if (gc === undefined || gc === true) {
        o.gc = 0;
        o.gctime = 0;
      }
      o.blocksize = m.blocksize;
      return o;
    }, 'memory'),
    enumerable: false,
    configurable: true,
    writable: true,
  });
  realm.defineBuiltin('process', proc);
  return proc;
}
