// A virtual controller served as H4 over TCP: a host stack in another process joins the air.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../testing/until';
import { encodeH4, H4PacketType } from '../../protocols/ble/hci/h4';
import { opcode } from '../../protocols/ble/hci/opcodes';
import { encodeCommand } from '../../protocols/ble/hci/packets';
import { PacedDriver } from '../clock/paced-driver';
import { VirtualClock } from '../clock/virtual-clock';
import { Air } from './air';
import { startH4TcpServer } from './h4-tcp-server';
import type { H4TcpServer } from './h4-tcp-server';
import { createRadioDevice } from './radio-device';
import { runUntil } from './run-until';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(seed: number) {
  const clock = new VirtualClock();
  const air = new Air({ clock, seed });
  const remote = air.addController({ name: 'remote', publicAddress: 'C0:00:00:00:0E:01' });
  const driver = new PacedDriver(clock, { scale: 1 });
  const server: H4TcpServer = await startH4TcpServer(remote, clock, { afterHostPacket: () => (driver.isRunning ? driver.poke() : clock.runDue()) });
  cleanups.push(() => server.close());
  return { clock, air, remote, server, driver };
}

describe('H4 over TCP', () => {
  it('answers a raw command from a TCP client (an unknown opcode: Command Complete, status 0x01)', async () => {
    const { server } = await serve(1);
    const socket = net.connect(server.port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    const received: number[] = [];
    socket.on('data', (chunk: Buffer) => received.push(...chunk));
    const vendor = opcode(0x3f, 0x0001);
    socket.write(encodeH4(H4PacketType.COMMAND, encodeCommand(vendor)));
    await until(() => received.length >= 7);
    expect(received).toEqual([0x04, 0x0e, 0x04, 0x01, vendor & 0xff, vendor >> 8, 0x01]);
  });

  it('one host at a time: a new connection takes the controller over, the old one is closed and hears nothing more', async () => {
    const { server } = await serve(2);
    const first = net.connect(server.port, '127.0.0.1');
    cleanups.push(() => void first.destroy());
    let firstClosed = false;
    const firstHeard: number[] = [];
    first.on('data', (chunk: Buffer) => firstHeard.push(...chunk));
    first.on('close', () => (firstClosed = true));
    await new Promise((r) => first.once('connect', r));
    const second = net.connect(server.port, '127.0.0.1');
    cleanups.push(() => void second.destroy());
    const received: number[] = [];
    second.on('data', (chunk: Buffer) => received.push(...chunk));
    await until(() => firstClosed);
    const vendor = opcode(0x3f, 0x0002);
    second.write(encodeH4(H4PacketType.COMMAND, encodeCommand(vendor)));
    await until(() => received.length >= 7);
    expect(received).toEqual([0x04, 0x0e, 0x04, 0x01, vendor & 0xff, vendor >> 8, 0x01]);
    expect(firstHeard).toEqual([]);
  });

  it('lets ble-host in another process initialise the controller and advertise to a device on the air', async () => {
    const { clock, air, server, driver } = await serve(2);
    const phone = createRadioDevice({ air, name: 'phone', address: 'C0:00:00:00:0E:02', bondDir: mkdtempSync(join(tmpdir(), 'radio-tcp-')) });
    let manager: Parameters<Parameters<typeof phone.startHost>[0]>[1] | undefined;
    phone.startHost((err, m) => (manager = err ? undefined : m));
    expect(runUntil(clock, () => manager !== undefined, 1000)).toBe(true);
    const names: string[] = [];
    manager!.startScan({}).on('report', (r: { parsedDataItems: { localName?: string } }) => names.push(r.parsedDataItems.localName ?? ''));

    const script = fileURLToPath(new URL('./testing/ble-host-over-tcp.ts', import.meta.url));
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, String(server.port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => void child.kill());
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    driver.start();
    cleanups.push(() => driver.stop());
    await until(() => out.includes('\n') || child.exitCode !== null, { timeoutMs: 20_000, describe: () => `stdout ${out} stderr ${err}` });
    expect(JSON.parse(out.split('\n')[0]!)).toEqual({ ok: true });
    await until(() => names.includes('remote'), { timeoutMs: 10_000, describe: () => `heard ${JSON.stringify(names)}` });
  }, 40_000);
});
