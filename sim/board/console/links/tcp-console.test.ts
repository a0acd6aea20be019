import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { displacedMessage, startTcpConsole, type TcpConsole } from './tcp-console';
import { FakeBoardConsole } from './testing/fake-board-console';
import { RecordingConsole } from './testing/recording-console';
import { connectTestClient, type TestClient } from './testing/tcp-test-client';
import { until } from '../../../../testing/until';

const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

describe('TCP console', () => {
  const consoles: TcpConsole[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.destroy();
    await Promise.all(consoles.splice(0).map((c) => c.close()));
  });
  async function start(options: Parameters<typeof startTcpConsole>[0]): Promise<TcpConsole> {
    const tcp = await startTcpConsole(options);
    consoles.push(tcp);
    return tcp;
  }
  async function connect(port: number): Promise<TestClient> {
    const client = await connectTestClient(port);
    clients.push(client);
    return client;
  }

  it('binds 127.0.0.1 on a free port when given port 0 and reports it as a tcp:// url', async () => {
    const tcp = await start({ console: new RecordingConsole() });
    expect(tcp.host).toBe('127.0.0.1');
    expect(tcp.port).toBeGreaterThan(0);
    expect(tcp.url).toBe(`tcp://127.0.0.1:${tcp.port}`);
  });

  it('passes every byte value unchanged in both directions, with no Telnet negotiation', async () => {
    const board = new RecordingConsole();
    const tcp = await start({ console: board });
    const host = await connect(tcp.port);

    host.send(ALL_BYTES);
    expect(await board.waitForBytes(256)).toBe(ALL_BYTES);

    board.emit(ALL_BYTES);
    // The first bytes the host sees are the board's: nothing (no IAC) precedes them.
    expect(await host.waitFor((t) => t.length >= 256)).toBe(ALL_BYTES);
  });

  it('carries a console session with a board that echoes, answers and prompts', async () => {
    const board = new FakeBoardConsole();
    const tcp = await start({ console: board, onHostConnected: () => board.showPrompt() });
    const host = await connect(tcp.port);
    await host.waitFor((t) => t === '>');

    host.send('1+2\n');
    await host.waitFor((t) => t.endsWith('=3\r\n>'));
    host.send('\x10print("<","<<",JSON.stringify(process.env),">>",">")\n');
    const text = await host.waitFor((t) => t.includes('>> >\r\n>'));
    expect(text).toContain('< << {"BOARD":"PUCKJS","VERSION":"2v29","CONSOLE":"Serial1"} >> >\r\n>');
  });

  it('lets a second host take the console over; the first reads why before it is closed, and the simulator notes it', async () => {
    const board = new RecordingConsole();
    const events: string[] = [];
    const notes: string[] = [];
    const tcp = await start({
      console: board,
      onHostConnected: () => events.push('connected'),
      onHostDisconnected: () => events.push('disconnected'),
      onNote: (text) => notes.push(text),
    });
    const first = await connect(tcp.port);
    const firstName = `127.0.0.1:${first.socket.localPort}`;
    await until(() => events.length === 1);
    const second = await connect(tcp.port);

    await first.closed;
    await until(() => events.length === 2);
    expect(events).toEqual(['connected', 'connected']);
    expect(tcp.hostConnected).toBe(true);

    board.emit('to the new host');
    await second.waitFor((t) => t === 'to the new host');
    second.send('from the new host');
    expect(await board.waitForBytes(17)).toBe('from the new host');
    const secondName = `127.0.0.1:${second.socket.localPort}`;
    expect(first.text()).toBe(displacedMessage(secondName));
    expect(first.text()).toBe(`\r\n# another host (${secondName}) took over this console; this connection is closed\r\n`);
    expect(notes).toEqual([`console host ${firstName} displaced by ${secondName}`]);
  });

  it('an exclusive link keeps its first host and refuses the others', async () => {
    const board = new RecordingConsole();
    const notes: string[] = [];
    const tcp = await start({ console: board, exclusive: true, onNote: (text) => notes.push(text) });
    const first = await connect(tcp.port);
    first.send('\n');
    await until(() => tcp.hostConnected);
    const intruder = await connect(tcp.port);
    const intruderName = `127.0.0.1:${intruder.socket.localPort}`;
    await intruder.closed;
    board.emit('still yours');
    await first.waitFor((t) => t === 'still yours');
    expect(notes).toEqual([`console refused a second connection from ${intruderName}: this link serves one host only`]);
  });

  it('drops board output while no host is connected', async () => {
    const board = new RecordingConsole();
    const tcp = await start({ console: board });
    board.emit('nobody hears this');
    const host = await connect(tcp.port);
    await until(() => tcp.hostConnected);
    board.emit('>');
    expect(await host.waitFor((t) => t.length > 0)).toBe('>');
  });

  it('survives a host that vanishes while the board is writing, and serves the next one', async () => {
    const board = new RecordingConsole();
    let disconnects = 0;
    const tcp = await start({ console: board, onHostDisconnected: () => disconnects++ });
    const host = await connect(tcp.port);
    await until(() => tcp.hostConnected);

    const chunk = 'x'.repeat(64 * 1024);
    host.socket.once('data', () => host.socket.resetAndDestroy()); // RST, mid-stream
    for (let i = 0; i < 64 && disconnects === 0; i++) {
      board.emit(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await until(() => disconnects === 1);
    for (let i = 0; i < 8; i++) board.emit(chunk); // writes after the host left are dropped quietly

    const next = await connect(tcp.port);
    await until(() => tcp.hostConnected);
    board.emit('still here');
    await next.waitFor((t) => t === 'still here');
  });

  it('caps output queued for a host that does not read', async () => {
    const board = new RecordingConsole();
    const tcp = await start({ console: board, maxQueuedBytes: 64 * 1024 });
    const host = await connect(tcp.port);
    await until(() => tcp.hostConnected);
    host.socket.pause();
    const block = 'y'.repeat(16 * 1024);
    for (let i = 0; i < 2048; i++) board.emit(block); // 32 MiB offered to a host that does not read
    host.socket.resume();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // What got through: the 64 KiB queue plus what the kernel's socket buffers held.
    expect(host.text().length).toBeGreaterThan(0);
    expect(host.text().length).toBeLessThan(16 * 1024 * 1024);
  });

  it('close() disconnects the host, detaches from the board and frees the port', async () => {
    const board = new RecordingConsole();
    const tcp = await startTcpConsole({ console: board });
    const host = await connect(tcp.port);
    await until(() => tcp.hostConnected);
    expect(board.listenerCount).toBe(1);

    await tcp.close();
    await tcp.close(); // idempotent
    await host.closed;
    expect(board.listenerCount).toBe(0);
    await expect(connectTestClient(tcp.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('reports a port already in use as a rejected start', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const board = new RecordingConsole();
    await expect(startTcpConsole({ console: board, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(board.listenerCount).toBe(0);
    await new Promise((resolve) => taken.close(resolve));
  });
});
