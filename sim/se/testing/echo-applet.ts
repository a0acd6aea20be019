/**
 * A small applet for the SE's own tests: answers SELECT with an FCI naming its
 * AID, echoes command data (INS '01'), answers N bytes (INS '02', P1 P2 = N),
 * counts in non-volatile memory (INS '03'), raises an event (INS '04'),
 * throws (INS '05'), takes P1P2 ms (INS '06'), and records what it was asked (STORE DATA included).
 */
import type { Applet, AppletContext, AppletResponse } from '../applet';
import type { CommandApdu } from '../../../protocols/iso7816/apdu';

export class EchoApplet implements Applet {
  readonly commands: CommandApdu[] = [];
  selects = 0;
  deselects = 0;

  constructor(readonly aid: Uint8Array) {}

  select(): AppletResponse {
    this.selects++;
    return { data: Uint8Array.from([0x6f, this.aid.length + 2, 0x84, this.aid.length, ...this.aid]), sw: 0x9000 };
  }

  deselect(): void {
    this.deselects++;
  }

  process(command: CommandApdu, ctx: AppletContext): AppletResponse {
    this.commands.push(command);
    switch (command.ins) {
      case 0x01: return { data: command.data.slice(), sw: 0x9000 };
      case 0x02: return { data: Uint8Array.from({ length: (command.p1 << 8) | command.p2 }, (_, i) => i & 0xff), sw: 0x9000 };
      case 0x03: {
        const next = ctx.store.transaction((tx) => {
          const n = (tx.get('count')?.[0] ?? 0) + 1;
          tx.put('count', Uint8Array.of(n));
          tx.put('last-via', new TextEncoder().encode(ctx.via));
          return n;
        });
        return { data: Uint8Array.of(next), sw: 0x9000 };
      }
      case 0x04:
        ctx.notify({ kind: 'transaction', aid: this.aid, data: command.data.slice() });
        return { data: new Uint8Array(0), sw: 0x9000 };
      case 0x05: throw new Error('applet bug');
      case 0x06: return { data: new Uint8Array(0), sw: 0x9000, processingUs: ((command.p1 << 8) | command.p2) * 1000 };
      case 0xe2: return { data: new Uint8Array(0), sw: 0x9000 };
      default: return { data: new Uint8Array(0), sw: 0x6d00 };
    }
  }
}

export const hexBytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
