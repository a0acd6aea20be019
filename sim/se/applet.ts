/**
 * What the secure element offers an applet, and what an applet offers it: the
 * seam between the SE's runtime (sim/se: T=1 host interface, contactless
 * interface, GlobalPlatform registry, non-volatile memory) and the applets it
 * hosts (the issuer security domain, the payment applet).
 *
 * An applet sees ISO/IEC 7816-4 command APDUs already decoded
 * (protocols/iso7816/apdu.ts) and answers data plus a status word; the runtime
 * handles transport (T=1 chaining, GET RESPONSE), logical channels and SELECT
 * by AID (ISO/IEC 7816-4:2005 7.1.1), as a Java Card runtime does.
 */
import type { CommandApdu } from '../../protocols/iso7816/apdu';

/** Non-volatile memory as an applet sees it: keyed records. */
export interface AppletStore {
  get(key: string): Uint8Array | undefined;
  /**
   * All puts and deletes made in `fn` land together or not at all: a power cut
   * at any non-volatile write inside leaves every record as it was before the
   * transaction (Java Card's JCSystem.beginTransaction/commitTransaction).
   */
  transaction<T>(fn: (tx: AppletStoreTransaction) => T): T;
}

export interface AppletStoreTransaction {
  /** Reads see the transaction's own writes. */
  get(key: string): Uint8Array | undefined;
  put(key: string, value: Uint8Array): void;
  delete(key: string): void;
}

/** Which of the SE's two interfaces a command came in on. */
export type SeInterface = 'host' | 'contactless';

/** What an applet raises towards the NFC controller (it becomes an NCI NFCEE action notification). */
export interface SeEvent {
  kind: 'transaction';
  aid: Uint8Array;
  /** Applet-defined payload (for the payment applet: amount, currency, ATC, outcome as BER-TLV). */
  data: Uint8Array;
}

export interface AppletContext {
  readonly store: AppletStore;
  readonly via: SeInterface;
  notify(event: SeEvent): void;
}

export interface AppletResponse {
  data: Uint8Array;
  sw: number;
}

export interface Applet {
  readonly aid: Uint8Array;
  /** Answer to SELECT by this applet's AID: the FCI template and 9000, or a refusal (e.g. 6A81 when blocked). */
  select(ctx: AppletContext): AppletResponse;
  process(command: CommandApdu, ctx: AppletContext): AppletResponse;
  /** Another applet was selected on the channel, or the field went away. */
  deselect?(ctx: AppletContext): void;
}
