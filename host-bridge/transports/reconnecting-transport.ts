/**
 * A Transport that survives its port going away: when the inner transport
 * closes with an error (board unplugged or reset, console server restarted),
 * it reopens a fresh one after a back-off delay (doubling up to a cap), and
 * reports each step:
 *
 * - 'disconnected' (error): the port went away; writes now reject;
 * - 'reconnecting' ({ attempt, delayMs, error }): the next try is scheduled;
 * - 'reconnected' ({ attempt, downMs }): bytes flow again;
 * - 'close' (error): only when it gives up (maxAttempts) or close() is called.
 *
 * The first open() is not retried: a port that never opened is a clear
 * error for the caller, not a reason to wait.
 */
import { EventEmitter } from 'node:events';
import type { Transport } from '../contracts';
import { realTimers, type TimerHandle, type Timers } from '../timers';
import { PortClosedError, PortNotOpenError, errorText } from './transport-errors';

export interface ReconnectOptions {
  /** First delay before reopening. Default 200 ms. */
  initialDelayMs?: number;
  /** Cap of the doubling delay. Default 5000 ms. */
  maxDelayMs?: number;
  /** Attempts before giving up (then 'close'). Default unlimited. */
  maxAttempts?: number;
  /** The clock of the back-off (default the real one). */
  timers?: Timers;
}

export interface ReconnectingEvent {
  attempt: number;
  delayMs: number;
  error: Error;
}

export interface ReconnectedEvent {
  attempt: number;
  downMs: number;
}

export class ReconnectingTransport extends EventEmitter implements Transport {
  private inner: Transport | undefined;
  private phase: 'closed' | 'open' | 'reconnecting' | 'closing' = 'closed';
  private timer: TimerHandle | undefined;
  private lastError: Error | undefined;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxAttempts: number;
  private readonly timers: Timers;

  constructor(
    readonly port: string,
    private readonly makeTransport: () => Transport,
    options: ReconnectOptions = {},
  ) {
    super();
    this.initialDelayMs = options.initialDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.timers = options.timers ?? realTimers;
  }

  get isOpen(): boolean {
    return this.phase === 'open';
  }

  /** Whether it is between a disconnection and the next successful open. */
  get reconnecting(): boolean {
    return this.phase === 'reconnecting';
  }

  async open(): Promise<void> {
    if (this.phase !== 'closed') return;
    const inner = this.makeTransport();
    await inner.open();
    this.adopt(inner);
  }

  write(data: Buffer | string): Promise<void> {
    if (this.phase === 'open' && this.inner) return this.inner.write(data);
    const why = this.phase === 'reconnecting' ? ` (reconnecting after: ${errorText(this.lastError)})` : '';
    return Promise.reject(new PortNotOpenError(this.port, `${this.port} is not open${why}`));
  }

  async close(): Promise<void> {
    if (this.phase === 'closed') return;
    this.phase = 'closing';
    this.timers.clearTimeout(this.timer);
    const inner = this.inner;
    this.inner = undefined;
    await inner?.close();
    this.phase = 'closed';
    this.emit('close');
  }

  private adopt(inner: Transport): void {
    this.inner = inner;
    this.phase = 'open';
    inner.on('data', (data) => {
      if (this.inner === inner) this.emit('data', data);
    });
    inner.on('error', (error) => {
      if (this.inner === inner && this.listenerCount('error') > 0) this.emit('error', error);
    });
    inner.on('close', (error?: Error) => {
      if (this.inner !== inner || this.phase !== 'open') return;
      this.inner = undefined;
      const cause = error ?? new PortClosedError(this.port, `${this.port} closed`);
      this.lastError = cause;
      this.phase = 'reconnecting';
      this.emit('disconnected', cause);
      this.schedule(1, this.timers.now());
    });
  }

  private schedule(attempt: number, downSince: number): void {
    if (this.phase !== 'reconnecting') return;
    if (attempt > this.maxAttempts) {
      this.phase = 'closed';
      this.emit('close', new PortClosedError(this.port, `${this.port} went away and did not come back after ${this.maxAttempts} attempts: ${errorText(this.lastError)}`, { cause: this.lastError }));
      return;
    }
    const delayMs = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempt - 1));
    this.emit('reconnecting', { attempt, delayMs, error: this.lastError! } satisfies ReconnectingEvent);
    this.timer = this.timers.setTimeout(() => {
      if (this.phase !== 'reconnecting') return;
      const inner = this.makeTransport();
      inner.open().then(
        () => {
          if (this.phase !== 'reconnecting') {
            void inner.close();
            return;
          }
          this.adopt(inner);
          this.emit('reconnected', { attempt, downMs: this.timers.now() - downSince } satisfies ReconnectedEvent);
        },
        (error: unknown) => {
          this.lastError = error instanceof Error ? error : new Error(String(error));
          this.schedule(attempt + 1, downSince);
        },
      );
    }, delayMs);
  }
}

export function isReconnectingTransport(transport: Transport): transport is ReconnectingTransport {
  return transport instanceof ReconnectingTransport;
}
