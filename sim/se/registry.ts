/**
 * The GlobalPlatform registry: which applets the SE holds, in install order,
 * and each one's life cycle state, kept in non-volatile memory so that LOCK
 * and DELETE survive a power cycle.
 *
 * Life cycle coding: GlobalPlatform Card Specification 2.3 11.1.1, Table 11-5
 * (application: INSTALLED '03', SELECTABLE '07', application-specific states
 * '07'-'7F' with b1-b3 set, LOCKED = b8 set on top of the current state) and
 * Table 11-4 (the ISD: OP_READY '01', INITIALIZED '07', SECURED '0F').
 * Selection by AID, full or partial (a prefix of 5-16 bytes), follows
 * ISO/IEC 7816-4:2005 7.1.1 and 8.2.1.2 (first/next occurrence in the SE's
 * own order, here install order).
 */
import type { Applet } from './applet';
import type { NonVolatileMemory } from './nvm';
import { scopedStore } from './nvm';
import type { AppletStore, SeInterface } from './applet';

export const LIFE_CYCLE = { installed: 0x03, selectable: 0x07, secured: 0x0f, lockedBit: 0x80 } as const;

export interface RegistryEntry {
  readonly applet: Applet;
  readonly aidHex: string;
  /** The applet's own records (keys prefixed with its AID). */
  readonly store: AppletStore;
  /** GlobalPlatform privileges byte 1 (CS 2.3 11.1.2 Table 11-7: '80' security domain). */
  readonly privileges: number;
  /** Selectable from the contactless interface (GP Amendment C's contactless activation; the ISD is not). */
  readonly contactless: boolean;
}

export class AppletRegistry {
  private readonly entries: RegistryEntry[] = [];

  constructor(private readonly nvm: NonVolatileMemory) {}

  /** Adds an applet (its code, as a load file would). A DELETEd AID stays deleted. */
  install(applet: Applet, options: { privileges?: number; lifeCycle?: number; contactless?: boolean } = {}): RegistryEntry {
    const aidHex = hex(applet.aid);
    if (applet.aid.length < 5 || applet.aid.length > 16) throw new RangeError(`an AID is 5-16 bytes (ISO/IEC 7816-4 8.2.1.2), got ${applet.aid.length}`);
    if (this.entries.some((e) => e.aidHex === aidHex)) throw new Error(`AID ${aidHex} is already installed`);
    const entry: RegistryEntry = { applet, aidHex, store: scopedStore(this.nvm, `${aidHex}/`), privileges: options.privileges ?? 0, contactless: options.contactless ?? true };
    this.entries.push(entry);
    if (this.nvm.get(stateKey(aidHex)) === undefined) {
      this.nvm.transaction((tx) => tx.put(stateKey(aidHex), Uint8Array.of(options.lifeCycle ?? LIFE_CYCLE.selectable)));
    }
    return entry;
  }

  /** Present applets (not deleted), in install order. */
  all(): RegistryEntry[] {
    return this.entries.filter((e) => this.lifeCycle(e) !== 0);
  }

  find(aid: Uint8Array): RegistryEntry | undefined {
    const h = hex(aid);
    return this.all().find((e) => e.aidHex === h);
  }

  /**
   * ISO/IEC 7816-4 7.1.1 selection by DF name: the first applet whose AID
   * starts with `prefix`, or with `after` set, the next one after it.
   */
  match(prefix: Uint8Array, after?: RegistryEntry, via: SeInterface = 'host'): RegistryEntry | undefined {
    const h = hex(prefix);
    const candidates = this.all().filter((e) => e.aidHex.startsWith(h) && (via === 'host' || e.contactless));
    if (!after) return candidates[0];
    const at = candidates.indexOf(after);
    return at < 0 ? candidates[0] : candidates[at + 1];
  }

  lifeCycle(entry: RegistryEntry): number {
    return this.nvm.get(stateKey(entry.aidHex))?.[0] ?? 0;
  }

  isLocked(entry: RegistryEntry): boolean {
    return (this.lifeCycle(entry) & LIFE_CYCLE.lockedBit) !== 0;
  }

  setLifeCycle(entry: RegistryEntry, state: number): void {
    this.nvm.transaction((tx) => tx.put(stateKey(entry.aidHex), Uint8Array.of(state)));
  }

  /** DELETE: the state record and the applet's own records go in one transaction. */
  delete(entry: RegistryEntry): void {
    const own = this.nvm.keys(`${entry.aidHex}/`);
    this.nvm.transaction((tx) => {
      tx.put(stateKey(entry.aidHex), Uint8Array.of(0));
      for (const key of own) tx.delete(key);
    });
  }
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

function stateKey(aidHex: string): string {
  return `registry/${aidHex}`;
}
