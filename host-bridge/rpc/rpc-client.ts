/**
 * RpcClient: calls the strap's console RPC service over a ConsoleClient and
 * turns its event frames into an ordered stream.
 *
 * One request is on the wire at a time (the console is one line discipline;
 * others queue). A request is retried with the same id and frame after a
 * timeout, after a damaged reply, or when the strap refused the frame as
 * damaged (bad-crc, bad-frame, too-long); the strap answers a repeated frame
 * from its reply cache, so a retry never runs a method twice. Before retrying
 * after a timeout the console is interrupted (Ctrl-C): noise with an open
 * bracket leaves Espruino waiting for the rest of a multi-line statement,
 * and every later line would join it. `reboot` is sent once (the reply cache
 * does not survive the reboot).
 *
 * Events: `subscribe()` asks the strap for them; `event` delivers them in order,
 * `gap` says which were lost for good. When the console shows the strap's boot
 * banner, `reboot` is emitted and, if subscribed, the subscription is renewed.
 */
import { EventEmitter, on } from 'node:events';
import {
  isMethodName,
  readResult,
  type MethodName,
  type ParamsOf,
  type PowerStatus,
  type ResultOf,
  type StrapStatus,
  type SubscriptionStart,
} from '../../protocols/strap-rpc/contract';
import type { BoardFrame, CorruptFrame } from '../../protocols/strap-rpc/frame';
import type { ConsoleClient } from '../contracts';
import type { Timers } from '../timers';
import { scanLine } from './board-frames';
import { EventSequencer, type EventGap, type FirmwareEvent } from './event-sequencer';
import { encodeRequest, type RequestFrame } from './request-frame';
import { createRequestIds } from './request-ids';
import { RequestQueue } from './request-queue';
import { RpcClosedError, RpcReplyError } from './rpc-errors';

export type { EventGap, FirmwareEvent } from './event-sequencer';

/** The strap's banner (firmware/boot/boot.ts): `strap 0.1.0 on PUCKJS (Espruino 2v29), boot #3`. */
export const STRAP_BANNER = /strap \S+ on \S+ \(Espruino [^)]*\), boot #(\d+)/;

export interface RpcClientOptions {
  /** Wait for each attempt's reply (default 2000 ms). */
  timeoutMs?: number;
  /** Attempts after the first (default 2). */
  retries?: number;
  /** A console line that means the strap (re)booted; group 1, if any, the boot count. */
  bootBanner?: RegExp;
  /** Request id prefix (default: random per client). */
  idPrefix?: string;
  /** Ctrl-C before retrying a timed-out request (default true). */
  interruptBeforeRetry?: boolean;
  /** The clock of the request timeouts (default the real one). */
  timers?: Timers;
}

export interface CallOptions {
  timeoutMs?: number;
  retries?: number;
}

export interface RebootNotice {
  boots?: number;
  line: string;
}

export interface RpcClientEvents {
  /** A firmware event, in seq order. */
  event: [FirmwareEvent];
  /** Events lost for good (neither received nor replayed). */
  gap: [EventGap];
  /** The boot banner was seen. */
  reboot: [RebootNotice];
  /** A subscription started (`renewed`: by the client itself, after a reboot). */
  subscribed: [SubscriptionStart & { renewed: boolean }];
  /** A console line that is not a frame (firmware logs). */
  log: [string];
  /** A frame that failed its checks (dropped). */
  corrupt: [CorruptFrame];
  /** Something went wrong in the background (renewing a subscription). */
  problem: [Error];
}

export interface RpcStats {
  calls: number;
  retries: number;
  timeouts: number;
  corruptFrames: number;
  staleReplies: number;
  events: number;
  gaps: number;
}

/** A call's params (left out when the method takes none), then its options. */
export type CallArgs<M extends MethodName> = undefined extends ParamsOf<M> ? [params?: ParamsOf<M>, options?: CallOptions] : [params: ParamsOf<M>, options?: CallOptions];

export class RpcClient extends EventEmitter<RpcClientEvents> {
  readonly stats: RpcStats = { calls: 0, retries: 0, timeouts: 0, corruptFrames: 0, staleReplies: 0, events: 0, gaps: 0 };
  private readonly nextId: () => string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly bootBanner: RegExp;
  private readonly requests: RequestQueue;
  private closed = false;
  private wantEvents = false;
  private readonly sequencer: EventSequencer;
  private readonly onLine = (line: string) => this.handleLine(line);

  constructor(
    readonly console: ConsoleClient,
    options: RpcClientOptions = {},
  ) {
    super();
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.retries = options.retries ?? 2;
    this.bootBanner = options.bootBanner ?? STRAP_BANNER;
    this.requests = new RequestQueue(console, this.stats, options.interruptBeforeRetry ?? true, options.timers);
    this.nextId = createRequestIds(options.idPrefix);
    this.sequencer = new EventSequencer({
      deliver: (event) => {
        this.stats.events++;
        this.emit('event', event);
      },
      gap: (gap) => {
        this.stats.gaps++;
        this.emit('gap', gap);
      },
      replay: (fromSeq) => this.call('events.replay', { from: fromSeq }),
    });
    console.on('line', this.onLine);
  }

  get subscribed(): boolean {
    return this.wantEvents;
  }

