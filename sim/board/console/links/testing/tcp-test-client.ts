/**
 * A TCP client for link tests: collects what the board sends (latin1) and
 * waits for it, with a wall-clock limit so a broken link fails instead of hanging.
 */
import net from 'node:net';

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
    let received = '';
    const waiters = new Set<() => void>();
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      for (const wake of waiters) wake();
    });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () =>
      resolve({
        socket,
        text: () => received,
        closed,
        send: (bytes) => socket.write(Buffer.from(bytes, 'latin1')),
        waitFor(done, timeoutMs = 5000) {
          return new Promise((ok, fail) => {
            const check = () => {
              if (!done(received)) return;
              cleanup();
              ok(received);
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`timed out waiting; received so far: ${JSON.stringify(received)}`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
      }),
    );
    socket.once('error', reject);
  });
}
