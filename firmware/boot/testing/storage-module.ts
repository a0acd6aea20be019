import Module from 'node:module';

// Firmware modules read Espruino's Storage with `require('Storage')`; under vitest that is Node's require.
// A test answers 'Storage' with its own stand-in from here, and puts Node's loader back after.

type Loader = (request: string, ...rest: unknown[]) => unknown;
const modules = Module as unknown as { _load: Loader };
const nodeLoad = modules._load;

/** `require('Storage')` gives `storage` until restoreStorageModule(). */
export function answerStorageModule(storage: object): void {
  modules._load = function (this: unknown, request, ...rest) {
    return request === 'Storage' ? storage : nodeLoad.call(this, request, ...rest);
  };
}

export function restoreStorageModule(): void {
  modules._load = nodeLoad;
}
