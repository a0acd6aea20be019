/**
 * A TCP server on 127.0.0.1 that answers like an Espruino board's console, for
 * tests of host tools (host-bridge never imports the virtual board). Lines run
 * in a bare node:vm context with print(), reset(), load() and a Storage that
 * records writes. DLE (0x10) at line start turns echo off for that line.
 */
import net from 'node:net';
import vm from 'node:vm';
import { ConsoleChar } from '../../protocols/espruino/console-bytes';

export interface FakeBoardServerOptions {
  /** How the board behaves: answer normally, close after the first line, or print without end. */
  behaviour?: 'board' | 'hang-up-after-first-line' | 'chatty';
}

export interface FakeBoardServer {
  readonly port: number;
  readonly url: string;
  /** Every byte hosts sent, one char per byte. */
  received(): string;
  readonly storage: Map<string, string>;
  readonly calls: string[];
  close(): Promise<void>;
}

export async function startFakeBoardServer(options: FakeBoardServerOptions = {}): Promise<FakeBoardServer> {
  const behaviour = options.behaviour ?? 'board';
  let received = '';
  const storage = new Map<string, string>();
  const calls: string[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const send = (text: string) => {
      if (!socket.destroyed) socket.write(Buffer.from(text, 'latin1'));
    };
    if (behaviour === 'chatty') {
      const timer = setInterval(() => send('tick\r\n'), 100);
      timers.add(timer);
      socket.on('close', () => clearInterval(timer));
    }
    const context = boardContext(send, storage, calls);
    let line = '';
    let echo = true;
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      received += text;
      for (const ch of text) {
        if (ch === ConsoleChar.DLE && line === '') echo = false;
        else if (ch === ConsoleChar.CTRL_C) {
          line = '';
          send('\r\n>');
        } else if (ch === '\n') {
          if (behaviour === 'hang-up-after-first-line') return void socket.end();
          runLine(line, echo, context, send);
          line = '';
          echo = true;
        } else if (ch !== '\r') {
          line += ch;
          if (echo) send(ch);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: `tcp://127.0.0.1:${port}`,
    received: () => received,
    storage,
    calls,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearInterval(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function runLine(line: string, echo: boolean, context: vm.Context, send: (text: string) => void): void {
  const source = line.replace(/\x1b\[\d*d/g, '');
  if (echo) send('\r\n');
  if (source.trim()) {
    try {
      const value: unknown = vm.runInContext(source, context, { timeout: 1000 });
      if (echo) send(`=${JSON.stringify(value) ?? 'undefined'}\r\n`);
    } catch (error) {
      send(`Uncaught ${String(error)}\r\n`);
    }
  }
  send('>');
}

function boardContext(send: (text: string) => void, storage: Map<string, string>, calls: string[]): vm.Context {
  const print = (...args: unknown[]) =>
    send(`${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\r\n`);
  return vm.createContext({
    print,
    console: { log: print },
    process: { env: { BOARD: 'PUCKJS', VERSION: '2v29' } },
    JSON,
    reset: () => void calls.push('reset()'),
    load: (name?: string) => void calls.push(name === undefined ? 'load()' : `load(${JSON.stringify(name)})`),
    require: (module: string) => {
      if (module !== 'Storage') throw new Error(`Module ${module} not found`);
      return {
        write(name: string, data: string, offset = 0, size?: number) {
          calls.push(`Storage.write(${JSON.stringify(name)}, <${data.length} bytes>, ${offset}${size === undefined ? '' : `, ${size}`})`);
          const before = offset === 0 ? '' : (storage.get(name) ?? '');
          storage.set(name, before.slice(0, offset) + data);
          return true;
        },
      };
    },
  });
}
