/**
 * A private copy of ble-host 1.0.3 for one simulated device.
 *
 * ble-host keeps state per module load: lib/internal/smp.js makes one P-256
 * key pair when it loads, lib/internal/storage.js caches bonds, and both
 * would be shared by every device loaded through Node's own require (two
 * devices would then send the same public key). So each device loads the
 * library's CommonJS files itself, with its own module cache, as plain
 * sloppy-mode functions (the library relies on sloppy mode; never bundled).
 *
 * Each copy sees, in place of Node's globals and modules:
 * - setTimeout/clearTimeout/setInterval/clearInterval/setImmediate on the
 *   virtual clock (ble-host's 30 s SMP and ATT timeouts run on virtual time);
 * - `Date` whose now is the virtual clock's, `Math.random` from the seed
 *   (the adapter picks the next connection to serve with it);
 * - `crypto` whose randomBytes and P-256 key pair come from the seed, so a
 *   seeded run pairs with the same keys and values every time;
 * - `fs` whose relative paths land in the device's own bond directory
 *   (storage.js writes under './NodeBleLib-storage-dir', not configurable);
 *   each file it writes is replaced whole (written aside, then renamed), so a
 *   write is either done or not, and each write or removal first asks
 *   `storeWrite`, which may transform it or drop it (a power cut).
 */
import * as nodeCrypto from 'node:crypto';
import * as nodeFs from 'node:fs';
import { createRequire } from 'node:module';
import * as nodePath from 'node:path';
import * as vm from 'node:vm';
import type { SeededRandom } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import type { BleHost } from './ble-host-api';
import { virtualTimers } from './virtual-timers';
import type { VirtualTimers } from './virtual-timers';

export interface BleHostCopyOptions {
  clock: VirtualClock;
  /** The device's own directory; its bonds go to `<bondDir>/NodeBleLib-storage-dir`. */
  bondDir: string;
  /** This device's seeded stream (its keys, nonces and passkeys). */
  random: SeededRandom;
  /** Unix time of virtual time 0, ms (what the copy's virtual Date adds to the clock), default 0. */
  epochMs?: number;
  /**
   * Consulted before each `crypto.randomBytes(n)`: bytes to use instead, or
   * undefined for the seeded draw. The SoftDevice model sets a static
   * passkey this way (ble-host draws the displayed passkey itself).
   */
  randomBytesOverride?: (n: number) => Uint8Array | undefined;
  /** The copy's timers (default: new ones on `clock`); pass them to cancel them all when the device goes away. */
  timers?: VirtualTimers;
  /**
   * Asked before each change ble-host makes to its store (a file written, removed): the data to
   * write (the same, or changed), or undefined to drop the change. Default: everything as asked.
   */
  storeWrite?: (change: StoreChange) => string | Uint8Array | undefined;
}

/** A change ble-host makes to its store; `path` is relative to the device's `bondDir`. */
export type StoreChange = { kind: 'write'; path: string; data: string | Uint8Array } | { kind: 'remove'; path: string };

/**
 * The CommonJS wrapper's parameters, then the globals a copy gets its own of, then the implicit globals
 * ble-host assigns without declaring them (sloppy mode would put them on Node's global object, shared by
 * every copy: adapter.js's `selectedConn`). Declared as parameters, they stay inside the module.
 */
const WRAPPER_PARAMETERS = [
  'exports', 'require', 'module', '__filename', '__dirname',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date', 'Math',
  'selectedConn',
];

const nodeRequire = createRequire(import.meta.url);
const libDir = nodePath.join(nodePath.dirname(nodeRequire.resolve('ble-host/package.json')), 'lib');

/** Loads a fresh copy of ble-host's `lib/index.js` for one device. */
export function loadBleHost(options: BleHostCopyOptions): BleHost {
  const cache = new Map<string, { exports: unknown }>();
  const timers = options.timers ?? virtualTimers(options.clock);
  const builtins: Record<string, unknown> = {
    // As Node's require gives them: 'events' is the EventEmitter class itself.
    events: nodeRequire('events'),
    util: nodeRequire('util'),
    path: nodeRequire('path'),
    crypto: seededCrypto(options.random.fork('crypto'), options.randomBytesOverride),
    fs: deviceFs(options.bondDir, options.storeWrite),
  };
  const globals = [timers.setTimeout, timers.clearTimeout, timers.setInterval, timers.clearInterval, timers.setImmediate, timers.clearImmediate,
    virtualDate(options.clock, options.epochMs ?? 0), seededMath(options.random.fork('math'))];

  const load = (filename: string): unknown => {
    const cached = cache.get(filename);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    cache.set(filename, module);
    const fn = compileLibraryFile(filename);
    const dir = nodePath.dirname(filename);
    const require = (specifier: string): unknown => {
      if (specifier.startsWith('.')) {
        const resolved = nodePath.resolve(dir, specifier);
        return load(resolved.endsWith('.js') ? resolved : `${resolved}.js`);
      }
      if (specifier in builtins) return builtins[specifier];
      throw new Error(`ble-host copy: require('${specifier}') is not provided`);
    };
    fn.call(module.exports, module.exports, require, module, filename, dir, ...globals);
    return module.exports;
  };
  return load(nodePath.join(libDir, 'index.js')) as BleHost;
}

