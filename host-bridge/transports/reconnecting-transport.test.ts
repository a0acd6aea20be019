import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../testing/until';
import { createFakeTimers, type FakeTimers } from '../testing/fake-timers';
import { openTransport, PortClosedError, PortNotOpenError, type ReconnectedEvent, type ReconnectingEvent, type ReconnectingTransport } from './index';
import { collectBytes } from '../../testing/byte-collector';
import { nextEvent } from '../../testing/next-event';
import { findSocatBinary, startPtyPair, type PtyPair } from './testing/socat-pty-pair';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A listener on 127.0.0.1 that greets each connection with "hello N\r\n". */
async function greetingServer(port = 0): Promise<{ port: number; kickAll(): void; close(): Promise<void> }> {
  let n = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write(`hello ${++n}\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  let closed = false;
  const close = () =>
    new Promise<void>((resolve) => {
      if (closed) return resolve();
      closed = true;
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { port: (server.address() as net.AddressInfo).port, kickAll: () => sockets.forEach((s) => s.destroy()), close };
}

/**
 * Lets the first `count` reconnect delays run out on fake time, each once it
 * is scheduled (`delays` collects them from 'reconnecting'); the attempts
 * themselves are real I/O, refused while the port stays away.
 */
async function runOutDelays(time: FakeTimers, delays: readonly number[], count: number): Promise<void> {
  for (let n = 1; n <= count; n++) {
    await until(() => delays.length >= n);
    await time.advance(delays[n - 1]!);
  }
}

describe('reconnecting transport', () => {
  it('reopens a TCP console that hung up and says so (disconnected, reconnecting, reconnected)', async () => {
    const server = await greetingServer();
    const time = createFakeTimers();
    const transport = (await openTransport(`tcp://127.0.0.1:${server.port}`, { reconnect: { initialDelayMs: 20, timers: time } })) as ReconnectingTransport;
    cleanups.push(() => transport.close());
    const bytes = collectBytes(transport);
    await bytes.waitFor((t) => t.includes('hello 1'));

    const disconnected = nextEvent<Error>(transport, 'disconnected');
    const reconnecting = nextEvent<ReconnectingEvent>(transport, 'reconnecting');
    const reconnected = nextEvent<ReconnectedEvent>(transport, 'reconnected');
    server.kickAll();
    expect(await disconnected).toBeInstanceOf(PortClosedError);
    expect(transport.isOpen).toBe(false);
    await expect(transport.write('x')).rejects.toThrow(PortNotOpenError);
    await expect(transport.write('x')).rejects.toThrow(/reconnecting after: connection to tcp:\/\/127\.0\.0\.1:\d+ closed/);
    expect(await reconnecting).toMatchObject({ attempt: 1, delayMs: 20 });
    expect((await time.settle(reconnected)).attempt).toBe(1);
    expect(transport.isOpen).toBe(true);
    await bytes.waitFor((t) => t.includes('hello 2'));
  });

  it('backs off (doubling, capped) while the port stays away, and comes back when it returns', async () => {
    const server = await greetingServer();
    const port = server.port;
    const time = createFakeTimers();
    const transport = (await openTransport(`tcp://127.0.0.1:${port}`, { reconnect: { initialDelayMs: 20, maxDelayMs: 80, timers: time } })) as ReconnectingTransport;
    cleanups.push(() => transport.close());
    const delays: number[] = [];
    transport.on('reconnecting', (e: ReconnectingEvent) => delays.push(e.delayMs));
    const reconnected = nextEvent<ReconnectedEvent>(transport, 'reconnected', 10_000);
    const bytes = collectBytes(transport);
    await bytes.waitFor((t) => t.includes('hello 1'));
    await server.close();
    await runOutDelays(time, delays, 4);
    await until(() => delays.length === 5);
    expect(delays.slice(0, 5)).toEqual([20, 40, 80, 80, 80]);
    await greetingServer(port); // a new server on the same port: its first greeting is "hello 1" again
    const event = await time.settle(reconnected);
    expect(event.attempt).toBeGreaterThan(4);
    expect(event.downMs).toBeGreaterThanOrEqual(20 + 40 + 80 + 80);
    await bytes.waitFor((t) => t === 'hello 1\r\nhello 1\r\n');
  });

  it('gives up after maxAttempts with a close naming the last error', async () => {
    const server = await greetingServer();
    const time = createFakeTimers();
    const transport = (await openTransport(`tcp://127.0.0.1:${server.port}`, { reconnect: { initialDelayMs: 10, maxAttempts: 2, timers: time } })) as ReconnectingTransport;
    const delays: number[] = [];
    transport.on('reconnecting', (e: ReconnectingEvent) => delays.push(e.delayMs));
    const closed = nextEvent<Error>(transport, 'close');
    await server.close();
    await runOutDelays(time, delays, 2);
    const error = await closed;
    expect(error).toBeInstanceOf(PortClosedError);
    expect(error.message).toMatch(/did not come back after 2 attempts: cannot connect to .*ECONNREFUSED/);
  });

  it('does not retry a port that never opened', async () => {
    const server = await greetingServer();
    await server.close();
    await expect(openTransport(`tcp://127.0.0.1:${server.port}`, { reconnect: true })).rejects.toThrow(/ECONNREFUSED/);
  });

  describe.skipIf(!findSocatBinary())('on a serial device (needs socat)', () => {
    it('reopens a pty that vanished once it is back at the same path', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'strap-reconnect-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      let pair: PtyPair = await startPtyPair(dir);
      cleanups.push(() => pair.stop());
      const time = createFakeTimers();
      const transport = (await openTransport(pair.a, { reconnect: { initialDelayMs: 50, timers: time } })) as ReconnectingTransport;
      cleanups.push(() => transport.close());
      const disconnected = nextEvent<Error>(transport, 'disconnected');
      const reconnected = nextEvent<ReconnectedEvent>(transport, 'reconnected', 10_000);
      await pair.stop();
      expect((await disconnected).message).toContain(`${pair.a} went away`);
      pair = await startPtyPair(dir);
      await time.settle(reconnected);
      const board = await openTransport(pair.b);
      cleanups.push(() => board.close());
      const atBoard = collectBytes(board);
      await transport.write('back');
      expect(await atBoard.waitFor((t) => t === 'back')).toBe('back');
    });
  });
});
