/**
 * Test support: the payment applets in a minimal stand-in for the SE's APDU
 * runtime (one channel per interface, SELECT by full AID, everything else to
 * the selected applet), each applet on its own in-RAM store. Applet
 * exceptions are NOT caught: a test sees any throw. The real runtime, with
 * logical channels, GET RESPONSE and NVM, is sim/se's own.
 */
import { parseCommandApdu } from '../../../../protocols/iso7816/apdu';
import { encodeCommandApdu, encodeResponseApdu } from '../../../../protocols/iso7816/apdu';
import type { CommandApdu } from '../../../../protocols/iso7816/apdu';
import { SW, errorStatusWord } from '../../../../protocols/iso7816/status-words';
import type { ReaderLink } from '../../../nfc/contactless';
import type { Applet, AppletContext, SeEvent, SeInterface } from '../../applet';
import { MemoryAppletStore } from '../../testing/memory-applet-store';
import { PaymentApplet, VISA_AID } from '../payment-applet';
import { personalizationCommands } from '../personalization';
import type { TokenProfile } from '../personalization';
import { PpseApplet } from '../ppse-applet';

export class TestCard {
  readonly events: SeEvent[] = [];
  readonly stores = new Map<Applet, MemoryAppletStore>();
  private readonly selected = new Map<SeInterface, Applet>();

  constructor(readonly applets: Applet[]) {
    for (const applet of applets) this.stores.set(applet, new MemoryAppletStore());
  }

  /** One APDU on an interface, the response APDU back. */
  send(via: SeInterface, bytes: Uint8Array): Uint8Array {
    const parsed = parseCommandApdu(bytes);
    if (!parsed.ok) return encodeResponseApdu(new Uint8Array(0), errorStatusWord(parsed.error.kind));
    const command = parsed.value;
    if (command.ins === 0xa4 && command.p1 === 0x04 && (command.cla & 0x80) === 0) {
      const target = this.applets.find((a) => equal(a.aid, command.data));
      if (!target) return encodeResponseApdu(new Uint8Array(0), SW.FILE_NOT_FOUND);
      this.deselect(via);
      const answer = target.select(this.ctx(target, via));
      if (answer.sw === SW.OK) this.selected.set(via, target);
      return encodeResponseApdu(answer.data, answer.sw);
    }
    const applet = this.selected.get(via);
    if (!applet) return encodeResponseApdu(new Uint8Array(0), SW.CONDITIONS_NOT_SATISFIED);
    const answer = applet.process(command, this.ctx(applet, via));
    return encodeResponseApdu(answer.data, answer.sw);
  }

  sendCommand(via: SeInterface, command: CommandApdu): Uint8Array {
    return this.send(via, encodeCommandApdu(command));
  }

  /** The field went away: the contactless session ends. */
  fieldOff(): void {
    this.deselect('contactless');
  }

  /** A reader's link to this card; `onCommand` may throw FieldLost to cut the field mid-tap. */
  readerLink(onCommand?: (apdu: Uint8Array, index: number) => void): ReaderLink {
    let index = 0;
    return {
      transceive: async (apdu) => {
        onCommand?.(apdu, index++);
        return this.send('contactless', apdu);
      },
    };
  }

  private deselect(via: SeInterface): void {
    const current = this.selected.get(via);
    if (current) current.deselect?.(this.ctx(current, via));
    this.selected.delete(via);
  }

  private ctx(applet: Applet, via: SeInterface): AppletContext {
    return { store: this.stores.get(applet)!, via, notify: (e) => this.events.push(e) };
  }
}

/** A card with the PPSE and one payment applet personalized with `profile` over the host interface. */
export function personalizedCard(profile: TokenProfile): { card: TestCard; payment: PaymentApplet } {
  const payment = new PaymentApplet();
  const card = new TestCard([new PpseApplet([{ aid: VISA_AID, label: 'VISA', priority: 1 }]), payment]);
  expectOk(card.sendCommand('host', { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: VISA_AID, ne: 256 }));
  for (const command of personalizationCommands(profile)) expectOk(card.sendCommand('host', command));
  return { card, payment };
}

export function sw(response: Uint8Array): number {
  return (response[response.length - 2]! << 8) | response[response.length - 1]!;
}

function expectOk(response: Uint8Array): void {
  if (sw(response) !== SW.OK) throw new Error(`personalization answered ${sw(response).toString(16)}`);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
