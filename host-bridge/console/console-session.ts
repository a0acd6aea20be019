/**
 * The wire under the console client: one transport, the scanner that reads
 * it (wire-scanner.ts), and one command at a time in flight. `exchange()`
 * writes a command and hands everything that comes back to that command's
 * waiter until it settles or times out; what no waiter takes becomes a
 * 'line' (cleaned, console-lines.ts) or is dropped. Also: XON/XOFF flow
 * control of our writes, the timeout for half-received board packets, and
 * what the port going away does to the command in flight.
 */
import type { Transport } from '../contracts';
import { realTimers, type TimerHandle, type Timers } from '../timers';
import { isReconnectingTransport } from '../transports/reconnecting-transport';
import { PortClosedError, PortNotOpenError } from '../transports/transport-errors';
import { classifyReply, hasBaudRateControl } from './baud-rate';
import { cleanLine } from './console-lines';
import { ConsoleClosedError, ConsoleTimeoutError } from './console-errors';
import { FrameIds } from './frame-ids';
import { showBytes } from './wire-format';
import { WireScanner, type WireEvent } from './wire-scanner';

/** The command in flight: sees frames, packets, ACK/NAK and lines first. */
export interface Waiter {
  /** A frame, packet, ACK, NAK or dropped bytes; true when taken. */
  event(event: WireEvent): boolean;
  /** A cleaned line; true when taken (not passed on to 'line'). */
  line?(text: string): boolean;
  fail(error: Error): void;
}

export interface SessionOptions {
  /** Default wait for an answer. Default 5000 ms. */
  timeoutMs?: number;
  /** Line speed, to allow for transmission time; default the transport's own `baudRate`. */
  baudRate?: number;
  /** How long an incomplete packet from the board is kept. Default 2000 ms (uart.js). */
  packetReceiveTimeoutMs?: number;
  /** The clock of every timeout and pause (default the real one). */
  timers?: Timers;
}

export interface SessionEvents {
  line(text: string): void;
  dropped(dropped: { bytes: string; reason: string }): void;
  close(error?: Error): void;
  reconnected(): void;
}

/** Longest wait for XON after an XOFF (uart.js: "XOFF received => pause upload (10s)"). */
const XOFF_MAX_PAUSE_MS = 10_000;
/** Bytes per write, so an XOFF is honoured within one piece. */
const WRITE_PIECE_BYTES = 256;

export class ConsoleSession {
  readonly scanner = new WireScanner();
  readonly ids = new FrameIds();
  private waiter: Waiter | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed: Error | undefined;
  private suspended = false;
  private paused: { resume: () => void; promise: Promise<void> } | undefined;
  private packetTimer: TimerHandle | undefined;
  private recent = '';
  private receivedTotal = 0;
  readonly detach: () => void;
  readonly timers: Timers;

  constructor(
    readonly transport: Transport,
    private readonly options: SessionOptions,
    private readonly events: SessionEvents,
  ) {
    this.timers = options.timers ?? realTimers;
    const onData = (data: Buffer) => this.receive(data);
    const onClose = (error?: Error) => this.transportClosed(error);
    const onDisconnected = (error: Error) => this.waiter?.fail(new ConsoleClosedError(this.lostMessage(error), { cause: error }));
    const onReconnected = () => {
      this.scanner.reset();
      events.reconnected();
    };
    transport.on('data', onData);
    transport.on('close', onClose);
    if (isReconnectingTransport(transport)) {
      transport.on('disconnected', onDisconnected);
      transport.on('reconnected', onReconnected);
    }
    this.detach = () => {
      transport.off('data', onData);
      transport.off('close', onClose);
      if (isReconnectingTransport(transport)) {
        transport.off('disconnected', onDisconnected);
        transport.off('reconnected', onReconnected);
      }
      this.timers.clearTimeout(this.packetTimer);
    };
  }

