// Console RPC and the local API against the strap firmware on a virtual board
// reached over TCP in real time (paced), as a bench tool reaches it: request
// frames typed on the console, reply and event frames picked out of the log
// lines, noise on the line, a reboot, and the local API on top.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApi } from '../host-bridge/api/local-api';
import { connectConsole } from '../host-bridge/console/index';
import { connectNodeWebSocket } from '../host-bridge/api/testing/node-websocket-client';
import type { BoardIdentity, ConsoleClient, Transport } from '../host-bridge/contracts';
import { RpcClient, type FirmwareEvent } from '../host-bridge/rpc/rpc-client';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from './rigs/virtual/virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { until } from '../testing/until';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');

/**
 * The least ConsoleClient the RpcClient needs, straight on a TCP socket:
 * send() writes an echo-off line, 'line' carries what the board printed.
 * (The project's ConsoleClient lives in host-bridge/console once it lands.)
 */
class TcpLineConsole extends EventEmitter implements ConsoleClient {
  readonly transport: Transport;
  private partial = '';
  private constructor(private readonly socket: net.Socket) {
    super();
    this.transport = { port: 'tcp', isOpen: true, write: async (data: Buffer | string) => void socket.write(data) } as unknown as Transport;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      const lines = (this.partial + chunk).split('\n');
      this.partial = lines.pop()!;
      for (const line of lines) this.emit('line', line.replace(/\r$/, ''));
    });
  }
  static async connect(port: number): Promise<TcpLineConsole> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new TcpLineConsole(socket);
  }
  async send(code: string): Promise<void> {
    this.socket.write(Buffer.from('\x10' + code + '\n', 'latin1'));
  }
  async interrupt(): Promise<void> {
    this.socket.write('\x03');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  async evaluate<T>(): Promise<T> {
    throw new Error('not used');
  }
  async identify(): Promise<BoardIdentity> {
    return { board: 'PUCKJS', version: '2v29', env: {} };
  }
  async close(): Promise<void> {
    this.socket.destroy();
  }
}

let rig: VirtualBoardOnTcp | undefined;
let console_: ConsoleClient | undefined;
let rpc: RpcClient | undefined;
let api: LocalApi | undefined;
afterEach(async () => {
  await api?.close();
  rpc?.close();
  await console_?.close();
  await rig?.stop();
  rig = console_ = rpc = api = undefined;
});

type ConsoleFactory = (rig: VirtualBoardOnTcp) => Promise<ConsoleClient>;

const CONSOLES: [string, ConsoleFactory][] = [
  ['a bare TCP line console', (r) => TcpLineConsole.connect(r.tcp.port)],
  // Lines come cleaned for people (control bytes gone): frames are found by layout and CRC.
  ["the project's console client (host-bridge/console)", (r) => connectConsole(r.tcp.url)],
];

/** Raw bytes on the wire, as noise or a half line would be. */
const noise = (console: ConsoleClient, text: string) => console.transport.write(Buffer.from(text, 'latin1'));

async function strapOnTcp(makeConsole: ConsoleFactory) {
  rig = await startVirtualBoardOnTcp();
  rig.board.writeFile('.bootcde', FIRMWARE);
  rig.board.hardReset();
  await rig.waitForOutput(/boot #1/);
  console_ = await makeConsole(rig);
  rpc = new RpcClient(console_, { timeoutMs: 1500 });
  return { rig, console: console_, rpc };
}

describe.each(CONSOLES)('console RPC with the strap firmware on a virtual board over TCP, through %s', (_name, makeConsole) => {
  it('answers status and verifies the stored firmware by its CRC-32', async () => {
    const { rpc } = await strapOnTcp(makeConsole);
    await expect(rpc.status()).resolves.toMatchObject({ fw: 'strap 0.1.0', board: 'PUCKJS', mode: 'normal', boots: 1 });
    await expect(rpc.storageCrc32('.bootcde')).resolves.toEqual({ name: '.bootcde', size: FIRMWARE.length, crc32: crc32(Buffer.from(FIRMWARE, 'latin1')) >>> 0 });
  });

  it('resyncs after noise and a half line on the wire: the damaged attempt is retried and answered', async () => {
    const { rpc, console } = await strapOnTcp(makeConsole);
    // An open bracket leaves the board waiting for the rest of a statement: the retry's Ctrl-C clears it.
    await noise(console, '\x1eR|zz|1|{"half":');
    await noise(console, '#&*(garbage');
    await expect(rpc.ping('after noise')).resolves.toMatchObject({ echo: 'after noise' });
    const afterFirst = rpc.stats.timeouts;
    expect(afterFirst).toBeGreaterThanOrEqual(1);
    // Balanced noise makes one attempt a syntax error on the board.
    await noise(console, '%%noise%%');
    await expect(rpc.status()).resolves.toMatchObject({ mode: 'normal' });
    expect(rpc.stats.timeouts).toBeGreaterThan(afterFirst);
  });

  it('streams button events, and after a reboot subscribes again by itself', async () => {
    const { rpc, rig } = await strapOnTcp(makeConsole);
    const events: FirmwareEvent[] = [];
    rpc.on('event', (e) => events.push(e));
    await rpc.subscribe();
    rig.board.pressButton(150);
    await until(() => events.some((e) => e.name === 'btn'), 10_000);
    await rpc.reboot(20);
    await until(() => events.some((e) => e.name === 'boot' && e.boots === 2), 10_000);
    expect(events.map((e) => `${e.boots}.${e.seq}.${e.name}`)).toEqual(['1.1.boot', '1.2.btn', '2.1.boot']);
  });

  it('serves the local API: /status over HTTP and events over WebSocket', async () => {
    const { rpc, rig } = await strapOnTcp(makeConsole);
    api = await startLocalApi({ rpc, announce: () => undefined });
    const status = await fetch(`${api.url}/status`, { headers: { Authorization: `Bearer ${api.token}` } });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ fw: 'strap 0.1.0', boots: 1 });
    const client = connectNodeWebSocket(`ws://127.0.0.1:${api.port}/events`, ['strap-events', `bearer.${api.token}`]);
    try {
      await client.waitFor((m) => m.some((x) => x.type === 'subscribed'));
      rig.board.pressButton(150);
      await client.waitFor((m) => m.some((x) => x.type === 'event' && x.name === 'btn'));
      expect(client.messages().filter((x) => x.type === 'event').map((x) => x.name)).toEqual(['boot', 'btn']);
      expect(client.messages().some((x) => x.type === 'log' && /\[btn\] press/.test(x.line))).toBe(true);
    } finally {
      await client.stop();
    }
  }, 30_000);
});