  /**
   * Calls `method` of the contract (protocols/strap-rpc/contract.ts) on the
   * strap; resolves with its result, checked against the contract, or
   * rejects with an RpcError (RpcReplyError when the result does not fit).
   */
  async call<M extends MethodName>(method: M, ...args: CallArgs<M>): Promise<ResultOf<M>> {
    const [params, options] = args;
    const value = await this.request(method, params, options);
    const result = readResult(method, value);
    if (!result.ok) throw new RpcReplyError(method, result.misfit.field, result.misfit.message);
    return result.value;
  }

  /**
   * Any method by name, for callers that pass names through (the local API)
   * or call outside the contract on purpose; a contract method's result is
   * still checked.
   */
  async callAny(method: string, params?: unknown, options: CallOptions = {}): Promise<unknown> {
    const value = await this.request(method, params, options);
    if (!isMethodName(method)) return value;
    const result = readResult(method, value);
    if (!result.ok) throw new RpcReplyError(method, result.misfit.field, result.misfit.message);
    return result.value;
  }

  status(): Promise<StrapStatus> {
    return this.call('status');
  }

  powerStatus(): Promise<PowerStatus> {
    return this.call('power.status');
  }

  ping(echo?: unknown): Promise<ResultOf<'ping'>> {
    return this.call('ping', echo ?? null);
  }

  /** A heartbeat now: the strap prints its `[hb]` line and emits `hb` (the cadence is unchanged). */
  heartbeat(): Promise<ResultOf<'heartbeat'>> {
    return this.call('heartbeat');
  }

  memory(): Promise<ResultOf<'memory'>> {
    return this.call('memory');
  }

  /** Content CRC-32 of one Storage file (what a flasher compares with the image it wrote). */
  storageCrc32(name: string): Promise<ResultOf<'storage.crc32'>> {
    return this.call('storage.crc32', { name });
  }

  /** Espruino's Storage.hash: changes when matching files are written or moved (names and addresses, not contents). */
  storageHash(pattern?: string): Promise<ResultOf<'storage.hash'>> {
    return this.call('storage.hash', pattern === undefined ? {} : { pattern });
  }

  /** Resets the strap after `delayMs`; sent once, never retried. */
  reboot(delayMs?: number): Promise<ResultOf<'reboot'>> {
    return this.call('reboot', delayMs === undefined ? {} : { delayMs }, { retries: 0 });
  }

  /** Starts the event stream (again after a reboot, automatically). */
  subscribe(): Promise<SubscriptionStart> {
    return this.startSubscription(false);
  }

  async unsubscribe(): Promise<void> {
    this.wantEvents = false;
    this.sequencer.reset();
    await this.call('events.unsubscribe');
  }

  /** Events as an async iterator (ends when `signal` aborts). */
  events(signal?: AbortSignal): AsyncIterableIterator<FirmwareEvent> {
    const source = on(this as EventEmitter, 'event', { signal }) as AsyncIterableIterator<[FirmwareEvent]>;
    return {
      next: async () => {
        const step = await source.next();
        return step.done ? { done: true, value: undefined } : { done: false, value: step.value[0] };
      },
      return: async () => {
        await source.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Stops listening; pending calls reject with RpcClosedError. The console stays open (it is the caller's). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.console.off('line', this.onLine);
    this.requests.close();
  }

  // ---------------------------------------------------------------------------

  /** Frames and queues one call; resolves with the reply's value as it came. */
  private request(method: string, params: unknown, options: CallOptions = {}): Promise<unknown> {
    if (this.closed) return Promise.reject(new RpcClosedError(method, 'the RPC client is closed'));
    let request: RequestFrame;
    try {
      request = encodeRequest(this.nextId(), method, params);
    } catch (error) {
      return Promise.reject(error);
    }
    this.stats.calls++;
    return this.requests.submit(request, options.timeoutMs ?? this.timeoutMs, options.retries ?? this.retries);
  }

  private handleLine(line: string): void {
    const scanned = scanLine(line);
    if (scanned.text !== '') {
      this.emit('log', scanned.text);
      const banner = this.bootBanner.exec(scanned.text);
      if (banner) this.rebooted({ boots: banner[1] === undefined ? undefined : Number(banner[1]), line: scanned.text });
    }
    for (const frame of scanned.frames) this.handleFrame(frame);
  }

  private handleFrame(frame: BoardFrame): void {
    if (frame.kind === 'reply') this.requests.reply(frame);
    else if (frame.kind === 'event') {
      if (this.wantEvents) this.sequencer.accept(frame);
    } else {
      this.stats.corruptFrames++;
      this.emit('corrupt', frame);
      this.requests.damaged(frame.idHint, `reply failed its ${frame.reason} check`);
    }
  }

  private rebooted(notice: RebootNotice): void {
    this.sequencer.reset();
    this.emit('reboot', notice);
    if (this.wantEvents && !this.closed) {
      this.startSubscription(true).catch((error: Error) => this.emit('problem', error));
    }
  }

  private async startSubscription(renewed: boolean): Promise<SubscriptionStart> {
    this.wantEvents = true;
    const reply = await this.call('events.subscribe');
    const start = { boots: reply.boots, seq: reply.seq };
    this.sequencer.baseline(start.boots, start.seq);
    this.emit('subscribed', { ...start, renewed });
    return start;
  }
}
