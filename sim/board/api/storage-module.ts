/**
 * `require('Storage')` (Espruino src/jswrap_storage.c) over the board's flash
 * file system. Data in and out is 8-bit strings; objects given to write() are
 * JSON-encoded (and then written whole, ignoring offset/size), as on the board.
 */
import { bytesToLatin1, toBytes } from '../runtime/bytes';
import { FLAG_STORAGEFILE } from '../storage/jsf-header';
import { StorageError } from '../storage/jsf-storage';
import type { BoardHost } from './board-host';
import { notModelledError } from './not-modelled';

export function createStorageModule(host: BoardHost): Record<string, unknown> {
  const realm = host.realm;
  const fs = host.storage;
  const name = (v: unknown) => String(v);
  const guard = <T>(run: () => T): T => {
    try {
      return run();
    } catch (e) {
      if (e instanceof StorageError) throw realm.error('Error', e.message);
      throw e;
    }
  };
  const matcher = (regex: unknown) => {
    if (regex === undefined || regex === null) return undefined;
    return (n: string) => {
      const m = (n as unknown as { match(r: unknown): unknown }).match(regex);
      return m !== null && m !== undefined;
    };
  };
  const encode = (data: unknown): Uint8Array => {
    if (data !== null && typeof data === 'object' && !ArrayBuffer.isView(data) && !Array.isArray(data) && Object.prototype.toString.call(data) !== '[object ArrayBuffer]') {
      return toBytes(realm.jsonStringify(data) ?? '');
    }
    return toBytes(data === undefined ? '' : data);
  };

  const m: Record<string, (...args: any[]) => unknown> = {
    read: (n: unknown, offset?: unknown, length?: unknown) => {
      const bytes = fs.read(name(n), Number(offset) || 0, Number(length) || 0);
      return bytes === undefined ? undefined : bytesToLatin1(bytes);
    },
    readJSON: (n: unknown, noExceptions?: unknown) => {
      const bytes = fs.read(name(n));
      if (bytes === undefined) return undefined;
      try {
        return realm.jsonParse(bytesToLatin1(bytes));
      } catch (e) {
        if (noExceptions) return undefined;
        throw e;
      }
    },
    readArrayBuffer: (n: unknown) => {
      const bytes = fs.read(name(n));
      return bytes === undefined ? undefined : realm.arrayBuffer(bytes);
    },
    write: (n: unknown, data: unknown, offset?: unknown, size?: unknown) => {
      const isObject = data !== null && typeof data === 'object' && !ArrayBuffer.isView(data) && !Array.isArray(data) && Object.prototype.toString.call(data) !== '[object ArrayBuffer]';
      return guard(() => fs.write(name(n), encode(data), isObject ? 0 : Number(offset) || 0, isObject ? 0 : Number(size) || 0));
    },
    writeJSON: (n: unknown, data: unknown) => guard(() => fs.write(name(n), toBytes(realm.jsonStringify(data) ?? ''), 0, 0)),
    erase: (n: unknown) => {
      guard(() => fs.erase(name(n)));
    },
    eraseAll: () => fs.eraseAll(),
    list: (regex?: unknown, filter?: unknown) => {
      let containing = 0;
      let notContaining = 0;
      if (filter !== null && typeof filter === 'object' && 'sf' in filter) {
        if ((filter as { sf: unknown }).sf) containing |= FLAG_STORAGEFILE;
        else notContaining |= FLAG_STORAGEFILE;
      }
      return realm.array(fs.list({ containing, notContaining, match: matcher(regex) }));
    },
    hash: (regex?: unknown) => fs.hash({ notContaining: FLAG_STORAGEFILE, match: matcher(regex) }) | 0,
    compact: () => {
      guard(() => fs.compact());
    },
    getFree: () => fs.stats().freeBytes,
    getStats: () => realm.object({ ...fs.stats() }),
    open: () => {
      throw notModelledError(realm, 'Storage.open (StorageFile)');
    },
    debug: () => {
      throw notModelledError(realm, 'Storage.debug');
    },
    optimise: () => {
      throw notModelledError(realm, 'Storage.optimise');
    },
  };
  const module = realm.object();
  for (const [key, impl] of Object.entries(m)) {
    Object.defineProperty(module, key, { value: realm.fn(impl, key), enumerable: false, configurable: true, writable: true });
  }
  return module;
}
