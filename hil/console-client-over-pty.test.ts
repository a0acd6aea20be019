// The console client on a real serial device: the virtual board's console on
// a pseudo-terminal (socat), opened through serialport by its path, as a
// bench board's /dev/ttyACM0 would be. The pty vanishing is a close with a
// clear error; with reconnect on, the client comes back when it returns.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectConsole, ConsoleClosedError, type EspruinoConsoleClient } from '../host-bridge/console/index';
import { PortClosedError } from '../host-bridge/transports/index';
import type { ConsolePort } from '../sim/board/console/console-contract';
import { startPtyConsole, type PtyConsole } from '../sim/board/console/links/pty-console';
import { findSocat } from '../sim/board/console/links/socat-binary';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from './rigs/virtual/virtual-board-on-tcp';

let dir: string;
let rig: VirtualBoardOnTcp | undefined;
let client: EspruinoConsoleClient | undefined;
const links: PtyConsole[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'strap-console-pty-'));
});
afterEach(async () => {
  await client?.close().catch(() => undefined);
  await Promise.all(links.splice(0).map((l) => l.close()));
  await rig?.stop();
  rig = client = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function boardOnPty(linkPath = path.join(dir, 'ttyStrap0')): Promise<{ rig: VirtualBoardOnTcp; link: PtyConsole }> {
  rig ??= await startVirtualBoardOnTcp();
  const board = rig.board;
  const port: ConsolePort = { input: (bytes) => board.console.input(bytes), onOutput: (listener) => board.console.onOutput(listener) };
  const link = await startPtyConsole({ console: port, linkPath });
  links.push(link);
  return { rig, link };
}

describe.skipIf(!findSocat())('console client over a pseudo-terminal (serialport; needs socat)', () => {
  it('evaluates, uploads with packets, and reads back at 9600 baud on a pty', async () => {
    const { link, rig } = await boardOnPty();
    client = await connectConsole(link.linkPath, { timeoutMs: 3000 });
    expect(await client.evaluate('process.env.VERSION')).toBe('2v29');
    expect(client.protocol).toBe('packets');
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff));
    await client.uploadFile('blob.bin', data);
    expect(Buffer.from(rig.board.readFile('blob.bin')!, 'latin1')).toEqual(data);
    expect(await client.readFile('blob.bin')).toEqual(data);
  });

  it('the pty vanishing mid-command is a close with the device named', async () => {
    const { link } = await boardOnPty();
    client = await connectConsole(link.linkPath, { protocol: 'text' });
    const closed = new Promise<Error | undefined>((resolve) => client!.on('close', resolve));
    rig!.board.evaluate('E.setConsole("Bluetooth")'); // the board stops answering
    const pending = client.evaluate('1', { timeoutMs: 10_000 });
    await link.close();
    await expect(pending).rejects.toThrow(ConsoleClosedError);
    await expect(pending).rejects.toThrow(`${link.linkPath} went away`);
    expect(await closed).toBeInstanceOf(PortClosedError);
  });

  it('with reconnect, comes back when the device is back at the same path', async () => {
    const { link } = await boardOnPty();
    client = await connectConsole(link.linkPath, { protocol: 'text', reconnect: { initialDelayMs: 50 } });
    expect(await client.evaluate('1')).toBe(1);
    const reconnected = new Promise<void>((resolve) => client!.on('reconnected', () => resolve()));
    await link.close();
    await boardOnPty(link.linkPath);
    await reconnected;
    await client.sync();
    expect(await client.evaluate('2')).toBe(2);
  });
});
