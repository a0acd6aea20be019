/**
 * Two ends of an in-memory byte pipe: `host` is a Transport (what the console
 * client talks to), `device` is the board's side. For unit tests and
 * in-process rigs; bytes are delivered asynchronously (next microtask), in
 * order, as a real link would.
 */
import type { Transport } from '../contracts';
import { TransportBase, toWireBytes } from './transport-base';
import { PortClosedError } from './transport-errors';

export interface MemoryDevice {
  /** Board → host bytes (latin1 strings are one char per byte). */
  write(data: Buffer | string): void;
  /** Host → board bytes. */
  onData(listener: (data: Buffer) => void): () => void;
  /** The port vanishes under the host (as a USB unplug): the host's transport closes with this reason. */
  hangUp(reason?: string): void;
  /** Whether the host end is open. */
  readonly hostOpen: boolean;
}

export interface MemoryLink {
  host: Transport;
  device: MemoryDevice;
}

export function createMemoryLink(port = 'memory://board'): MemoryLink {
  const listeners = new Set<(data: Buffer) => void>();
  const host = new MemoryHostTransport(port, (bytes) => {
    queueMicrotask(() => {
      for (const l of [...listeners]) l(bytes);
    });
  });
  const device: MemoryDevice = {
    write(data) {
      const bytes = toWireBytes(data);
      queueMicrotask(() => host.deliver(bytes));
    },
    onData(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    hangUp(reason = 'device hung up') {
      queueMicrotask(() => host.hangUp(reason));
    },
    get hostOpen() {
      return host.isOpen;
    },
  };
  return { host, device };
}

class MemoryHostTransport extends TransportBase {
  constructor(
    port: string,
    private readonly toDevice: (bytes: Buffer) => void,
  ) {
    super(port);
  }

  async open(): Promise<void> {
    this.state = 'open';
  }

  protected async send(bytes: Buffer): Promise<void> {
    this.toDevice(Buffer.from(bytes));
  }

  async close(): Promise<void> {
    this.closedByUs();
  }

  deliver(bytes: Buffer): void {
    if (this.state === 'open') this.emitData(bytes);
  }

  hangUp(reason: string): void {
    this.lost(new PortClosedError(this.port, `${this.port} went away: ${reason}`));
  }
}
