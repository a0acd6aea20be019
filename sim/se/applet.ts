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
  /**
   * Optional: extra processing time this command costs beyond the runtime's
   * own model (sim/se/timing.ts: base, bytes, non-volatile writes), e.g. the
   * cryptogram of GENERATE AC / GET PROCESSING OPTIONS.
   */
  processingUs?: number;
}

export interface Applet {
  readonly aid: Uint8Array;
  /** Answer to SELECT by this applet's AID: the FCI template and 9000, or a refusal (e.g. 6A81 when blocked). */
  select(ctx: AppletContext): AppletResponse;
  /**
   * Every other command on the channel. STORE DATA for personalization comes
   * here too, forwarded by the issuer security domain after it has checked
   * and removed the SCP03 protection: CLA '80', INS 'E2', P1/P2 as the host
   * sent them (GP CS 2.3 11.11; P1 b8 = last block).
   */
  process(command: CommandApdu, ctx: AppletContext): AppletResponse;
  /** Another applet was selected on the channel, or the field went away. */
  deselect?(ctx: AppletContext): void;
  /**
   * The SE lost its supply or was reset (SE_EN low, chip reset, an injected
   * power cut): forget RAM state (Java Card CLEAR_ON_RESET). No deselect runs;
   * non-volatile records are as the last committed transaction left them.
   */
  reset?(): void;
}
