/**
 * The real EspruinoTools CLI (node_modules/espruino, 0.1.67) against the REPL
 * behind a TCP socket: what a host tool sees of the virtual board's console.
 * `--no-ble` and `--board <file>` keep it offline (no Bluetooth scan, no
 * process.env query, no board JSON download).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestBoardServer, type TestBoardServer } from './test-board-server';

const CLI = fileURLToPath(new URL('../../../node_modules/espruino/bin/espruino-cli.js', import.meta.url));
const BOARD = fileURLToPath(new URL('./testdata/board.json', import.meta.url));

interface CliRun {
  code: number | null;
  stdout: string;
}

/** Runs the CLI against `board`; hangs up once `doneWhen` holds (the CLI only exits by itself after longer uploads). */
function runCli(board: TestBoardServer, args: string[], doneWhen?: () => boolean): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--no-ble', '--board', BOARD, '-p', `tcp://127.0.0.1:${board.port}`, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    const poll = setInterval(() => {
      if (doneWhen?.()) board.hangUp();
    }, 50);
    const timeout = setTimeout(() => {
      child.kill();
      reject(new Error('espruino CLI did not finish:\n' + stdout));
    }, 25_000);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timeout);
      resolve({ code, stdout });
    });
  });
}

describe('the espruino CLI talking to the REPL over TCP', () => {
  let board: TestBoardServer | undefined;
  afterEach(async () => {
    await board?.close();
    board = undefined;
  });

  it('gets a prompt with one newline and evaluates -e "1+2" to 3 (sent as a DLE line, so no =3 comes back)', async () => {
    board = await startTestBoardServer();
    const b = board;
    const run = await runCli(b, ['-e', '1+2'], () => b.received().endsWith('\x101+2\n\n'));
    expect(run.code).toBe(0);
    // "\n" to find the prompt (answered, so no Ctrl-C), then DLE-prefixed lines from CodeWriter.
    expect(b.received()).toBe('\n\x10print()\n\x101+2\n\n');
    expect(b.engine.evaluated).toEqual(['print()', '1+2']);
    expect(b.engine.results).toEqual([undefined, 3]);
    // Espruino prints no result for a DLE line: the real board answers this with print()'s newline and a prompt.
    expect(b.sent()).toBe('>\r\n>\r\n>');
    expect(run.stdout).not.toContain('=3');
  });

  it('brings the value back through print: -e "print(1+2)" shows 3', async () => {
    board = await startTestBoardServer();
    const run = await runCli(board, ['-e', 'print(1+2)']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--\] 3\r\n/); // the CLI logs each received line, \r included
    expect(board.received()).toBe('\n\x10print()\n\x10print(1+2)\n\n');
  });

  it('uploads a file with SAVE_ON_SEND=1 into Storage as .bootcde in chunks, then load() runs it', async () => {
    board = await startTestBoardServer();
    const dir = mkdtempSync(join(tmpdir(), 'repl-cli-'));
    const file = join(dir, 'app.js');
    const lines = ['var greeting = "hello \\"strap\\"";', 'function hi() {', '  print(greeting);', '}'];
    for (let i = 0; i < 60; i++) lines.push(`var filler${i} = ${i}; // padding so the upload takes more than one 1024-byte chunk`);
    lines.push('hi();', '');
    const code = lines.join('\n');
    writeFileSync(file, code);
    const run = await runCli(board, ['--config', 'SAVE_ON_SEND=1', file]);
    expect(run.code).toBe(0);
    expect(code.length).toBeGreaterThan(2048);
    expect(board.engine.storage.get('.bootcde')).toBe(code);
    const rx = board.received();
    expect(rx.startsWith('\n\x10reset();\n\x10print()\n')).toBe(true);
    expect(rx).toContain(`\x10require("Storage").write(".bootcde",`);
    expect(rx).toContain(`,0,${code.length});\n`);
    expect(rx).toContain(',1024);\n');
    expect(rx).toContain(',2048);\n');
    expect(rx.endsWith('\x10load()\n\n')).toBe(true);
    expect(run.stdout).toMatch(/--\] [^\n]*hello "strap"\r\n/); // after the erase of the prompt: "\r\x1b[J"
  });
});
