/**
 * The Proximity Payment System Environment: the directory a contactless
 * reader selects first, by the name '2PAY.SYS.DDF01'.
 *
 * Source: EMV Contactless Book B (Entry Point) 3.3.2: SELECT '2PAY.SYS.DDF01'
 * answers an FCI '6F' with '84' the DF name and in 'A5' → 'BF0C' one
 * Directory Entry '61' per application: '4F' ADF name (AID), '50' label,
 * '87' priority. It takes no other command.
 */
import type { CommandApdu } from '../../../protocols/iso7816/apdu';
import { encodeTlv } from '../../../protocols/ber-tlv/tlv';
import { SW } from '../../../protocols/iso7816/status-words';
import type { Applet, AppletContext, AppletResponse } from '../applet';

export const PPSE_AID = new TextEncoder().encode('2PAY.SYS.DDF01');

export interface DirectoryEntry {
  aid: Uint8Array;
  label: string;
  priority: number;
}

export class PpseApplet implements Applet {
  readonly aid = PPSE_AID;

  constructor(private readonly entries: readonly DirectoryEntry[]) {}

  select(_ctx: AppletContext): AppletResponse {
    const directory = this.entries.map((e) => ({
      tag: 0x61,
      children: [
        { tag: 0x4f, value: e.aid },
        { tag: 0x50, value: new TextEncoder().encode(e.label) },
        { tag: 0x87, value: Uint8Array.of(e.priority & 0x0f) },
      ],
    }));
    const fci = encodeTlv({ tag: 0x6f, children: [{ tag: 0x84, value: PPSE_AID }, { tag: 0xa5, children: [{ tag: 0xbf0c, children: directory }] }] });
    return { data: fci, sw: SW.OK };
  }

  process(_command: CommandApdu, _ctx: AppletContext): AppletResponse {
    return { data: new Uint8Array(0), sw: SW.INS_NOT_SUPPORTED };
  }
}
