/**
 * The local API (host-bridge/api/local-api.ts) in this process on
 * 127.0.0.1 with a real token, in front of the strap firmware on a virtual
 * board: RpcClient over a console client that types on the board's console
 * and runs it, as hil/console-rpc-in-process.test.ts does. A request is sent
 * as raw bytes on a socket; the answer is read until the server closes or
 * a short wall-clock wait ends (a request that promised more body than it
 * sent is then abandoned, as a client that goes away).
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import { startLocalApi, type LocalApi } from '../host-bridge/api/local-api';
import { generateToken } from '../host-bridge/api/bearer-token';
import type { BoardIdentity, ConsoleClient, Transport } from '../host-bridge/contracts';
import { RpcClient } from '../host-bridge/rpc/rpc-client';
import type { BoardUnderTest } from './board-fixture';

/** A ConsoleClient over the in-process board: each statement is typed as a DLE line and the board runs a little. */
class InProcessConsole extends EventEmitter implements ConsoleClient {
  readonly transport = { port: 'in-process', isOpen: true } as unknown as Transport;
  private partial = '';

  constructor(private readonly but: BoardUnderTest) {
    super();
    but.board.console.onOutput((bytes) => {
      const lines = (this.partial + bytes).split('\n');
      this.partial = lines.pop()!.slice(-4096);
      for (const line of lines) this.emit('line', line.replace(/\r$/, ''));
    });
  }

  async send(code: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.but.type('\x10' + code + '\n');
    this.but.run(20);
  }
  async interrupt(): Promise<void> {
    this.but.type('\x03');
    this.but.run(5);
  }
  async evaluate<T>(): Promise<T> {
    throw new Error('evaluate is not used by the API');
  }
  async identify(): Promise<BoardIdentity> {
    return { board: 'PUCKJS', version: '2v29', env: {} };
  }
  async close(): Promise<void> {}
}

export interface ApiFixture {
  api: LocalApi;
  token: string;
  close(): Promise<void>;
}

export async function startApiFixture(but: BoardUnderTest): Promise<ApiFixture> {
  const rpc = new RpcClient(new InProcessConsole(but), { timeoutMs: 300, retries: 1, idPrefix: 'fz' });
  const token = generateToken();
  const api = await startLocalApi({ rpc, token, announce: () => undefined });
  return {
    api,
    token,
    async close() {
      await api.close();
      rpc.close();
    },
  };
}

/** Sends `request` on a new connection; resolves with what came back once the server closed or `waitMs` passed. */
export function sendRaw(port: number, request: string, waitMs = 400): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1');
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(done, waitMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => socket.end(Buffer.from(request, 'latin1')));
  });
}

/** GET /health with a right Host: the server still answers 200. */
export async function apiAnswers(api: LocalApi): Promise<boolean> {
  const port = api.port;
  const answer = await sendRaw(port, `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`, 2000);
  return answer.startsWith('HTTP/1.1 200');
}