/**
 * Each library file's text and V8's code cache for it, shared by every copy in this process: a copy still
 * compiles and runs its own functions (its own module state), without parsing the library's text again.
 */
const libraryFiles = new Map<string, { source: string; cachedData: Buffer | undefined }>();

function compileLibraryFile(filename: string): ReturnType<typeof vm.compileFunction> {
  let file = libraryFiles.get(filename);
  if (!file) {
    file = { source: nodeFs.readFileSync(filename, 'utf8'), cachedData: undefined };
    libraryFiles.set(filename, file);
  }
  const fn = vm.compileFunction(file.source, WRAPPER_PARAMETERS, { filename, ...(file.cachedData ? { cachedData: file.cachedData } : { produceCachedData: true }) }) as ReturnType<typeof vm.compileFunction> & { cachedData?: Buffer };
  file.cachedData ??= fn.cachedData;
  return fn;
}

function seededCrypto(random: SeededRandom, override?: (n: number) => Uint8Array | undefined): typeof nodeCrypto {
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => random.int(0, 255)));
  return {
    ...nodeCrypto,
    randomBytes: ((n: number) => {
      const given = override?.(n);
      return given ? Buffer.from(given) : bytes(n);
    }) as typeof nodeCrypto.randomBytes,
    createECDH(curve: string) {
      const ecdh = nodeCrypto.createECDH(curve);
      ecdh.generateKeys = (() => {
        // A private key is a scalar in [1, n−1]; 32 random octets fall outside with probability < 2^−32: draw again.
        for (;;) {
          try {
            ecdh.setPrivateKey(bytes(32));
            return ecdh.getPublicKey();
          } catch {
            continue;
          }
        }
      }) as typeof ecdh.generateKeys;
      return ecdh;
    },
  };
}

function deviceFs(bondDir: string, storeWrite: BleHostCopyOptions['storeWrite'] = (c) => (c.kind === 'write' ? c.data : '')): typeof nodeFs {
  // ble-host creates its store's folders one by one from the relative root, so the device's own folder must exist.
  nodeFs.mkdirSync(bondDir, { recursive: true });
  const place = (p: unknown): unknown => (typeof p === 'string' && !nodePath.isAbsolute(p) ? nodePath.join(bondDir, p) : p);
  const relative = (p: unknown): string => nodePath.relative(bondDir, String(place(p)));
  const changes: Record<string, (target: typeof nodeFs, first: unknown, rest: unknown[]) => unknown> = {
    writeFileSync(target, first, rest) {
      const data = storeWrite({ kind: 'write', path: relative(first), data: rest[0] as string | Uint8Array });
      if (data === undefined) return undefined;
      const file = String(place(first));
      target.writeFileSync(`${file}.new`, data);
      target.renameSync(`${file}.new`, file);
      return undefined;
    },
    unlinkSync(target, first) {
      if (storeWrite({ kind: 'remove', path: relative(first) }) === undefined) return undefined;
      target.unlinkSync(String(place(first)));
      return undefined;
    },
  };
  return new Proxy(nodeFs, {
    get(target, property, receiver) {
      const change = typeof property === 'string' ? changes[property] : undefined;
      if (change) return (first: unknown, ...rest: unknown[]) => change(target, first, rest);
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (first: unknown, ...rest: unknown[]) => (value as (...a: unknown[]) => unknown).call(target, place(first), ...rest);
    },
  });
}

function virtualDate(clock: VirtualClock, epochMs: number): DateConstructor {
  class VirtualDate extends Date {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(epochMs + clock.nowMs());
      else super(...(args as [string]));
    }

    static override now(): number {
      return epochMs + clock.nowMs();
    }
  }
  return VirtualDate as DateConstructor;
}

function seededMath(random: SeededRandom): Math {
  const math = Object.create(Math) as Math & { random: () => number };
  math.random = () => random.next();
  return math;
}
