/**
 * A TCP client for link tests: collects what the board sends (latin1) and
 * waits for it, with a wall-clock limit so a broken link fails instead of hanging.
 */
import net from 'node:net';
import { collectBytes } from '../../../../../testing/byte-collector';

export interface TestClient {
  readonly socket: net.Socket;
  /** Everything received so far, one char per byte. */
  text(): string;
  /** Resolves once the received text satisfies `done`; rejects after `timeoutMs`. */
  waitFor(done: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the server closed the connection. */
  readonly closed: Promise<void>;
  send(bytes: string): void;
}

export function connectTestClient(port: number, host = '127.0.0.1'): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, host);
    const received = collectBytes(socket);
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () =>
      resolve({
        socket,
        text: received.text,
        closed,
        send: (bytes) => socket.write(Buffer.from(bytes, 'latin1')),
        waitFor: received.waitFor,
      }),
    );
    socket.once('error', reject);
  });
}
