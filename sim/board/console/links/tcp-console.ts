/**
 * A board's console on a TCP port, the way Espruino's Telnet console serves it
 * (libs/network/telnet/jswrap_telnet.c in the Espruino source), hardened for
 * a port any local process and any web page can reach:
 *
 * - other protocols are refused (./foreign-protocol.ts): a connection whose
 *   first bytes are an HTTP request or a TLS handshake, or that later sends
 *   an HTTP header line, is closed before any of its lines reaches the REPL,
 *   and the current host stays connected;
 * - one host at a time: a new connection takes the console over once its
 *   first bytes show it is a console host (or, if it sends nothing, after
 *   `openingGraceMs`), and the previous one is told so (a `# ` line) and
 *   closed (telnetAccept disconnects the old client). With `exclusive`, the
 *   first host keeps the console and later connections are refused instead
 *   (the pseudo-terminal's private link to socat);
 * - raw bytes both ways: no Telnet option negotiation (IAC) is sent or parsed;
 * - board output while no host is connected is dropped, as on a UART with
 *   nothing attached.
 *
 * Bytes cross as latin1 strings (one char per byte), as the ConsolePort
 * contract says. The EspruinoTools CLI reaches it with `-p tcp://127.0.0.1:PORT`.
 * The grace period is wall-clock time: it waits for a real process.
 */
import net from 'node:net';
import type { ConsolePort } from '../console-contract';
import { ForeignProtocolGuard, type ForeignProtocol } from './foreign-protocol';

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
  /** What the link did that the person running the simulator should know (a host displaced, a connection refused), one line without `# `. */
  onNote?: (text: string) => void;
  /**
   * Output queued for a host that does not read is dropped past this many
   * bytes, as a UART drops what nobody takes. Default 1 MiB.
   */
  maxQueuedBytes?: number;
  /** A new connection that sends nothing becomes the host after this many wall-clock ms. Default 250. */
  openingGraceMs?: number;
  /** The first host keeps the console; later connections are refused. Default false. */
  exclusive?: boolean;
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

/** What the displaced host reads before its connection closes. */
export function displacedMessage(by: string): string {
  return `\r\n# another host (${by}) took over this console; this connection is closed\r\n`;
}

const PROTOCOL_NAMES: Record<ForeignProtocol, string> = {
  tls: 'TLS',
  'http-request': 'an HTTP request',
  'http-header': 'an HTTP header',
};

/** The answer to an HTTP client, so that curl says more than "empty reply". */
const HTTP_REFUSAL_BODY = 'This is an Espruino console, not an HTTP server: the connection is closed.\n';
const HTTP_REFUSAL =
  'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n' +
  `Content-Length: ${HTTP_REFUSAL_BODY.length}\r\n\r\n${HTTP_REFUSAL_BODY}`;

export async function startTcpConsole(options: TcpConsoleOptions): Promise<TcpConsole> {
  const host = options.host ?? '127.0.0.1';
  const maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
  const graceMs = options.openingGraceMs ?? 250;
  const note = (text: string) => options.onNote?.(text);
  let current: net.Socket | undefined;
  let everConnected = false;
  let closing: Promise<void> | undefined;
  const pending = new Set<net.Socket>();

  /** The connection becomes the console's host; the previous one is told and closed. */
  const promote = (socket: net.Socket, peer: string) => {
    if (current === socket || socket.destroyed) return;
    const previous = current;
    current = socket;
    everConnected = true;
    if (previous) {
      note(`console host ${peerName(previous)} displaced by ${peer}`);
      if (isWritable(previous)) previous.end(Buffer.from(displacedMessage(peer), 'latin1'));
      previous.destroySoon();
      setTimeout(() => previous.destroy(), 1000).unref();
    }
    options.onHostConnected?.();
  };

  const server = net.createServer((socket) => {
    if (closing) {
      socket.destroy();
      return;
    }
    const peer = peerName(socket);
    if (options.exclusive && (everConnected || pending.size > 0)) {
      note(`console refused a second connection from ${peer}: this link serves one host only`);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const guard = new ForeignProtocolGuard();
    pending.add(socket);
    const grace = setTimeout(() => {
      if (!guard.refused && pending.delete(socket)) promote(socket, peer);
    }, graceMs);
    grace.unref();
    // An opening still undecided after the grace period is console input after all.
    let release: NodeJS.Timeout | undefined;
    const releaseHeld = () => {
      const result = guard.release();
      if (pending.delete(socket)) promote(socket, peer);
      if (current === socket && result.forward) options.console.input(result.forward);
    };
    // A host that vanishes mid-write surfaces here (EPIPE, ECONNRESET): the
    // socket is closed and the board carries on, as with a pulled cable.
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const wasConsole = guard.isConsole;
      const result = guard.take(chunk.toString('latin1'));
      if (result.refused) {
        clearTimeout(grace);
        clearTimeout(release);
        pending.delete(socket);
        if (current === socket && result.forward) options.console.input(result.forward);
        refuse(socket, peer, result.refused, result.evidence ?? '', wasConsole);
        return;
      }
      if (guard.isConsole && pending.delete(socket)) {
        clearTimeout(grace);
        promote(socket, peer);
      }
      if (current === socket && result.forward) options.console.input(result.forward);
      clearTimeout(release);
      if (guard.holding) release = setTimeout(releaseHeld, graceMs).unref();
    });
    socket.on('close', () => {
      clearTimeout(grace);
      clearTimeout(release);
      pending.delete(socket);
      if (current !== socket) return;
      current = undefined;
      if (!closing) options.onHostDisconnected?.();
    });
  });

  const refuse = (socket: net.Socket, peer: string, protocol: ForeignProtocol, evidence: string, afterOpening: boolean) => {
    const ran = afterOpening ? 'closed before that line ran' : 'closed before any of it ran';
    note(`console refused ${peer}: it spoke ${PROTOCOL_NAMES[protocol]} (${evidence}), a cross-protocol request; ${ran}`);
    if (protocol === 'http-request' && isWritable(socket)) socket.end(Buffer.from(HTTP_REFUSAL, 'latin1'));
    else socket.end();
    socket.destroySoon();
    setTimeout(() => socket.destroy(), 1000).unref();
  };

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
        for (const waiting of pending) waiting.destroy();
        pending.clear();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}

function peerName(socket: net.Socket): string {
  const address = socket.remoteAddress ?? '?';
  return `${address.includes(':') ? `[${address}]` : address}:${socket.remotePort ?? '?'}`;
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
