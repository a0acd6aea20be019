/**
 * What every transport shares: the Transport events of host-bridge/contracts.ts
 * on an EventEmitter, the open/closed state, and the two ways a port closes —
 * by us (`close` without an error) or by going away (`close` with a
 * PortClosedError saying why).
 *
 * 'error' is emitted only when someone listens: an unhandled 'error' event
 * would throw out of Node's EventEmitter, and a transport error is always
 * followed by a 'close' that carries it anyway.
 */
import { EventEmitter } from 'node:events';
import type { Transport } from '../contracts';
import { type PortClosedError, PortNotOpenError } from './transport-errors';

export type TransportState = 'closed' | 'opening' | 'open' | 'closing';

export abstract class TransportBase extends EventEmitter implements Transport {
  protected state: TransportState = 'closed';

  constructor(readonly port: string) {
    super();
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;

  /** Refuses when the port is not open or a char is not a byte (toWireBytes), then sends. */
  write(data: Buffer | string): Promise<void> {
    try {
      this.assertOpen();
      return this.send(toWireBytes(data));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Puts bytes on the wire; resolves once the OS (or the peer) has taken them. */
  protected abstract send(bytes: Buffer): Promise<void>;

  protected emitData(data: Buffer): void {
    if (data.length > 0) this.emit('data', data);
  }

  protected emitError(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** The port went away under us. */
  protected lost(error: PortClosedError): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.emit('close', error);
  }

  /** We closed it. */
  protected closedByUs(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.emit('close');
  }

  protected assertOpen(): void {
    if (this.state !== 'open') throw new PortNotOpenError(this.port);
  }
}

/**
 * Bytes for the wire. Strings are one char per byte (latin1), as console
 * bytes are everywhere in this project (sim/board/console/console-contract.ts);
 * a char above U+00FF has no single byte, so it is refused rather than
 * silently truncated.
 */
export function toWireBytes(data: Buffer | string): Buffer {
  if (Buffer.isBuffer(data)) return data;
  for (let i = 0; i < data.length; i++) {
    if (data.charCodeAt(i) > 0xff) {
      throw new RangeError(`char U+${data.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} at ${i} is not a byte: encode text (e.g. Buffer.from(text, 'utf8')) before writing it`);
    }
  }
  return Buffer.from(data, 'latin1');
}
