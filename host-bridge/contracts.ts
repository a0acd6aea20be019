/**
 * The seams inside the host bridge, so transports, the console client, the
 * RPC layer, flashing and the HIL rig can be built and tested apart.
 * A board is reached by a port string: `/dev/ttyACM0` (serialport) or
 * `tcp://127.0.0.1:PORT` (TCP); the same syntax everywhere.
 */

/** A byte pipe to a board's console. Bytes are Buffers on this side. */
export interface Transport {
  /** What the user gave (`/dev/ttyACM0`, `tcp://127.0.0.1:4000`). */
  readonly port: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(data: Buffer | string): Promise<void>;
  close(): Promise<void>;
  /** Bytes from the board. */
  on(event: 'data', listener: (data: Buffer) => void): this;
  /** The port went away (unplugged, socket closed by the peer): `error` says why when known. */
  on(event: 'close', listener: (error?: Error) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  off(event: 'data', listener: (data: Buffer) => void): this;
  off(event: 'close', listener: (error?: Error) => void): this;
  off(event: 'error', listener: (error: Error) => void): this;
}

/** What `process.env` told us about the board. */
export interface BoardIdentity {
  board: string;
  version: string;
  /** Everything process.env held. */
  env: Record<string, unknown>;
}

/** An Espruino console session over a Transport. */
export interface ConsoleClient {
  readonly transport: Transport;
  /** Ctrl-C, wait for a prompt. */
  interrupt(): Promise<void>;
  /**
   * Runs `expression` as an echo-off line and returns `JSON.stringify` of its
   * value, captured between markers so interleaved firmware log lines do not
   * corrupt it. Throws `BoardError` with Espruino's error text when it throws.
   */
  evaluate<T = unknown>(expression: string, options?: { timeoutMs?: number }): Promise<T>;
  /** Sends a statement without waiting for a value (e.g. `load()`, `reset()`). */
  send(code: string): Promise<void>;
  /** Board identity from process.env (cached after the first call). */
  identify(): Promise<BoardIdentity>;
  /** Every complete line the board prints that is not part of a reply (firmware logs and events). */
  on(event: 'line', listener: (line: string) => void): this;
  off(event: 'line', listener: (line: string) => void): this;
  close(): Promise<void>;
}
