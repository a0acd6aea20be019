/**
 * `require('Storage')` (Espruino src/jswrap_storage.c) over the board's flash
 * file system. Data in and out is 8-bit strings; objects given to write() are
 * JSON-encoded (and then written whole, ignoring offset/size), as on the board.
 *
 * Arguments as the wrappers take them: names through jsfNameFromVar (the
 * first 28 bytes of String(name)), `int` parameters (read's offset/length,
 * write's offset/size) through jsvGetInteger into an int32
 * (../storage/int-argument.ts), so no JS value reaches the file system as
 * anything but what Espruino's C code would see. jsfWriteFile's checks and
 * error texts are ../storage/jsf-storage.ts's.
 */
import { bytesToLatin1, toBytes } from '../runtime/bytes';
import { jsvGetInteger } from '../storage/int-argument';
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
  const isObject = (data: unknown) =>
    data !== null && typeof data === 'object' && !ArrayBuffer.isView(data) && !Array.isArray(data) && Object.prototype.toString.call(data) !== '[object ArrayBuffer]';
  /** JSV_GET_AS_CHAR_ARRAY: no data at all (undefined, or JSON.stringify's undefined) has no pointer. */
  const encode = (data: unknown): Uint8Array => {
    const value = isObject(data) ? realm.jsonStringify(data) : data;
    if (value === undefined) throw new StorageError("Can't get pointer to data to write");
    return toBytes(value);
  };
  const int = jsvGetInteger;

  const m: Record<string, (...args: any[]) => unknown> = {
    read: (n: unknown, offset?: unknown, length?: unknown) =>
      guard(() => {
        const bytes = fs.read(name(n), int(offset), int(length));
        if (bytes === undefined) return undefined;
        // src/jsflash.c jsfReadFile: a string pointing into the memory-mapped flash, not a copy in RAM
        const text = bytesToLatin1(bytes);
        host.readFromFlash(text);
        return text;
      }),
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
    write: (n: unknown, data: unknown, offset?: unknown, size?: unknown) =>
      guard(() => {
        // the wrapper converts every argument before jswrap_storage_write runs
        const file = name(n);
        const at = int(offset);
        const total = int(size);
        const object = isObject(data);
        return fs.write(file, encode(data), object ? 0 : at, object ? 0 : total);
      }),
    writeJSON: (n: unknown, data: unknown) => guard(() => fs.write(name(n), encode(realm.jsonStringify(data)), 0, 0)),
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
