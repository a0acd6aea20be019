/**
 * The real espruino CLI against a board console served by startTcpConsole,
 * with the project's board description: flashing and -e work with nothing
 * fetched from the network. (Spawns the CLI directly: sim/ does not import
 * host-bridge/.)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTcpConsole, type TcpConsole } from './tcp-console';
import { FakeBoardConsole } from './testing/fake-board-console';

const BOARD_JSON = fileURLToPath(new URL('../../espruino-board.json', import.meta.url));
const require = createRequire(import.meta.url);
const CLI = path.join(path.dirname(require.resolve('espruino/package.json')), 'bin/espruino-cli.js');
const OFFLINE = ['--no-ble', '--board', BOARD_JSON, '--config', 'MODULE_URL=', '--config', 'COMPILATION=false'];

let dir: string;
let tcp: TcpConsole | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'strap-cli-tcp-'));
});
afterEach(async () => {
  await tcp?.close();
  tcp = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function serve(board: FakeBoardConsole): Promise<TcpConsole> {
  tcp = await startTcpConsole({ console: board, onHostConnected: () => board.showPrompt() });
  return tcp;
}

function cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
  });
}

describe('espruino CLI over the TCP console with sim/board/espruino-board.json', () => {
  it('describes a Puck.js on 2v29 with the fields the CLI reads', () => {
    const board = JSON.parse(readFileSync(BOARD_JSON, 'utf8'));
    expect(board.BOARD).toBe('PUCKJS');
    expect(board.VERSION).toBe('2v29');
    expect(board.info.binary_version).toBe('2v29'); // the CLI sets VERSION (and so Storage uploads) from it
    expect(board.info.builtin_modules).toEqual(expect.arrayContaining(['Storage', 'crypto']));
    expect(board.chip).toMatchObject({ part: 'NRF52832', family: 'NRF52', ram: 64, flash: 512 });
    expect(board.chip.saved_code).toEqual({ address: 0x6c000, page_size: 4096, pages: 10, flash_available: 308 });
  });

  it('flashes a file into Storage as .bootcde and loads it, fetching nothing', async () => {
    const board = new FakeBoardConsole();
    const { url } = await serve(board);
    const code = 'var n = 0;\nfunction tick() {\n  n++;\n}\nsetInterval(tick, 1000);\n';
    const file = path.join(dir, 'app.js');
    writeFileSync(file, code);

    const { stdout } = await cli([...OFFLINE, '-v', '--config', 'SAVE_ON_SEND=1', file, '-p', url]);

    expect(stdout).toContain('Upload Complete');
    expect(stdout).not.toMatch(/Loading https?:|getURL|No list of built-in modules/);
    expect(board.resets).toBe(1);
    expect(board.storage.get('.bootcde')).toBe(code);
    expect(board.loads).toEqual(['.bootcde']);
  });

  it('evaluates -e on the board without resetting it', async () => {
    const board = new FakeBoardConsole();
    const { url } = await serve(board);

    const { stdout } = await cli([...OFFLINE, '-e', 'print(process.env.BOARD, process.env.VERSION)', '-p', url]);

    expect(stdout).toMatch(/^--\] .*PUCKJS 2v29$/m);
    expect(board.resets).toBe(0);
    expect(board.receivedText).toBe('\n\x10print()\n\x10print(process.env.BOARD, process.env.VERSION)\n\n');
  });
});
