// `strap flash` as a user runs it (node bin/strap.js in a child process)
// against the virtual board on TCP: it flashes dist/strap.js verified and the
// strap boots it; a board without our firmware is refused (exit 4) with
// Storage untouched, unless --force. Bundles are given with --file: a build
// here would rewrite dist/strap.js under the other test files.
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runStrap } from '../cli/testing/run-strap';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from './virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');
const PHASES = ['identify', 'prepare', 'upload', 'verify', 'activate', 'reset', 'banner'];

let rig: VirtualBoardOnTcp | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('strap flash on the virtual board over TCP', () => {
  it('flashes the bundle, verified by CRC-32, and the strap boots it: --json result, one progress line per phase', async () => {
    rig = await startVirtualBoardOnTcp();
    rig.board.writeFile('.bootcde', FIRMWARE);
    rig.board.hardReset();
    await rig.waitForOutput(/boot #1/);
    const run = await runStrap(['flash', '--port', rig.tcp.url, '--file', 'dist/strap.js', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ bytes: FIRMWARE.length, crc32: crc32(Buffer.from(FIRMWARE, 'latin1')) >>> 0, slot: expect.stringMatching(/^strap\.[ab]$/) });
    expect(result.banner).toMatch(/^strap 0\.1\.0 on PUCKJS \(Espruino 2v29\), boot #2$/);
    expect(result.previous).toContain('strap 0.1.0');
    // Not a terminal: each phase once, as it ended; the upload complete.
    const lines = run.stderr.split('\n').filter((l) => /^\w+ +\[[#-]+\]/.test(l));
    expect(lines.map((l) => l.split(' ')[0])).toEqual(PHASES);
    expect(lines[2]).toMatch(/\[#+\] 100%/);
    const status = await runStrap(['status', '--port', rig.tcp.url, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ fw: 'strap 0.1.0', boots: 2 });
  });

  it('refuses a board without the strap firmware: exit 4, found named, Storage untouched', async () => {
    rig = await startVirtualBoardOnTcp();
    await rig.waitForOutput(/>$/);
    const run = await runStrap(['flash', '--port', rig.tcp.url, '--file', 'dist/strap.js']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('no strap firmware on this board (found: PUCKJS, Espruino 2v29, no boot code)');
    for (const file of ['.bootcde', 'strap.a', 'strap.b']) expect(rig.board.readFile(file)).toBeUndefined();
    expect(rig.output()).not.toContain('strap 0.1.0');
  });

  it('--force flashes a board with plain Espruino, which then boots the strap', async () => {
    rig = await startVirtualBoardOnTcp();
    await rig.waitForOutput(/>$/);
    const run = await runStrap(['flash', '--port', rig.tcp.url, '--file', 'dist/strap.js', '--force']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^flashed .*dist\/strap\.js \(\d+\.\d KB, crc32 [0-9a-f]{8}\) into slot strap\.[ab]/);
    expect(run.stdout).toMatch(/now: +strap 0\.1\.0 on PUCKJS \(Espruino 2v29\), boot #\d+/);
    await rig.waitForOutput(/strap 0\.1\.0 on PUCKJS/);
  });

  it('a bundle file that does not exist is a usage error (exit 2), before anything is sent', async () => {
    rig = await startVirtualBoardOnTcp();
    const run = await runStrap(['flash', '--port', rig.tcp.url, '--file', 'dist/no-such-bundle.js']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read the bundle');
    expect(run.stderr).toContain('no-such-bundle.js');
  });
});
