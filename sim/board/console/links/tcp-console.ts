/**
 * A board's console on a TCP port, the way Espruino's Telnet console serves it
 * (libs/network/telnet/jswrap_telnet.c in the Espruino source):
 *
 * - one host at a time: a new connection takes the console over and the
 *   previous one is closed (telnetAccept disconnects the old client);
 * - raw bytes both ways: no Telnet option negotiation (IAC) is sent or parsed;
 * - board output while no host is connected is dropped, as on a UART with
 *   nothing attached.
 *
 * Bytes cross as latin1 strings (one char per byte), as the ConsolePort
 * contract says. The EspruinoTools CLI reaches it with `-p tcp://127.0.0.1:PORT`.
 */
import net from 'node:net';
import type { ConsolePort } from '../console-contract';

export interface TcpConsoleOptions {
  /** The board side of the console. */
  console: ConsolePort;
  /** Interface to listen on; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** TCP port; 0 (default) picks a free one, reported as `TcpConsole.port`. */
  port?: number;
  /**
   * A host connected (or took the console over). Espruino prints its prompt
   * when the console moves to a new device: wire this to `Repl.showPrompt()`.
   */
  onHostConnected?: () => void;
  /** The connected host went away (not called for a host replaced by a newer one). */
  onHostDisconnected?: () => void;
  /**
   * Output queued for a host that does not read is dropped past this many
   * bytes, as a UART drops what nobody takes. Default 1 MiB.
   */
  maxQueuedBytes?: number;
}

export interface TcpConsole {
  readonly host: string;
  /** The bound port. */
  readonly port: number;
  /** `tcp://host:port`, the form `espruino -p` takes. */
  readonly url: string;
  /** Whether a host is connected right now. */
  readonly hostConnected: boolean;
  /** Disconnects the host, stops listening and detaches from the board. Idempotent. */
  close(): Promise<void>;
}

export async function startTcpConsole(options: TcpConsoleOptions): Promise<TcpConsole> {
  const host = options.host ?? '127.0.0.1';
  const maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
  let current: net.Socket | undefined;
  let closing: Promise<void> | undefined;

  const server = net.createServer((socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    const previous = current;
    current = socket;
    previous?.destroy();
    socket.setNoDelay(true);
    // A host that vanishes mid-write surfaces here (EPIPE, ECONNRESET): the
    // socket is closed and the board carries on, as with a pulled cable.
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      if (current === socket) options.console.input(chunk.toString('latin1'));
    });
    socket.on('close', () => {
      if (current !== socket) return;
      current = undefined;
      if (!closing) options.onHostDisconnected?.();
    });
    options.onHostConnected?.();
  });

  const unsubscribe = options.console.onOutput((bytes) => {
    const socket = current;
    if (!socket || !isWritable(socket) || bytes.length === 0) return;
    if (socket.writableLength + bytes.length > maxQueuedBytes) return;
    socket.write(Buffer.from(bytes, 'latin1'));
  });

  try {
    await listen(server, host, options.port ?? 0);
  } catch (error) {
    unsubscribe();
    throw error;
  }
  const address = server.address() as net.AddressInfo;

  return {
    host,
    port: address.port,
    url: `tcp://${host}:${address.port}`,
    get hostConnected() {
      return current !== undefined;
    },
    close() {
      closing ??= (async () => {
        unsubscribe();
        const socket = current;
        current = undefined;
        socket?.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}

function isWritable(socket: net.Socket): boolean {
  return !socket.destroyed && socket.writable;
}

function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      // After listening, server errors (e.g. EMFILE on accept) must not crash the board.
      server.on('error', () => undefined);
      resolve();
    });
  });
}
