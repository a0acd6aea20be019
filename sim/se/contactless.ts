/**
 * The SE's contactless interface, as the NFC controller sees it
 * (sim/nfc/contactless.ts ContactlessTarget): the reader's ISO 14443-4 APDUs
 * in, answers and the SE's processing time out, on its own APDU runtime
 * (its own selection state; no applet implicitly selected, so a terminal
 * starts with SELECT, EMV Book 1 12.3) over the same applets as the host
 * interface.
 *
 * fieldOn/fieldOff bracket one contactless session: field off deselects
 * every applet (their `deselect` runs) and drops pending GET RESPONSE data.
 * An SE without supply (SE_EN low, or a power cut injected at a non-volatile
 * write during this very command) stays mute: `transceive` throws FieldLost,
 * which is what the reader sees of a card that stops answering.
 */
import { FieldLost } from '../nfc/contactless';
import type { ContactlessTarget } from '../nfc/contactless';
import type { SeEvent } from './applet';
import { ApduRuntime } from './runtime';
import type { AppletRegistry } from './registry';

/** What the contactless interface needs from the rest of the SE (secure-element.ts). */
export interface ContactlessHost {
  readonly registry: AppletRegistry;
  readonly powered: boolean;
  runApdu(runtime: ApduRuntime, command: Uint8Array): { response: Uint8Array; processingUs: number } | undefined;
  onEvent(listener: (event: SeEvent) => void): () => void;
  /** The field came or went: the power state may have changed. */
  fieldChanged?(): void;
}

export class SeContactless implements ContactlessTarget {
  readonly runtime: ApduRuntime;
  private field = false;

  constructor(private readonly se: ContactlessHost, notify: (event: SeEvent) => void) {
    this.runtime = new ApduRuntime({ via: 'contactless', registry: se.registry, notify });
  }

  get fieldPresent(): boolean {
    return this.field;
  }

  fieldOn(): void {
    if (this.field) return;
    this.field = true;
    this.runtime.reset();
    this.se.fieldChanged?.();
  }

  fieldOff(): void {
    if (!this.field) return;
    this.field = false;
    this.runtime.deselectAll();
    this.runtime.reset();
    this.se.fieldChanged?.();
  }

  transceive(apdu: Uint8Array): { response: Uint8Array; processingUs: number } {
    if (!this.se.powered) throw new FieldLost('the secure element is not powered');
    if (!this.field) throw new FieldLost('no field: fieldOn() first');
    const result = this.se.runApdu(this.runtime, apdu);
    if (!result) throw new FieldLost('the secure element lost power during the command');
    return result;
  }

  onEvent(listener: (event: SeEvent) => void): () => void {
    return this.se.onEvent(listener);
  }

  /** Internal: the SE rebooted. */
  reset(): void {
    this.runtime.reset();
  }

  /** Internal: supply gone: selection state is RAM, it is lost (no deselect code runs). */
  powerLost(): void {
    this.runtime.forget();
  }
}
