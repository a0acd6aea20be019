/**
 * A copy of ble-host 1.0.3 whose bond store is a given folder.
 *
 * ble-host writes its bonds under the relative path
 * `./NodeBleLib-storage-dir` (lib/internal/storage.js, not configurable) and
 * caches them, and its P-256 key pair, per module load (lib/internal/smp.js).
 * So the transport loads the library's CommonJS files itself, with a module
 * cache of its own and an `fs` whose relative paths land in the bond folder
 * (the folder `strap pair` fills, `<state>/phone`). Everything else is Node's
 * own: real timers, Date, crypto. The simulator's devices do the same with
 * virtual ones (sim/radio/ble-host-copy.ts); host-bridge never imports sim/,
 * hence this second, smaller loader.
 */
import * as nodeFs from 'node:fs';
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import * as vm from 'node:vm';
import type { BleHost } from './ble-host-types';

const nodeRequire = createRequire(import.meta.url);
const libDir = nodePath.join(nodePath.dirname(nodeRequire.resolve('ble-host/package.json')), 'lib');

/** The CommonJS wrapper's parameters, and ble-host's one undeclared global (adapter.js's `selectedConn`), kept inside the copy. */
const WRAPPER_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', 'selectedConn'];

export function loadBleHostWithBonds(bondDir: string): BleHost {
  const cache = new Map<string, { exports: unknown }>();
  const builtins: Record<string, unknown> = {
    events: nodeRequire('events'),
    util: nodeRequire('util'),
    path: nodeRequire('path'),
    crypto: nodeRequire('crypto'),
    fs: rootedFs(bondDir),
  };
  const load = (filename: string): unknown => {
    const cached = cache.get(filename);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    cache.set(filename, module);
    const fn = vm.compileFunction(nodeFs.readFileSync(filename, 'utf8'), WRAPPER_PARAMETERS, { filename });
    const dir = nodePath.dirname(filename);
    const require = (specifier: string): unknown => {
      if (specifier.startsWith('.')) {
        const resolved = nodePath.resolve(dir, specifier);
        return load(resolved.endsWith('.js') ? resolved : `${resolved}.js`);
      }
      if (specifier in builtins) return builtins[specifier];
      throw new Error(`ble-host copy: require('${specifier}') is not provided`);
    };
    fn.call(module.exports, module.exports, require, module, filename, dir, undefined);
    return module.exports;
  };
  return load(nodePath.join(libDir, 'index.js')) as BleHost;
}

function rootedFs(bondDir: string): typeof nodeFs {
  // ble-host creates its store's folders one by one from the relative root, so the root must exist
  nodeFs.mkdirSync(bondDir, { recursive: true });
  const place = (p: unknown): unknown => (typeof p === 'string' && !nodePath.isAbsolute(p) ? nodePath.join(bondDir, p) : p);
  return new Proxy(nodeFs, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (first: unknown, ...rest: unknown[]) => (value as (...a: unknown[]) => unknown).call(target, place(first), ...rest);
    },
  });
}
