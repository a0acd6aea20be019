/**
 * An Espruino console session over any Transport (host-bridge/contracts.ts
 * ConsoleClient): evaluate expressions and get their values back, send
 * statements, interrupt, identify the board, upload and read Storage files,
 * and a 'line' stream of everything else the board prints (firmware logs).
 *
 * Two ways to talk, chosen by `protocol` (default 'auto': packets when
 * process.env.VERSION is 2v25 or later, else text):
 * - text (text-mode.ts): echo-off console lines whose replies come back in
 *   frames, robust to log lines around them;
 * - packets (packet-mode.ts): Espruino's 2v25+ packet protocol (EVAL →
 *   RESPONSE, FILE_SEND + DATA with an ACK each, FILE_RECV → DATA…).
 * Commands run one at a time, in call order (console-session.ts). Wire
 * format and recovery rules: README.md.
 */
import { EventEmitter } from 'node:events';
import type { BoardIdentity, ConsoleClient, Transport } from '../contracts';
import { sleep } from '../timers';
import { diagnoseBaudRate, hasBaudRateControl } from './baud-rate';
import { checkGlobalName, statementCommand } from './console-commands';
import { ConsoleClosedError, ConsoleProtocolError, ConsoleTimeoutError } from './console-errors';
import { ConsoleSession, type SessionOptions } from './console-session';
import { supportsPackets } from './espruino-version';
import { evaluatePacket, readFilePackets, sendPacket, uploadPackets } from './packet-mode';
import { evaluateText, readFileText, syncConsole, uploadText } from './text-mode';
import type { UploadOptions } from './upload-options';
import { ConsoleChar } from '../../protocols/espruino/console-bytes';
import { PacketType } from '../../protocols/espruino/packet';

export type { UploadOptions } from './upload-options';
export type ConsoleProtocol = 'text' | 'packets';

export interface ConsoleClientOptions extends SessionOptions {
  /** 'auto' (default): packets when the board's VERSION is ≥ 2v25, else text. */
  protocol?: 'auto' | ConsoleProtocol;
}

export interface ConnectOptions extends ConsoleClientOptions {
  /** Wait for the first sync. Default 1500 ms. */
  syncTimeoutMs?: number;
  /** On a serial transport with no answer, try common baud rates and name the one that answers. Default true. */
  detectBaudRate?: boolean;
  /** The rates tried then. Default COMMON_BAUD_RATES. */
  baudRates?: readonly number[];
}

/** Bytes the console dropped, and why. */
type DroppedBytes = { bytes: string; reason: string };
/** A listener of any of the client's events (`on` and `off` pair each event with its own). */
type ConsoleClientListener = ((line: string) => void) | ((dropped: DroppedBytes) => void) | ((error?: Error) => void);

export class EspruinoConsoleClient extends EventEmitter implements ConsoleClient {
  private readonly session: ConsoleSession;
  private mode: ConsoleProtocol | undefined;
  private identity: BoardIdentity | undefined;

  constructor(
    readonly transport: Transport,
    private readonly options: ConsoleClientOptions = {},
  ) {
    super();
    this.session = new ConsoleSession(transport, options, {
      line: (text) => this.emit('line', text),
      dropped: (dropped) => this.emit('dropped', dropped),
      close: (error) => this.emit('close', error),
      reconnected: () => {
        this.identity = undefined;
        if ((options.protocol ?? 'auto') === 'auto') this.setMode(undefined);
        this.emit('reconnected');
      },
    });
    if (options.protocol === 'text' || options.protocol === 'packets') this.setMode(options.protocol);
  }

  /**
   * A client on `transport` (opened if needed) whose console has answered a
   * sync. On a serial port with no answer, common baud rates are tried and
   * the error names the one the board answered at.
   */
  static async connect(transport: Transport, options: ConnectOptions = {}): Promise<EspruinoConsoleClient> {
    if (!transport.isOpen) await transport.open();
    const client = new EspruinoConsoleClient(transport, options);
    try {
      await client.sync({ timeoutMs: options.syncTimeoutMs ?? 1500, attempts: 1 });
      return client;
    } catch (error) {
      const session = client.session;
      if (error instanceof ConsoleTimeoutError && options.detectBaudRate !== false && hasBaudRateControl(transport)) {
        const wrong = await session.whileSuspended(() => diagnoseBaudRate(transport, { rates: options.baudRates, nextId: () => session.ids.next(), timers: session.timers }));
        session.detach();
        throw wrong;
      }
      session.detach();
      throw error;
    }
  }

  /** The protocol in use, once decided ('auto' decides at the first command that needs it). */
  get protocol(): ConsoleProtocol | undefined {
    return this.mode;
  }

  /** Ctrl-C (stops running code, clears the input line), then waits until the console answers a sync line. */
  interrupt(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.session.enqueue(async () => {
      await this.session.write(ConsoleChar.CTRL_C);
      await sleep(this.session.timers, 50); // Espruino applies Ctrl-C at the end of its idle-loop pass
      await syncConsole(this.session, options.timeoutMs, 3);
    });
  }

