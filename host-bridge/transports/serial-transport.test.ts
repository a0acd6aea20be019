import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTransport, PortClosedError, PortOpenError, SerialTransport } from './index';
import { collectBytes } from '../../testing/byte-collector';
import { nextEvent } from '../../testing/next-event';
import { findSocatBinary, startPtyPair, type PtyPair } from './testing/socat-pty-pair';

let dir: string;
const pairs: PtyPair[] = [];
const open: { close(): Promise<void> }[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'strap-serial-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  await Promise.all(pairs.splice(0).map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function pair(): Promise<PtyPair> {
  const p = await startPtyPair(dir);
  pairs.push(p);
  return p;
}

async function serial(devicePath: string, baudRate?: number): Promise<SerialTransport> {
  const t = (await openTransport(devicePath, { baudRate })) as SerialTransport;
  open.push(t);
  return t;
}

describe.skipIf(!findSocatBinary())('serial transport on pseudo-terminals (needs socat)', () => {
  it('opens a pty by its symlink path (no list()) at 9600 baud and carries every byte value', async () => {
    const { a, b } = await pair();
    const host = await serial(a);
    const board = await serial(b);
    expect(host.baudRate).toBe(9600);
    const atBoard = collectBytes(board);
    const atHost = collectBytes(host);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await host.write(all);
    expect(Buffer.from(await atBoard.waitFor((t) => t.length >= 256), 'latin1')).toEqual(all);
    await board.write('\r\n>');
    expect(await atHost.waitFor((t) => t.endsWith('>'))).toBe('\r\n>');
  });

  it('changes the line speed of an open port', async () => {
    const { a } = await pair();
    const host = await serial(a, 115200);
    expect(host.baudRate).toBe(115200);
    await host.setBaudRate(9600);
    expect(host.baudRate).toBe(9600);
  });

  it('closes with a PortClosedError naming the device when the other end vanishes', async () => {
    const p = await pair();
    const host = await serial(p.a);
    const closed = nextEvent<Error | undefined>(host, 'close');
    await p.stop();
    const error = await closed;
    expect(error).toBeInstanceOf(PortClosedError);
    expect(error!.message).toContain(`${p.a} went away`);
    expect(host.isOpen).toBe(false);
    await expect(host.write('x')).rejects.toThrow(`${p.a} is not open`);
  });

  it('notices a vanished pty even when a killed socat leaves its symlink behind', async () => {
    const p = await pair();
    const host = await serial(p.a);
    const closed = nextEvent<Error | undefined>(host, 'close');
    await p.stop('SIGKILL');
    const error = await closed;
    expect(error).toBeInstanceOf(PortClosedError);
    expect(error!.message).toMatch(/went away/);
  });

  it('a close() we asked for emits close without an error', async () => {
    const { a } = await pair();
    const host = await serial(a);
    const closed = nextEvent<Error | undefined>(host, 'close');
    await host.close();
    expect(await closed).toBeUndefined();
  });
});

describe('serial transport errors', () => {
  it('names a missing device and says what to check', async () => {
    const missing = path.join(dir, 'ttyNothing');
    await expect(openTransport(missing)).rejects.toThrow(PortOpenError);
    await expect(openTransport(missing)).rejects.toThrow(new RegExp(`cannot open ${missing}: .*is the board plugged in`));
  });

  it('refuses a baud rate that is not a positive integer', () => {
    expect(() => new SerialTransport('/dev/null', { baudRate: 0 })).toThrow(/positive integer/);
  });
});
