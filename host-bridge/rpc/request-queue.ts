/**
 * One request on the wire at a time, and its attempts: send the statement,
 * wait for the reply with that id, retry the same frame after a timeout
 * (Ctrl-C first, see rpc-client.ts) or at once after damage, give up with a
 * typed error. Replies and damage reports come in from the line scanner.
 */
import type { ReplyFrame } from '../../protocols/strap-rpc/frame';
import { realTimers, type TimerHandle, type Timers } from '../timers';
import type { RequestFrame } from './request-frame';
import { RpcClosedError, RpcCorruptedError, RpcRemoteError, RpcTimeoutError } from './rpc-errors';

export interface RequestLink {
  send(statement: string): Promise<void>;
  interrupt(): Promise<void>;
}

export interface RequestStats {
  retries: number;
  timeouts: number;
  staleReplies: number;
}

interface Job {
  request: RequestFrame;
  timeoutMs: number;
  retries: number;
  attempts: number;
  timer?: TimerHandle;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** Codes with which the strap refuses a frame that arrived damaged: nothing ran, send it again. */
const RETRYABLE_CODES = ['bad-crc', 'bad-frame', 'too-long'];

export class RequestQueue {
  private readonly queue: Job[] = [];
  private active: Job | undefined;
  private closed = false;

  constructor(
    private readonly link: RequestLink,
    private readonly stats: RequestStats,
    private readonly interruptBeforeRetry: boolean,
    private readonly timers: Timers = realTimers,
  ) {}

  submit(request: RequestFrame, timeoutMs: number, retries: number): Promise<unknown> {
    if (this.closed) return Promise.reject(new RpcClosedError(request.method, 'the RPC client is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, timeoutMs, retries, attempts: 0, resolve, reject });
      this.pump();
    });
  }

  /** A reply frame from the strap (any id). */
  reply(reply: ReplyFrame): void {
    const job = this.active;
    // An empty id is the strap refusing a frame it could not read: only ours can be on the wire.
    if (!job || (reply.id !== job.request.id && reply.id !== '')) {
      this.stats.staleReplies++;
      return;
    }
    if (reply.ok) return this.finish(job, undefined, reply.value);
    const failure = (reply.value ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof failure.code === 'string' ? failure.code : 'failed';
    const detail = typeof failure.message === 'string' ? failure.message : undefined;
    if (RETRYABLE_CODES.includes(code)) return this.retryOrFail(job, `the strap refused the request: ${code}`);
    this.finish(job, new RpcRemoteError(job.request.method, code, detail));
  }

  /** A frame that failed its checks; `idHint` is the id it seems to carry. */
  damaged(idHint: string | undefined, what: string): void {
    const job = this.active;
    if (job && idHint === job.request.id) this.retryOrFail(job, what);
  }

  /** Rejects everything pending with RpcClosedError; later submits too. */
  close(): void {
    this.closed = true;
    const jobs = this.active ? [this.active, ...this.queue] : [...this.queue];
    this.active = undefined;
    this.queue.length = 0;
    for (const job of jobs) {
      this.timers.clearTimeout(job.timer);
      job.reject(new RpcClosedError(job.request.method, 'the RPC client was closed'));
    }
  }

  private pump(): void {
    if (this.active || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.active = job;
    this.attempt(job);
  }

  private attempt(job: Job): void {
    if (job.attempts > 0) this.stats.retries++;
    job.attempts++;
    this.timers.clearTimeout(job.timer);
    job.timer = this.timers.setTimeout(() => this.timedOut(job), job.timeoutMs);
    this.link.send(job.request.statement).catch((error: Error) => {
      if (this.active === job) this.finish(job, new RpcClosedError(job.request.method, `the console could not send: ${error.message}`));
    });
  }

  private timedOut(job: Job): void {
    this.stats.timeouts++;
    if (!this.interruptBeforeRetry || job.attempts > job.retries) return this.retryOrFail(job, undefined);
    // Retry once the prompt is back, or after another timeout if the console never says so.
    let retried = false;
    const retry = () => {
      if (retried) return;
      retried = true;
      this.timers.clearTimeout(job.timer);
      this.retryOrFail(job, undefined);
    };
    job.timer = this.timers.setTimeout(retry, job.timeoutMs);
    this.link.interrupt().then(retry, retry);
  }

  /** `damage` says what broke when a damaged frame (rather than silence) ended the attempt. */
  private retryOrFail(job: Job, damage: string | undefined): void {
    if (this.active !== job) return;
    if (job.attempts <= job.retries) return this.attempt(job);
    const { method } = job.request;
    this.finish(job, damage !== undefined ? new RpcCorruptedError(method, job.attempts, damage) : new RpcTimeoutError(method, job.attempts, job.timeoutMs));
  }

  private finish(job: Job, error: Error | undefined, value?: unknown): void {
    this.timers.clearTimeout(job.timer);
    this.active = undefined;
    if (error) job.reject(error);
    else job.resolve(value);
    this.pump();
  }
}
