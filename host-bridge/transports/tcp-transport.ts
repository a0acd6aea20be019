/**
 * A board's console over TCP (`tcp://HOST:PORT`): the virtual board's console
 * (sim/board/console/links/tcp-console.ts) or an Espruino WiFi board's Telnet console.
 * Raw bytes both ways; Nagle off so short console lines go out at once.
 * The peer closing the socket (board reset on WiFi, the virtual board
 * stopped, another host taking the console over) is a 'close' with a
 * PortClosedError.
 */
import net from 'node:net';
import { TransportBase } from './transport-base';
import { PortClosedError, PortOpenError, errorText } from './transport-errors';

export interface TcpTransportOptions {
  /** Default 5000 ms. */
  connectTimeoutMs?: number;
}

export class TcpTransport extends TransportBase {
  private socket: net.Socket | undefined;
  private lastError: Error | undefined;

  constructor(
    port: string,
    private readonly host: string,
    private readonly tcpPort: number,
    private readonly options: TcpTransportOptions = {},
  ) {
    super(port);
  }

  open(): Promise<void> {
    if (this.state !== 'closed') return Promise.reject(new PortOpenError(this.port, `${this.port} is already ${this.state}`));
    this.state = 'opening';
    this.lastError = undefined;
    const timeoutMs = this.options.connectTimeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.host, port: this.tcpPort });
      const timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        this.state = 'closed';
        reject(new PortOpenError(this.port, `cannot connect to ${this.port}: ${errorText(error)}`, { cause: error }));
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        socket.setNoDelay(true);
        this.attach(socket);
        this.state = 'open';
        resolve();
      });
    });
  }

  protected send(bytes: Buffer): Promise<void> {
    const socket = this.socket!;
    return new Promise((resolve, reject) => {
      socket.write(bytes, (error) => (error ? reject(new PortClosedError(this.port, `${this.port} went away (write failed: ${errorText(error)})`, { cause: error })) : resolve()));
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    if (this.state === 'closed' || !socket) return Promise.resolve();
    this.state = 'closing';
    return new Promise((resolve) => {
      const force = setTimeout(() => socket.destroy(), 1000);
      socket.once('close', () => {
        clearTimeout(force);
        resolve();
      });
      socket.end();
    });
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.emitData(chunk));
    socket.on('error', (error) => {
      this.lastError = error;
      this.emitError(error);
    });
    socket.on('close', () => {
      this.socket = undefined;
      if (this.state === 'closing') {
        this.closedByUs();
        return;
      }
      const why = this.lastError ? `: ${errorText(this.lastError)}` : ' (the board or its console server hung up)';
      this.lost(new PortClosedError(this.port, `connection to ${this.port} closed by the other end${why}`, { cause: this.lastError }));
    });
  }
}
