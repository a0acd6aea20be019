import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateArgs, evaluateOnBoard, flashBootCode, flashBootCodeArgs, paddedExpression } from './espruino-cli';
import { startFakeBoardServer, type FakeBoardServer } from './testing/fake-board-server';

// A board description of its own: host-bridge does not reach into sim/.
const BOARD_JSON = {
  BOARD: 'PUCKJS',
  VERSION: '2v29',
  info: { binary_version: '2v29', builtin_modules: ['Flash', 'Storage', 'heatshrink', 'crypto'] },
  chip: { part: 'NRF52832', family: 'NRF52', saved_code: { address: 442368, page_size: 4096, pages: 10 } },
};

let dir: string;
let boardJsonPath: string;
const boards: FakeBoardServer[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'strap-cli-'));
  boardJsonPath = path.join(dir, 'board.json');
  writeFileSync(boardJsonPath, JSON.stringify(BOARD_JSON));
});
afterEach(async () => {
  await Promise.all(boards.splice(0).map((board) => board.close()));
  rmSync(dir, { recursive: true, force: true });
});
async function board(behaviour?: 'board' | 'hang-up-after-first-line' | 'chatty'): Promise<FakeBoardServer> {
  const server = await startFakeBoardServer({ behaviour });
  boards.push(server);
  return server;
}

describe('espruino CLI: evaluate', () => {
  it('runs an expression on a board over TCP and returns what it printed', async () => {
    const fake = await board();
    const result = await evaluateOnBoard({ port: fake.url, boardJsonPath, expression: 'print("answer " + 6 * 7)' });

    expect(result.failure).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.boardLines.join('\n')).toContain('answer 42');
  });

  it('sends a newline for a prompt, then the expression as an echo-off line, and never resets', async () => {
    const fake = await board();
    const result = await evaluateOnBoard({ port: fake.url, boardJsonPath, expression: 'print("x", 1)' });

    expect(result.ok).toBe(true);
    expect(fake.received()).toBe('\n\x10print()\n\x10print("x", 1)\n\n');
    expect(fake.calls).toEqual([]);
  });

  it('completes for expressions too short for the CLI to report done', async () => {
    const fake = await board();
    const result = await evaluateOnBoard({ port: fake.url, boardJsonPath, expression: '1+2', timeoutMs: 8000 });

    expect(result.ok).toBe(true);
    expect(fake.received()).toBe('\n\x10print()\n\x10     1+2\n\n');
    expect(paddedExpression('-1')).toBe('      -1');
    expect(paddedExpression('-1 - 2 - 3')).toBe(' -1 - 2 - 3'); // not read as an option
  });

  it('reports a closed port as connection refused, without waiting for the timeout', async () => {
    const port = await closedPort();
    const result = await evaluateOnBoard({ port: `tcp://127.0.0.1:${port}`, boardJsonPath, expression: 'print(1)', timeoutMs: 20_000 });

    expect(result.ok).toBe(false);
    expect(result.failure?.kind).toBe('connection-refused');
    expect(result.failure?.message).toMatch(/connection refused/);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('kills the CLI and reports a timeout when the board never falls quiet', async () => {
    const fake = await board('chatty');
    const result = await evaluateOnBoard({ port: fake.url, boardJsonPath, expression: 'print("hi there")', timeoutMs: 3000 });

    expect(result.ok).toBe(false);
    expect(result.failure).toEqual({ kind: 'timeout', message: 'espruino CLI did not finish within 3000 ms' });
    expect(result.signal).toBe('SIGKILL');
    expect(result.boardLines).toContain('tick');
  });

  it('reports a board that hangs up mid-task as disconnected', async () => {
    const fake = await board('hang-up-after-first-line');
    const result = await evaluateOnBoard({ port: fake.url, boardJsonPath, expression: 'print("never runs")' });

    expect(result.ok).toBe(false);
    expect(result.failure?.kind).toBe('disconnected');
  });

  it('explains that a serial path the CLI cannot list (a pseudo-terminal) is not usable', async () => {
    const result = await evaluateOnBoard({ port: path.join(dir, 'ttyStrap0'), boardJsonPath, expression: 'print(1)' });

    expect(result.ok).toBe(false);
    expect(result.failure?.kind).toBe('port-not-found');
    expect(result.failure?.message).toMatch(/use tcp:\/\//);
  });
});

describe('espruino CLI: flash', () => {
  it('stores the file as .bootcde in 1 KB Storage writes after a reset, then loads it', async () => {
    const fake = await board();
    const code = Array.from({ length: 60 }, (_, i) => `function f${i}(a) { return a + ${i}; }\n`).join('');
    const file = path.join(dir, 'app.js');
    writeFileSync(file, code);

    const result = await flashBootCode({ port: fake.url, boardJsonPath, file, storageWriteDelays: false });

    expect(result.failure).toBeUndefined();
    expect(fake.storage.get('.bootcde')).toBe(code);
    expect(code.length).toBe(2080);
    expect(fake.calls).toEqual([
      'reset()',
      'Storage.write(".bootcde", <1024 bytes>, 0, 2080)',
      'Storage.write(".bootcde", <1024 bytes>, 1024)',
      'Storage.write(".bootcde", <32 bytes>, 2048)',
      'load()',
    ]);
  });

  it('builds the offline invocation: board file, no BLE, no downloads, file before the port', () => {
    const file = path.join(dir, 'strap');
    expect(flashBootCodeArgs({ port: 'tcp://127.0.0.1:4000', boardJsonPath, file })).toEqual([
      '--no-ble',
      '--board',
      boardJsonPath,
      '--config',
      'SERIAL_THROTTLE_SEND=1',
      '--config',
      'MODULE_URL=',
      '--config',
      'COMPILATION=false',
      '--config',
      'SAVE_ON_SEND=1',
      file,
      '-p',
      'tcp://127.0.0.1:4000',
    ]);
    expect(evaluateArgs({ port: 'tcp://127.0.0.1:4000', boardJsonPath, expression: 'print(process.env.VERSION)' }).slice(-4)).toEqual([
      '-e',
      'print(process.env.VERSION)',
      '-p',
      'tcp://127.0.0.1:4000',
    ]);
    expect(() => flashBootCodeArgs({ port: 'tcp://127.0.0.1:4000', boardJsonPath: 'PUCKJS', file })).toThrow(/extension/);
  });
});

/** A port on 127.0.0.1 that was free a moment ago and has nothing listening now. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
