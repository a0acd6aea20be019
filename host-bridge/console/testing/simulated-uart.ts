/**
 * A serial line whose two ends can run at different baud rates, for testing
 * baud-rate detection without hardware. At equal rates bytes pass
 * unchanged; at different rates each byte arrives mis-sampled: here a fixed
 * scramble that sets the top bit (what a mis-timed UART mostly produces:
 * framing errors, bytes ≥ 0x80), so neither side sees a single valid
 * console byte. The host end is a Transport with baudRate/setBaudRate like
 * SerialTransport.
 */
import { TransportBase, toWireBytes } from '../../transports/transport-base';
import type { MemoryDevice } from '../../transports/memory-transport';

export class SimulatedUartHost extends TransportBase {
  private rate: number;
  private readonly boardListeners = new Set<(data: Buffer) => void>();
  readonly device: MemoryDevice;

  constructor(
    hostBaud: number,
    readonly boardBaud: number,
  ) {
    super('/dev/ttySIM0');
    this.rate = hostBaud;
    const hostOpen = () => this.isOpen;
    this.device = {
      write: (data) => {
        const bytes = this.garble(toWireBytes(data));
        queueMicrotask(() => {
          if (this.state === 'open') this.emitData(bytes);
        });
      },
      onData: (listener) => {
        this.boardListeners.add(listener);
        return () => this.boardListeners.delete(listener);
      },
      hangUp() {
        // not used
      },
      get hostOpen() {
        return hostOpen();
      },
    };
  }

  get baudRate(): number {
    return this.rate;
  }

  async setBaudRate(baudRate: number): Promise<void> {
    this.rate = baudRate;
  }

  async open(): Promise<void> {
    this.state = 'open';
  }

  protected async send(data: Buffer): Promise<void> {
    const bytes = this.garble(data);
    queueMicrotask(() => {
      for (const l of [...this.boardListeners]) l(bytes);
    });
  }

  async close(): Promise<void> {
    this.closedByUs();
  }

  private garble(bytes: Buffer): Buffer {
    if (this.rate === this.boardBaud) return Buffer.from(bytes);
    return Buffer.from(bytes.map((b) => ((b * 37 + 11) & 0x7f) | 0x80));
  }
}
