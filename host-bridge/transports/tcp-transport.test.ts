import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTransport, openTransport, PortClosedError, PortNotOpenError, PortOpenError } from './index';
import { collectBytes } from '../../testing/byte-collector';
import { nextEvent } from '../../testing/next-event';
import type { TcpTransport } from './tcp-transport';

interface EchoServer {
  port: number;
  url: string;
  sockets: Set<net.Socket>;
  received: () => string;
  close(): Promise<void>;
}

const servers: EchoServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A board stand-in on 127.0.0.1 that answers every chunk with "<chunk>!" . */
async function startServer(port = 0): Promise<EchoServer> {
  let received = '';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      socket.write(Buffer.concat([chunk, Buffer.from('!')]));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as net.AddressInfo).port;
  const s: EchoServer = {
    port: bound,
    url: `tcp://127.0.0.1:${bound}`,
    sockets,
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

describe('TCP transport', () => {
  it('carries every byte value both ways unchanged', async () => {
    const server = await startServer();
    const transport = await openTransport(server.url);
    const bytes = collectBytes(transport);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await transport.write(all);
    const echoed = await bytes.waitFor((t) => t.length >= 257);
    expect(Buffer.from(echoed, 'latin1').subarray(0, 256)).toEqual(all);
    expect(transport.isOpen).toBe(true);
    await transport.close();
    expect(transport.isOpen).toBe(false);
  });

  it('writes strings one char per byte and refuses chars that are not bytes', async () => {
    const server = await startServer();
    const transport = await openTransport(server.url);
    await transport.write('\x10print(1)\n\xb0');
    await collectBytes(transport).waitFor((t) => t.endsWith('!'));
    expect(server.received()).toBe('\x10print(1)\n\xb0');
    await expect(transport.write('€')).rejects.toThrow(/U\+20AC .* is not a byte/);
    await transport.close();
  });

  it('reports a refused connection with the port in the message', async () => {
    const server = await startServer();
    const url = server.url;
    await server.close();
    servers.length = 0;
    await expect(openTransport(url)).rejects.toThrow(PortOpenError);
    await expect(openTransport(url)).rejects.toThrow(new RegExp(`cannot connect to ${url}: .*ECONNREFUSED`));
  });

  it('closes with a PortClosedError when the other end hangs up, and refuses writes after', async () => {
    const server = await startServer();
    const transport = await openTransport(server.url);
    const closed = nextEvent<Error | undefined>(transport as TcpTransport, 'close');
    for (const socket of server.sockets) socket.destroy();
    const error = await closed;
    expect(error).toBeInstanceOf(PortClosedError);
    expect(error!.message).toContain(`connection to ${server.url} closed by the other end`);
    expect(transport.isOpen).toBe(false);
    await expect(transport.write('x')).rejects.toThrow(PortNotOpenError);
  });

  it('a close() we asked for emits close without an error', async () => {
    const server = await startServer();
    const transport = await openTransport(server.url);
    const closed = nextEvent<Error | undefined>(transport as TcpTransport, 'close');
    await transport.close();
    expect(await closed).toBeUndefined();
    await transport.close(); // idempotent
  });

  it('refuses port strings that are neither a path nor tcp://HOST:PORT', () => {
    expect(() => createTransport('tcp://localhost')).toThrow(/expected tcp:\/\/HOST:PORT/);
    expect(() => createTransport('http://127.0.0.1:80')).toThrow(/expected tcp:\/\/HOST:PORT/);
    expect(() => createTransport('tcp://127.0.0.1:70000')).toThrow(/1-65535/);
    expect(() => createTransport('')).toThrow(/no port given/);
  });
});
