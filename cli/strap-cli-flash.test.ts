// `strap flash` as a user runs it (node bin/strap.js in a child process)
// against the virtual board on TCP: it flashes dist/strap.js verified and the
// strap boots it; a board without our firmware is refused (exit 4) with
// Storage untouched, unless --force. Bundles are given with --file: a build
// here would rewrite dist/strap.js under the other test files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runStrap, startStrap } from './testing/run-strap';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from '../hil/rigs/virtual/virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { miniFirmware, withVersion } from '../hil/mini-firmware';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');
const PHASES = ['identify', 'prepare', 'upload', 'verify', 'activate', 'reset', 'banner'];

let rig: VirtualBoardOnTcp | undefined;
let dir: string | undefined;
afterEach(async () => {
  await rig?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  rig = dir = undefined;
});

/** A bundle written to a temporary file, for --file. */
function bundleFile(name: string, text: string): string {
  dir ??= mkdtempSync(path.join(tmpdir(), 'strap-flash-cli-'));
  const file = path.join(dir, name);
  writeFileSync(file, text, 'latin1');
  return file;
}

/** What the board boots after a power cycle: its banner, or the loader's SAFE MODE line. */
async function bootedAfterPowerCycle(board: VirtualBoardOnTcp): Promise<string> {
  const mark = board.output().length;
  board.board.powerCycle(100);
  const pattern = /strap \S+ on PUCKJS \(Espruino 2v29\), boot #\d+|strap loader: SAFE MODE/g;
  for (let i = 0; i < 200 && !board.output().slice(mark).match(pattern); i++) await new Promise((r) => setTimeout(r, 20));
  return board.output().slice(mark).match(pattern)?.[0] ?? 'nothing';
}

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
    expect(run.stdout).toMatch(/^flashed .*dist\/strap\.js \(strap 0\.1\.0, \d+\.\d KB, crc32 [0-9a-f]{8}\) into slot strap\.[ab]/);
    expect(run.stdout).toMatch(/now: +strap 0\.1\.0 on PUCKJS \(Espruino 2v29\), boot #\d+/);
    expect(run.stdout).toMatch(/fallback: none/);
    await rig.waitForOutput(/strap 0\.1\.0 on PUCKJS/);
  });

  it('a bundle file that does not exist is a usage error (exit 2), before anything is sent', async () => {
    rig = await startVirtualBoardOnTcp();
    const run = await runStrap(['flash', '--port', rig.tcp.url, '--file', 'dist/no-such-bundle.js']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^strap flash: --file \S*dist\/no-such-bundle\.js: no such file\n$/);
  });

  it('Ctrl-C during the upload: says what the board boots and the command that finishes (exit 130); it boots that, and the command finishes', async () => {
    rig = await startVirtualBoardOnTcp();
    rig.board.writeFile('.bootcde', FIRMWARE);
    rig.board.hardReset();
    await rig.waitForOutput(/boot #1/);
    const next = bundleFile('next.js', withVersion(FIRMWARE, '0.1.0', '0.2.0'));
    const args = ['flash', '--port', rig.tcp.url, '--file', next];
    const run = startStrap(args);
    run.child.stdin.end();
    await run.waitFor('stderr', /^prepare +\[/m); // prepare ended: the upload is under way
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain('strap flash: Ctrl-C: stopping at the next step or packet');
    const claim = /^strap flash: (?:\S+: )?stopped on request.*; the board boots (.*)$/m.exec(stopped.stderr)?.[1];
    expect(claim, stopped.stderr).toBeDefined();
    expect(stopped.stderr).toContain(`strap flash: to finish: strap flash --port ${rig.tcp.url} --file ${next}\n`);
    const booted = await bootedAfterPowerCycle(rig);
    if (claim!.startsWith('strap 0.2.0')) expect(booted).toMatch(/^strap 0\.2\.0/);
    else if (claim!.startsWith('strap 0.1.0')) expect(booted).toMatch(/^strap 0\.1\.0/);
    else expect([claim, booted]).toEqual([expect.stringMatching(/^the strap loader's safe mode/), 'strap loader: SAFE MODE']);

    const again = await runStrap(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/now: +strap 0\.2\.0 on PUCKJS/);
  });

  it('a bundle that is not a strap firmware (a syntax error here): exit 2, nothing sent, --force named', async () => {
    rig = await startVirtualBoardOnTcp();
    rig.board.writeFile('.bootcde', FIRMWARE);
    rig.board.hardReset();
    await rig.waitForOutput(/boot #1/);
    const run = await runStrap(['flash', '--port', rig.tcp.url, '--file', bundleFile('broken.js', 'function (\n')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'strap flash: the bundle is not a strap firmware: it is not valid JavaScript: Unexpected token (1:9); nothing was sent\nstrap flash: --force flashes it anyway\n',
    );
    expect(rig.board.readFile('.bootcde')).toBe(FIRMWARE);
  });

  it('--rollback boots the firmware kept in the other slot; with none kept it says so (exit 1)', async () => {
    rig = await startVirtualBoardOnTcp();
    await rig.waitForOutput(/>$/);
    const port = rig.tcp.url;
    expect((await runStrap(['flash', '--port', port, '--file', bundleFile('a.js', miniFirmware('1.0.0', 600)), '--force'])).code).toBe(0);
    const second = await runStrap(['flash', '--port', port, '--file', bundleFile('b.js', miniFirmware('1.1.0', 600))]);
    expect(second.stdout).toContain(`fallback: strap 1.0.0 (slot a) stays in the other slot (strap flash --port ${port} --rollback boots it again)`);
    const back = await runStrap(['flash', '--port', port, '--rollback']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toMatch(new RegExp(`^rolled back: ${port} boots strap 1\\.0\\.0 \\(slot a\\) again \\(strap\\.b's record erased\\)\n  now: +strap 1\\.0\\.0 on PUCKJS`));
    expect(await bootedAfterPowerCycle(rig)).toMatch(/^strap 1\.0\.0/);
    const none = await runStrap(['flash', '--port', port, '--rollback']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('strap 1.0.0 (slot a) is the only valid firmware: nothing to roll back to');
  });
});