  /** Clears any half-typed input (Ctrl-U) and waits until the console answers a sync line. */
  sync(options: { timeoutMs?: number; attempts?: number } = {}): Promise<void> {
    return this.session.enqueue(() => syncConsole(this.session, options.timeoutMs, options.attempts ?? 3));
  }

  evaluate<T = unknown>(expression: string, options: { timeoutMs?: number } = {}): Promise<T> {
    return this.session.enqueue(async () => {
      const mode = await this.decideMode();
      const value = mode === 'packets' ? evaluatePacket(this.session, expression, options.timeoutMs) : evaluateText(this.session, expression, options.timeoutMs);
      return value as Promise<T>;
    });
  }

  /**
   * Types `code` as one echo-off line and returns once it is written. It is
   * sent as is: a half line left on the board would prefix it, unless
   * `clearLine` sends a Ctrl-U first (evaluate and the other commands always do).
   */
  send(code: string, options: { clearLine?: boolean } = {}): Promise<void> {
    return this.session.enqueue(() => this.session.write(statementCommand(code, options.clearLine)));
  }

  identify(): Promise<BoardIdentity> {
    if (this.identity) return Promise.resolve(this.identity);
    return this.session.enqueue(() => this.identifyNow());
  }

  /** Whether the board has a global of that name (e.g. `strap`, to tell our firmware from another). */
  hasGlobal(name: string, options: { timeoutMs?: number } = {}): Promise<boolean> {
    let n: string;
    try {
      n = checkGlobalName(name);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.evaluate<boolean>(`typeof ${n}!=="undefined"`, options);
  }

  /**
   * Writes `data` to the Storage file `name`: FILE_SEND + DATA packets with
   * an ACK each (packet mode), or `require("Storage").write(name, atob(…),
   * offset, size)` lines checked one by one (text mode).
   */
  uploadFile(name: string, data: Buffer | string, options: UploadOptions = {}): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    if (bytes.length === 0) return Promise.reject(new Error(`cannot upload ${name}: Storage has no empty files`));
    return this.session.enqueue(async () => {
      const mode = await this.decideMode();
      if (mode === 'packets') await uploadPackets(this.session, name, bytes, options);
      else await uploadText(this.session, name, bytes, options);
    });
  }

  /** The Storage file `name` (undefined if there is none): FILE_RECV (packet mode) or chunked Storage.read (text mode). */
  readFile(name: string, options: { timeoutMs?: number } = {}): Promise<Buffer | undefined> {
    return this.session.enqueue(async () => {
      const mode = await this.decideMode();
      return mode === 'packets' ? readFilePackets(this.session, name, options.timeoutMs) : readFileText(this.session, name, options.timeoutMs);
    });
  }

  /**
   * Hands `value` to the firmware's `E.on('packet', …)` handlers: an EVENT
   * packet (packet mode, ACKed) or `E.emit("packet", value)` (text mode).
   */
  emitPacketEvent(value: unknown): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) return Promise.reject(new Error('the event value has no JSON form'));
    const json = text.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    return this.session.enqueue(async () => {
      const mode = await this.decideMode();
      if (mode === 'packets') await sendPacket(this.session, PacketType.EVENT, Buffer.from(json, 'latin1'), 'EVENT packet');
      else await evaluateText(this.session, `E.emit("packet",${json})`);
    });
  }

  async close(): Promise<void> {
    this.session.end(new ConsoleClosedError('console client closed'));
    await this.transport.close();
  }

  override on(event: 'line', listener: (line: string) => void): this;
  override on(event: 'dropped', listener: (dropped: DroppedBytes) => void): this;
  override on(event: 'close' | 'reconnected', listener: (error?: Error) => void): this;
  override on(event: string, listener: ConsoleClientListener): this {
    return super.on(event, listener);
  }

  override off(event: 'line', listener: (line: string) => void): this;
  override off(event: 'dropped', listener: (dropped: DroppedBytes) => void): this;
  override off(event: 'close' | 'reconnected', listener: (error?: Error) => void): this;
  override off(event: string, listener: ConsoleClientListener): this {
    return super.off(event, listener);
  }

  // -------------------------------------------------------------------------

  private async identifyNow(): Promise<BoardIdentity> {
    if (this.identity) return this.identity;
    const env = await evaluateText(this.session, 'process.env');
    if (env === null || typeof env !== 'object') throw new ConsoleProtocolError(`process.env is not an object on this board: ${JSON.stringify(env)}`);
    const e = env as Record<string, unknown>;
    this.identity = { board: String(e.BOARD ?? ''), version: String(e.VERSION ?? ''), env: e };
    return this.identity;
  }

  private async decideMode(): Promise<ConsoleProtocol> {
    if (this.mode) return this.mode;
    const identity = await this.identifyNow();
    const mode: ConsoleProtocol = supportsPackets(identity.version) ? 'packets' : 'text';
    this.setMode(mode);
    return mode;
  }

  private setMode(mode: ConsoleProtocol | undefined): void {
    this.mode = mode;
    this.session.scanner.packets = mode === 'packets';
  }
}
