// An NFC controller on an I2C stand-in for nfc-nci.ts's tests: it reassembles
// what the host writes with protocols/nci's codecs (not the driver's), answers
// through a script, queues packets for the host with IRQ high while any wait,
// and serves each packet as a byte stream (header, then payload). setWatch is
// installed globally (the driver's only Espruino global besides the timers);
// a rising edge reaches the watch as an event, on a timer.
import { decodePacket, EMPTY_REASSEMBLY, reassemble, type Message, type Reassembly } from '../../../protocols/nci/packet';

export const NFCC_ADDRESS = 0x28;

interface Watch {
  callback: (e: WatchEvent) => void;
  pin: Pin;
  options?: WatchOptions;
}

export class ScriptedNfcc implements I2CBus {
  /** Every packet the host wrote, and the messages they make. */
  readonly packets: Uint8Array[] = [];
  readonly commands: Message[] = [];
  /** Writes NACKed before one is taken (the controller waking from standby). */
  nackWrites = 0;
  /** What the controller answers a command with: packets, queued for the host. */
  respond: (command: Message) => Uint8Array[] = () => [];
  readonly irq: Pin;
  readonly watches: Watch[] = [];

  private queue: Uint8Array[] = [];
  private readAt = 0;
  private rx: Reassembly = EMPTY_REASSEMBLY;
  private readonly saved: { setWatch: unknown; clearWatch: unknown };

  constructor() {
    const g = globalThis as Record<string, unknown>;
    this.saved = { setWatch: g.setWatch, clearWatch: g.clearWatch };
    g.setWatch = (callback: Watch['callback'], pin: Pin, options?: WatchOptions) => this.watches.push({ callback, pin, options });
    g.clearWatch = (id: number) => void this.watches.splice(id - 1, 1);
    const high = () => this.queue.length > 0;
    this.irq = { read: high, write() {}, set() {}, reset() {}, toggle: high };
  }

  uninstall(): void {
    Object.assign(globalThis, this.saved);
  }

  setup(): void {}

  writeTo(address: number, ...data: (number | string | Uint8Array | number[])[]): void {
    if (address !== NFCC_ADDRESS) throw new Error('I2C Write Error 33281\n');
    if (this.nackWrites > 0) {
      this.nackWrites--;
      throw new Error('I2C Write Error 33281\n');
    }
    const bytes = new Uint8Array(data[0] as Uint8Array);
    this.packets.push(bytes);
    const packet = decodePacket(bytes);
    if (!packet.ok) throw new Error(packet.error.detail);
    const joined = reassemble(this.rx, packet.value);
    if (!joined.ok) throw new Error(joined.error.detail);
    this.rx = joined.state;
    if (joined.message) {
      this.commands.push(joined.message);
      this.emit(this.respond(joined.message));
    }
  }

  readFrom(address: number, quantity: number): Uint8Array {
    const head = this.queue[0];
    if (address !== NFCC_ADDRESS || !head) throw new Error('I2C Read Error 33281\n');
    const out = new Uint8Array(quantity);
    out.set(head.subarray(this.readAt, this.readAt + quantity));
    this.readAt += quantity;
    if (this.readAt >= head.length) {
      this.queue.shift();
      this.readAt = 0;
    }
    return out;
  }

  /** Queues packets for the host; IRQ rises if it was low. */
  emit(packets: Uint8Array[]): void {
    const wasLow = this.queue.length === 0;
    this.queue.push(...packets);
    if (wasLow && this.queue.length > 0) {
      setTimeout(() => {
        for (const w of this.watches) if (w.pin === this.irq) w.callback({ state: true, time: 0, lastTime: 0 });
      }, 0);
    }
  }
}