  /** Runs `job` after every command queued before it. */
  enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw this.closed;
      return job();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Writes `bytes` and feeds what comes back to the waiter `makeWaiter`
   * builds, until it resolves or rejects, or `timeoutMs` (plus the line
   * time of the command) has passed.
   */
  exchange<T>(
    what: string,
    bytes: string | Buffer,
    timeoutMs: number | undefined,
    makeWaiter: (resolve: (value: T) => void, reject: (error: Error) => void) => Omit<Waiter, 'fail'>,
  ): Promise<T> {
    if (this.closed) return Promise.reject(this.closed);
    const limitMs = (timeoutMs ?? this.defaultTimeoutMs) + this.transmissionMs(bytes.length);
    const mark = this.receivedTotal;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = () => {
        settled = true;
        this.timers.clearTimeout(timer);
        if (this.waiter === waiter) this.waiter = undefined;
      };
      const failed = (error: Error) => {
        if (settled) return;
        settle();
        reject(error);
      };
      const waiter: Waiter = {
        ...makeWaiter((value) => {
          if (settled) return;
          settle();
          resolve(value);
        }, failed),
        fail: failed,
      };
      const timer = this.timers.setTimeout(() => failed(new ConsoleTimeoutError(this.timeoutMessage(what, limitMs, mark))), limitMs);
      this.waiter = waiter;
      this.write(bytes).catch((error: Error) => failed(this.writeFailure(error)));
    });
  }

  /** Writes in pieces, holding while the board has sent XOFF. */
  async write(bytes: string | Buffer): Promise<void> {
    if (this.closed) throw this.closed;
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
    for (let at = 0; at < buffer.length; at += WRITE_PIECE_BYTES) {
      if (this.paused) await this.paused.promise;
      await this.transport.write(buffer.subarray(at, at + WRITE_PIECE_BYTES));
    }
  }

  /** Passes a line on (e.g. an Uncaught report a command held back and did not need). */
  emitLine(text: string): void {
    this.events.line(text);
  }

  /** Runs `job` with the transport's bytes not read by the session (baud-rate probing reads them itself). */
  async whileSuspended<T>(job: () => Promise<T>): Promise<T> {
    this.suspended = true;
    try {
      return await job();
    } finally {
      this.suspended = false;
    }
  }

  /** Ends the session: the command in flight and every later one fail with `error`. */
  end(error: Error): void {
    this.closed ??= error;
    this.waiter?.fail(this.closed);
    this.detach();
  }

  get defaultTimeoutMs(): number {
    return this.options.timeoutMs ?? 5000;
  }

  get baudRate(): number | undefined {
    if (this.options.baudRate) return this.options.baudRate;
    return hasBaudRateControl(this.transport) ? this.transport.baudRate : undefined;
  }

  /**
   * A packet should reach the board well within its 1 s packet timeout
   * (README_Protocol.md): at most half a second of line time, at most 1024 bytes.
   */
  get safeChunkBytes(): number {
    const baud = this.baudRate;
    return baud ? Math.max(64, Math.min(1024, Math.floor(baud / 10 / 2) - 8)) : 1024;
  }

  // -------------------------------------------------------------------------

  /** Time `bytes` need on the line (10 bits a byte at 8N1), twice: the board answers in about as much again. */
  private transmissionMs(bytes: number): number {
    const baud = this.baudRate;
    return baud ? Math.ceil((2 * bytes * 10 * 1000) / baud) : 0;
  }

  private receive(data: Buffer): void {
    if (this.suspended) return;
    this.recent = (this.recent + data.toString('latin1')).slice(-4096);
    this.receivedTotal += data.length;
    for (const event of this.scanner.push(data)) this.dispatch(event);
    this.watchPacket();
  }

  private dispatch(event: WireEvent): void {
    switch (event.kind) {
      case 'xoff':
        return this.pauseWrites();
      case 'xon':
        return this.resumeWrites();
      case 'line': {
        const text = cleanLine(event.raw);
        if (text === undefined || this.waiter?.line?.(text)) return;
        return this.events.line(text);
      }
      case 'dropped':
        this.waiter?.event(event);
        return this.events.dropped({ bytes: event.bytes, reason: event.reason });
      default:
        this.waiter?.event(event);
    }
  }

  /** A packet from the board that stays incomplete is dropped after packetReceiveTimeoutMs. */
  private watchPacket(): void {
    if (!this.scanner.inPacket) {
      this.timers.clearTimeout(this.packetTimer);
      this.packetTimer = undefined;
      return;
    }
    this.packetTimer ??= this.timers.setTimeout(() => {
      this.packetTimer = undefined;
      for (const event of this.scanner.abandonPacket()) this.dispatch(event);
    }, this.options.packetReceiveTimeoutMs ?? 2000);
  }

  private pauseWrites(): void {
    if (this.paused) return;
    let resume!: () => void;
    const promise = new Promise<void>((r) => (resume = r));
    const timer = this.timers.setTimeout(() => this.resumeWrites(), XOFF_MAX_PAUSE_MS);
    this.paused = {
      promise,
      resume: () => {
        this.timers.clearTimeout(timer);
        resume();
      },
    };
  }

  private resumeWrites(): void {
    const p = this.paused;
    this.paused = undefined;
    p?.resume();
  }

  private transportClosed(error?: Error): void {
    const why = error ? this.lostMessage(error) : `${this.transport.port} was closed`;
    this.end(new ConsoleClosedError(why, { cause: error }));
    this.events.close(error);
  }

  /** A write that failed because the port is gone is a ConsoleClosedError like any other loss of the port. */
  private writeFailure(error: Error): Error {
    if (error instanceof ConsoleClosedError) return error;
    if (error instanceof PortClosedError || error instanceof PortNotOpenError) return new ConsoleClosedError(this.lostMessage(error), { cause: error });
    return error;
  }

  /** The transport's reason, which names the port; prefixed with it when it does not. */
  private lostMessage(error: Error): string {
    return error.message.includes(this.transport.port) ? error.message : `${this.transport.port} went away: ${error.message}`;
  }

  private timeoutMessage(what: string, limitMs: number, mark: number): string {
    const got = this.receivedTotal - mark;
    const since = got > 0 ? this.recent.slice(-Math.min(got, this.recent.length)) : '';
    const kind = classifyReply(Buffer.from(since, 'latin1'));
    let detail: string;
    if (kind === 'nothing') detail = 'nothing came back (is the board on, is this its console, did E.setConsole move it?)';
    else if (kind === 'garbage') detail = `${got} bytes came back that are not console text (a wrong baud rate?): ${showBytes(since, 80)}`;
    else detail = `received: ${showBytes(since, 160)}`;
    return `no answer to ${what} from ${this.transport.port} within ${limitMs} ms: ${detail}`;
  }
}
