/**
 * A test-only AppletStore in RAM: records in a Map, transactions staged and
 * applied together when the function returns (discarded if it throws). The
 * SE's real non-volatile memory, with power cuts, is sim/se's own.
 */
import type { AppletStore, AppletStoreTransaction } from '../applet';

export class MemoryAppletStore implements AppletStore {
  readonly records = new Map<string, Uint8Array>();
  /** Committed transactions so far (tests count the ATC's writes with it). */
  commits = 0;

  get(key: string): Uint8Array | undefined {
    return this.records.get(key)?.slice();
  }

  transaction<T>(fn: (tx: AppletStoreTransaction) => T): T {
    const staged = new Map<string, Uint8Array | undefined>();
    const tx: AppletStoreTransaction = {
      get: (key) => (staged.has(key) ? staged.get(key)?.slice() : this.get(key)),
      put: (key, value) => { staged.set(key, value.slice()); },
      delete: (key) => { staged.set(key, undefined); },
    };
    const result = fn(tx);
    for (const [key, value] of staged) {
      if (value === undefined) this.records.delete(key);
      else this.records.set(key, value);
    }
    this.commits++;
    return result;
  }
}
