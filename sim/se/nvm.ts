/**
 * The secure element's non-volatile memory: keyed records, written through a
 * journal so that a power cut at any single non-volatile write leaves every
 * record either as it was before a transaction or as the committed
 * transaction left it (Java Card 3 Runtime Environment, 7.x "Atomicity and
 * transactions": the card's commit buffer; GlobalPlatform Card Specification
 * 2.3 relies on the same for its registry).
 *
 * The model counts non-volatile writes. One write is one record cell
 * written (or erased). A commit writes, in order:
 *   1. one journal cell per record changed (key and new value, or a tombstone),
 *   2. the commit mark (how many journal cells are valid),
 *   3. each record cell,
 *   4. the commit mark erased.
 * On power-up (`recover`) a present commit mark means "replay the journal",
 * an absent one means "the journal is garbage": old values stay. A cut before
 * step 2 therefore gives the old state, a cut at or after it the new one.
 *
 * Power cuts are injected with `cutPowerAfterWrites(n)`: writes 1..n land, the
 * (n+1)-th throws `PowerCut` and the memory stays dead until `recover()`.
 */
import type { AppletStore, AppletStoreTransaction } from './applet';

/** The supply went away in the middle of a non-volatile write. */
export class PowerCut extends Error {
  constructor(writeIndex: number) {
    super(`power cut at non-volatile write #${writeIndex}`);
    this.name = 'PowerCut';
  }
}

const JOURNAL_PREFIX = '\u0000journal/';
const COMMIT_MARK = '\u0000journal-commit';

export class NonVolatileMemory implements AppletStore {
  private readonly cells = new Map<string, Uint8Array>();
  private writes = 0;
  private cutAt: number | undefined;
  private dead = false;
  private open: Map<string, Uint8Array | null> | undefined;

  /** Non-volatile writes made so far (for the power-cut sweep and the power model). */
  get writeCount(): number {
    return this.writes;
  }

  /** True after an injected cut, until `recover()`. */
  get powerLost(): boolean {
    return this.dead;
  }

  /** Arm a cut: `n` more writes land, the next one fails with PowerCut. `undefined` disarms. */
  cutPowerAfterWrites(n: number | undefined): void {
    this.cutAt = n === undefined ? undefined : this.writes + n;
  }

  /** Power-up: replay a committed journal, drop an uncommitted one. */
  recover(): void {
    this.dead = false;
    this.open = undefined;
    const mark = this.cells.get(COMMIT_MARK);
    if (mark) {
      const count = (mark[0]! << 8) | mark[1]!;
      for (let i = 0; i < count; i++) {
        const entry = this.cells.get(JOURNAL_PREFIX + i);
        if (!entry) continue;
        const { key, value } = decodeEntry(entry);
        this.writeCell(key, value);
      }
      this.writeCell(COMMIT_MARK, null);
    }
    for (const key of [...this.cells.keys()]) if (key.startsWith(JOURNAL_PREFIX)) this.cells.delete(key);
  }

  get(key: string): Uint8Array | undefined {
    if (this.open?.has(key)) return this.open.get(key)?.slice() ?? undefined;
    return this.cells.get(key)?.slice();
  }

  /** Record keys (committed), for the registry and tests. */
  keys(prefix = ''): string[] {
    return [...this.cells.keys()].filter((k) => !k.startsWith('\u0000') && k.startsWith(prefix)).sort();
  }

  /**
   * Runs `fn`; its puts and deletes land together at its end. A nested call
   * joins the outer transaction. If `fn` throws, nothing of it lands.
   */
  transaction<T>(fn: (tx: AppletStoreTransaction) => T): T {
    if (this.dead) throw new PowerCut(this.writes + 1);
    if (this.open) return fn(this.txView(this.open));
    const pending = new Map<string, Uint8Array | null>();
    this.open = pending;
    let result: T;
    try {
      result = fn(this.txView(pending));
    } finally {
      this.open = undefined;
    }
    this.commit(pending);
    return result;
  }

  private txView(pending: Map<string, Uint8Array | null>): AppletStoreTransaction {
    return {
      get: (key) => (pending.has(key) ? pending.get(key)?.slice() ?? undefined : this.cells.get(key)?.slice()),
      put: (key, value) => {
        checkKey(key);
        pending.set(key, value.slice());
      },
      delete: (key) => {
        checkKey(key);
        pending.set(key, null);
      },
    };
  }

  private commit(pending: Map<string, Uint8Array | null>): void {
    if (pending.size === 0) return;
    const entries = [...pending];
    if (entries.length === 1) {
      // One record: a single cell write is atomic by itself.
      const [key, value] = entries[0]!;
      this.writeCell(key, value);
      return;
    }
    entries.forEach(([key, value], i) => this.writeCell(JOURNAL_PREFIX + i, encodeEntry(key, value)));
    this.writeCell(COMMIT_MARK, Uint8Array.of(entries.length >> 8, entries.length & 0xff));
    for (const [key, value] of entries) this.writeCell(key, value);
    this.writeCell(COMMIT_MARK, null);
  }

  private writeCell(key: string, value: Uint8Array | null): void {
    if (this.dead) throw new PowerCut(this.writes + 1);
    if (this.cutAt !== undefined && this.writes >= this.cutAt) {
      this.dead = true;
      this.cutAt = undefined;
      throw new PowerCut(this.writes + 1);
    }
    this.writes++;
    if (value === null) this.cells.delete(key);
    else this.cells.set(key, value);
  }
}

/** A view of the memory whose keys all start with `prefix` (one per applet, so applets never see each other's records). */
export function scopedStore(store: AppletStore, prefix: string): AppletStore {
  const wrap = (tx: AppletStoreTransaction): AppletStoreTransaction => ({
    get: (key) => tx.get(prefix + key),
    put: (key, value) => tx.put(prefix + key, value),
    delete: (key) => tx.delete(prefix + key),
  });
  return {
    get: (key) => store.get(prefix + key),
    transaction: (fn) => store.transaction((tx) => fn(wrap(tx))),
  };
}

// ---------------------------------------------------------------------------

function checkKey(key: string): void {
  if (key.length === 0 || key.startsWith('\u0000')) throw new RangeError(`record key ${JSON.stringify(key)} is reserved`);
}

function encodeEntry(key: string, value: Uint8Array | null): Uint8Array {
  const k = new TextEncoder().encode(key);
  const out = new Uint8Array(3 + k.length + (value?.length ?? 0));
  out[0] = k.length >> 8;
  out[1] = k.length & 0xff;
  out[2] = value === null ? 0 : 1;
  out.set(k, 3);
  if (value) out.set(value, 3 + k.length);
  return out;
}

function decodeEntry(entry: Uint8Array): { key: string; value: Uint8Array | null } {
  const n = (entry[0]! << 8) | entry[1]!;
  const key = new TextDecoder().decode(entry.subarray(3, 3 + n));
  return { key, value: entry[2] === 0 ? null : entry.slice(3 + n) };
}
