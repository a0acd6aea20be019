/**
 * A ConsoleClient double for RpcClient tests: `send()` hands each statement to
 * a small model of the strap's console service (methods from a table, reply
 * cache by id, event frames), and a test can damage, drop or delay what goes
 * either way. The real firmware is exercised by hil/console-rpc*.test.ts.
 */
import { EventEmitter } from 'node:events';
import type { MethodName, ParamsOf, StrapStatus } from '../../../protocols/strap-rpc/contract';
import { decodeRequest, eventLine, failureLine, FRAME_START, frameCrc, resultLine } from '../../../protocols/strap-rpc/frame';
import type { BoardIdentity, ConsoleClient, Transport } from '../../contracts';

/** A method of the fake: it gets the request's params as sent (unchecked), typed as the contract says the method takes them. */
export type FakeMethod<M extends MethodName = MethodName> = (params: ParamsOf<M>) => unknown;
export type FakeMethods = { [M in MethodName]?: FakeMethod<M> };

export interface FakeStrapOptions {
  methods?: FakeMethods;
  boots?: number;
}

/** What happens to the next line in one direction: kept, dropped, or rewritten. */
export type LineFault = (line: string) => string | undefined;

export class FakeStrapConsole extends EventEmitter implements ConsoleClient {
  readonly transport = { port: 'fake://strap', isOpen: true } as unknown as Transport;
  /** Every statement sent, as sent. */
  readonly sent: string[] = [];
  /** How often each method ran (a retry answered from the cache does not count). */
  readonly runs: Record<string, number> = {};
  readonly methods: FakeMethods;
  boots: number;
  seq = 0;
  subscribed = false;
  /** Faults applied, in order, to the next requests / printed lines. */
  readonly requestFaults: LineFault[] = [];
  readonly lineFaults: LineFault[] = [];
  /** When set, printed lines are collected here instead of emitted (released with flush()). */
  held: string[] | undefined;
  private readonly cache: { id: string; crc: string; line: string }[] = [];
  private readonly kept: { seq: number; line: string }[] = [];

  constructor(options: FakeStrapOptions = {}) {
    super();
    this.boots = options.boots ?? 1;
    this.methods = {
      ping: (p) => ({ echo: p, t: 1 }),
      status: () => fakeStatus(this.boots),
      'events.subscribe': () => {
        const before = this.seq;
        this.subscribed = true;
        return { boots: this.boots, seq: before };
      },
      'events.unsubscribe': () => ((this.subscribed = false), true),
      'events.replay': (p: { from: number }) => {
        const again = this.kept.filter((k) => k.seq >= p.from);
        for (const k of again) this.print(k.line);
        return { count: again.length };
      },
      ...options.methods,
    };
  }

  async interrupt(): Promise<void> {}
  async evaluate<T>(): Promise<T> {
    throw new Error('not used by RpcClient');
  }
  async identify(): Promise<BoardIdentity> {
    return { board: 'PUCKJS', version: '2v29', env: {} };
  }
  async close(): Promise<void> {}

  async send(code: string): Promise<void> {
    this.sent.push(code);
    const fault = this.requestFaults.shift();
    const delivered = fault ? fault(code) : code;
    if (delivered === undefined) return;
    queueMicrotask(() => this.execute(delivered));
  }

  /** A firmware log line or any raw text, as the console client would deliver it. */
  line(text: string): void {
    this.emit('line', text);
  }

  /** The firmware emits an event (printed only while subscribed, like the strap). */
  event(name: string, data: unknown): string | undefined {
    if (!this.subscribed) return undefined;
    this.seq++;
    const line = eventLine(this.boots, this.seq, name, data);
    this.kept.push({ seq: this.seq, line });
    if (this.kept.length > 4) this.kept.shift();
    this.print(line);
    return line;
  }

  /** Power cycle: banner, cache and subscription gone, seq restarts. */
  reboot(): void {
    this.boots++;
    this.seq = 0;
    this.subscribed = false;
    this.cache.length = 0;
    this.kept.length = 0;
    this.print(`strap 0.1.0 on PUCKJS (Espruino 2v29), boot #${this.boots}`);
  }

  flush(): void {
    const lines = this.held ?? [];
    this.held = undefined;
    for (const line of lines) this.print(line);
  }

  print(line: string): void {
    if (this.held) {
      this.held.push(line);
      return;
    }
    const fault = this.lineFaults.shift();
    const delivered = fault ? fault(line) : line;
    if (delivered !== undefined) this.emit('line', delivered);
  }

  private execute(statement: string): void {
    const m = /^strap\.rpc\((".*")\)$/.exec(statement);
    if (!m) return this.print('Uncaught SyntaxError: Got ?');
    let text: string;
    try {
      text = JSON.parse(m[1]!) as string;
    } catch {
      return this.print('Uncaught SyntaxError: Got ?');
    }
    const request = decodeRequest(text);
    if (!request.ok) return this.print(failureLine(request.id, request.code));
    const { id, crc, method } = request;
    const hit = this.cache.find((c) => c.id === id && c.crc === crc);
    if (hit) return this.print(hit.line);
    let line: string;
    // Looked up by whatever name came (an unknown one finds nothing) and given the params unchecked.
    const impl = (this.methods as Record<string, ((params: unknown) => unknown) | undefined>)[method];
    if (!impl) line = failureLine(id, 'unknown-method', method);
    else {
      this.runs[method] = (this.runs[method] ?? 0) + 1;
      try {
        line = resultLine(id, impl(request.params));
      } catch (error) {
        const e = error as { code?: string; message?: string };
        line = typeof e.code === 'string' ? failureLine(id, e.code, e.message) : failureLine(id, 'failed', String(error));
      }
    }
    this.cache.push({ id, crc, line });
    if (this.cache.length > 4) this.cache.shift();
    this.print(line);
  }
}

/** A frame line as the strap prints it. */
export function frame(body: string): string {
  return `${FRAME_START}${body}|${frameCrc(body)}`;
}

/** A status that fits the contract, as the fake's `status` answers it. */
export function fakeStatus(boots: number): StrapStatus {
  return { fw: 'strap 0.1.0', espruino: '2v29', board: 'PUCKJS', mode: 'normal', upS: 1, boots, battPct: 100, battV: 4.2, presses: 0, paid: 0, lastTap: '', errors: [] };
}

/** Flips one character of the text (a bit error on the wire), away from the framing bytes. */
export function flipCharAt(index: number): LineFault {
  return (line) => {
    const at = index < 0 ? line.length + index : index;
    return line.slice(0, at) + String.fromCharCode(line.charCodeAt(at) ^ 0x01) + line.slice(at + 1);
  };
}

export const drop: LineFault = () => undefined;
