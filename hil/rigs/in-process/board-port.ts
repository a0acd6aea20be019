/**
 * The in-process board's console as a port the host bridge opens like any
 * other: each open() makes a fresh in-memory link (host-bridge/transports/
 * memory-transport.ts) wired to the board's UART, so the console client and
 * the reconnecting transport run exactly as on a serial port. `unplug()`
 * takes the port away (the host's transport closes with "went away", and
 * opening fails) until `plug()` brings it back.
 */
import type { Transport } from '../../../host-bridge/contracts';
import { createMemoryLink, PortOpenError, ReconnectingTransport } from '../../../host-bridge/transports/index';
import type { VirtualBoard } from '../../../sim/board/virtual-board';

export class BoardPort {
  private plugged = true;
  private current: { hangUp(reason: string): void } | undefined;

  constructor(
    private readonly board: VirtualBoard,
    readonly name = 'memory://strap-uart',
  ) {}

  /** A transport that reopens the port after it went away. */
  transport(): Transport {
    return new ReconnectingTransport(this.name, () => this.open(), { initialDelayMs: 50, maxDelayMs: 400 });
  }

  unplug(reason = 'unplugged'): void {
    this.plugged = false;
    this.current?.hangUp(reason);
    this.current = undefined;
  }

  plug(): void {
    this.plugged = true;
  }

  private open(): Transport {
    if (!this.plugged) return new AbsentPort(this.name);
    const { host, device } = createMemoryLink(this.name);
    const board = this.board;
    const stopInput = device.onData((bytes) => {
      board.console.input(bytes.toString('latin1'));
      board.settle(); // the board takes input in zero virtual time; the rig moves time
    });
    const stopOutput = board.console.onOutput((bytes) => device.write(bytes));
    this.current = {
      hangUp: (reason) => {
        stopInput();
        stopOutput();
        device.hangUp(reason);
      },
    };
    return host;
  }
}

/** A port that is not there: opening it fails, as opening an unplugged /dev/ttyACM0 does. */
class AbsentPort implements Transport {
  readonly isOpen = false;
  constructor(readonly port: string) {}
  open(): Promise<void> {
    return Promise.reject(new PortOpenError(this.port, `${this.port} is not there`));
  }
  write(): Promise<void> {
    return Promise.reject(new PortOpenError(this.port, `${this.port} is not there`));
  }
  async close(): Promise<void> {}
  on(): this {
    return this;
  }
  off(): this {
    return this;
  }
}
