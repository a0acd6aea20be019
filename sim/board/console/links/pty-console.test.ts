import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectBytes } from '../../../../testing/byte-collector';
import { startPtyConsole, type PtyConsole } from './pty-console';
import { findSocat, SOCAT_MISSING_MESSAGE } from './socat-binary';
import { FakeBoardConsole } from './testing/fake-board-console';
import { RecordingConsole } from './testing/recording-console';

const socat = findSocat();
const ALL_BYTES = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');

let dir: string;
const links: PtyConsole[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'strap-pty-'));
});
afterEach(async () => {
  await Promise.all(links.splice(0).map((link) => link.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(board: RecordingConsole | FakeBoardConsole, name = 'ttyStrap0'): Promise<PtyConsole> {
  const link = await startPtyConsole({ console: board, linkPath: path.join(dir, name) });
  links.push(link);
  return link;
}

describe.skipIf(!socat)('pseudo-terminal console (needs socat: Debian package socat)', () => {
  it('opens through serialport by its symlink path and carries a console session', async () => {
    const board = new FakeBoardConsole();
    const link = await start(board);
    expect(link.devicePath).toMatch(/^\/dev\/pts\/\d+$/);

    const port = await openSerial(link.linkPath);
    const reader = collectBytes(port);
    port.write('1+2\n');
    expect(await reader.waitFor((t) => t.endsWith('=3\r\n>'))).toBe('1+2\r\n=3\r\n>');
    await closeSerial(port);
  });

  it('passes every byte value unchanged both ways (raw, no echo, ^C and XON/XOFF are data)', async () => {
    const board = new RecordingConsole();
    const link = await start(board);
    const port = await openSerial(link.linkPath);
    const reader = collectBytes(port);

    port.write(Buffer.from(ALL_BYTES, 'latin1'));
    expect(await board.waitForBytes(256)).toBe(ALL_BYTES);
    board.emit(ALL_BYTES);
    expect(await reader.waitFor((t) => t.length >= 256)).toBe(ALL_BYTES);
    await closeSerial(port);
  });

  it('stays up while hosts close and reopen the device', async () => {
    const board = new RecordingConsole();
    const link = await start(board);
    for (const word of ['first', 'second', 'third']) {
      const port = await openSerial(link.linkPath);
      const reader = collectBytes(port);
      port.write(word);
      await board.waitForBytes(board.receivedText.length + word.length);
      board.emit(`ack ${word}`);
      await reader.waitFor((t) => t.endsWith(`ack ${word}`));
      await closeSerial(port);
    }
    expect(board.receivedText).toBe('firstsecondthird');
  });

  it('close() stops socat and removes the symlink', async () => {
    const link = await start(new RecordingConsole());
    expect(existsSync(link.linkPath)).toBe(true);
    await link.close();
    await link.close(); // idempotent
    const exit = await link.exited;
    expect(exit.signal ?? exit.code).not.toBeNull();
    expect(existsSync(link.linkPath)).toBe(false);
  });

  it('replaces a stale symlink left by an earlier run', async () => {
    const linkPath = path.join(dir, 'ttyStale');
    symlinkSync('/dev/null', linkPath);
    const link = await start(new RecordingConsole(), 'ttyStale');
    expect(link.devicePath).toMatch(/^\/dev\/pts\/\d+$/);
  });
});

describe('pseudo-terminal console start-up errors', () => {
  it('names the Debian package when socat is missing', async () => {
    const savedPath = process.env.PATH;
    process.env.PATH = dir; // an empty directory: no socat on PATH
    try {
      await expect(startPtyConsole({ console: new RecordingConsole(), linkPath: path.join(dir, 'tty0') })).rejects.toThrow(
        SOCAT_MISSING_MESSAGE,
      );
    } finally {
      process.env.PATH = savedPath;
    }
    await expect(
      startPtyConsole({ console: new RecordingConsole(), linkPath: path.join(dir, 'tty0'), socatPath: path.join(dir, 'socat') }),
    ).rejects.toThrow('install socat (Debian package socat)');
  });

  it('refuses link paths that socat would misparse, or that are not symlinks', async () => {
    const board = new RecordingConsole();
    await expect(startPtyConsole({ console: board, linkPath: path.join(dir, 'tty,0') })).rejects.toThrow(/socat syntax/);
    await expect(startPtyConsole({ console: board, linkPath: 'relative/tty0' })).rejects.toThrow(/absolute/);
    const regular = path.join(dir, 'regular-file');
    writeFileSync(regular, 'keep me');
    if (socat) {
      await expect(startPtyConsole({ console: board, linkPath: regular })).rejects.toThrow(/not a symlink/);
      expect(existsSync(regular)).toBe(true);
    }
  });
});

function openSerial(devicePath: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path: devicePath, baudRate: 9600, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(port)));
  });
}

function closeSerial(port: SerialPort): Promise<void> {
  return new Promise((resolve) => port.close(() => resolve()));
}
