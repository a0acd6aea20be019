/**
 * A virtual board whose console is an in-memory link (host-bridge's memory
 * transport), stepped as input arrives (zero virtual time per input, as the
 * in-process rig does), for tests that flash it many times and cut it
 * deterministically:
 *
 * - `cutAtPacket(k)`: power and the port go (as a USB board unplugged) the
 *   moment the k-th Espruino packet (DLE SOH …, protocols/espruino/packet.ts)
 *   from now starts to arrive: the k-1 before it were taken, it was not;
 * - `cutNow()`: the same at once (e.g. when a flash phase ends);
 * - `boot()`: power back on (or cycle) and what booted: a strap banner, the
 *   loader's safe mode, another app's line, or nothing.
 */
import { EspruinoConsoleClient } from '../../../host-bridge/console/index';
import { createMemoryLink, type MemoryDevice } from '../../../host-bridge/transports/index';
import { DLE, SOH } from '../../../protocols/espruino/console-bytes';
import { PACKET_HEADER_BYTES, decodePacketHeader } from '../../../protocols/espruino/packet';
import { VirtualClock } from '../../../sim/clock/virtual-clock';
import { FlashMemory, type FlashOptions } from '../../../sim/board/storage/flash-memory';
import { VirtualBoard } from '../../../sim/board/virtual-board';
import { LiPoCell } from '../../../sim/power/cell';

/** What a board printed at boot, as the flasher's BootOutcome would predict it. */
export type BootSeen = { kind: 'strap'; firmware: string } | { kind: 'safe-mode' } | { kind: 'other'; line: string } | { kind: 'prompt' };

/** What another app in .bootcde prints, so boot() can tell it from a bare prompt. */
export const OTHER_APP_LINE = 'hello from another app';

export class BoardOnMemoryLink {
  readonly board: VirtualBoard;
  /** Packets that started to arrive since the last cutAtPacket(). */
  packets = 0;
  private all = '';
  private device: MemoryDevice | undefined;
  private cutAt: number | undefined;
  private scan = new PacketScanner();

  constructor(options: { flash?: FlashOptions; image?: Uint8Array; files?: Record<string, string> } = {}) {
    const flash = new FlashMemory(options.flash);
    if (options.image) flash.program(0, options.image);
    this.board = new VirtualBoard({ clock: new VirtualClock(), seed: 1, flash, cell: new LiPoCell(), powerOn: false });
    for (const [name, data] of Object.entries(options.files ?? {})) this.board.writeFile(name, data);
    this.board.console.onOutput((bytes) => {
      this.all += bytes;
      this.device?.write(bytes);
    });
    this.board.powerOn();
    this.board.run(100);
  }

  output(): string {
    return this.all;
  }

  /** A console client on a fresh link (the previous one, if any, is hung up). */
  async connect(): Promise<EspruinoConsoleClient> {
    this.device?.hangUp('replaced');
    const { host, device } = createMemoryLink('memory://strap');
    this.device = device;
    device.onData((bytes) => this.receive(device, bytes));
    return EspruinoConsoleClient.connect(host);
  }

  cutAtPacket(k: number): void {
    this.packets = 0;
    this.cutAt = k;
    this.scan = new PacketScanner();
  }

  cutNow(): void {
    this.cutAt = undefined;
    this.board.powerOff('power-cut');
    this.device?.hangUp('power cut');
    this.device = undefined;
  }

  /** Powers the board on (a power cycle if it runs) and says what it booted. */
  boot(): BootSeen {
    const from = this.all.length;
    if (this.board.powered) this.board.powerCycle(10);
    else this.board.powerOn();
    this.board.run(500);
    return classifyBoot(this.all.slice(from));
  }

  private receive(device: MemoryDevice, bytes: Buffer): void {
    if (device !== this.device) return; // a link that was cut
    let deliver = bytes.length;
    if (this.cutAt !== undefined) {
      for (let i = 0; i < bytes.length; i++) {
        if (!this.scan.startsPacket(bytes[i]!)) continue;
        if (++this.packets === this.cutAt) {
          deliver = i - 1; // without its DLE
          break;
        }
      }
    }
    if (deliver > 0) {
      this.board.console.input(bytes.subarray(0, deliver).toString('latin1'));
      this.board.settle();
    }
    if (deliver < bytes.length) this.cutNow();
  }
}

export function classifyBoot(text: string): BootSeen {
  const banner = /(strap \S+) on \S+ \(Espruino [^)]*\), boot #\d+/.exec(text);
  if (banner) return { kind: 'strap', firmware: banner[1]! };
  if (/strap loader: SAFE MODE/.test(text)) return { kind: 'safe-mode' };
  if (text.includes(OTHER_APP_LINE)) return { kind: 'other', line: OTHER_APP_LINE };
  return { kind: 'prompt' };
}

/** Finds the starts of Espruino packets in a host → board byte stream, skipping their data. */
class PacketScanner {
  private state: 'text' | 'dle' | 'header' | 'data' = 'text';
  private header: number[] = [];
  private left = 0;

  /** Feeds one byte; true when it is the SOH that starts a packet. */
  startsPacket(byte: number): boolean {
    switch (this.state) {
      case 'text':
        if (byte === DLE) this.state = 'dle';
        return false;
      case 'dle':
        if (byte === SOH) {
          this.state = 'header';
          this.header = [];
          return true;
        }
        this.state = byte === DLE ? 'dle' : 'text';
        return false;
      case 'header':
        this.header.push(byte);
        if (this.header.length === PACKET_HEADER_BYTES - 2) {
          this.left = decodePacketHeader(this.header[0]!, this.header[1]!).length;
          this.state = this.left > 0 ? 'data' : 'text';
        }
        return false;
      case 'data':
        if (--this.left === 0) this.state = 'text';
        return false;
    }
  }
}
