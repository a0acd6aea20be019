// The README's flashing path, end to end: the real `espruino` CLI uploads
// dist/strap.js over TCP into the virtual board's Storage as boot code; the
// strap boots and prints its banner, and boots again from Storage after a
// hard reset and a power cycle.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluateOnBoard, flashBootCode } from '../host-bridge/espruino-cli';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from './rigs/virtual/virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';

const BOARD_JSON = new URL('../sim/board/espruino-board.json', import.meta.url).pathname;

describe('flashing the virtual board with the espruino CLI', () => {
  let rig: VirtualBoardOnTcp | undefined;
  afterEach(async () => {
    await rig?.stop();
    rig = undefined;
  });

  it('stores the bundle as .bootcde byte for byte, boots it, and boots it again after a reset and a power cycle', async () => {
    rig = await startVirtualBoardOnTcp();
    // the same Storage writes without the CLI's 250 ms pause after each (~8 s for the bundle); the README's
    // command, last in this file, uploads with the pauses a real board needs
    const flashed = await flashBootCode({ port: rig.tcp.url, boardJsonPath: BOARD_JSON, file: BUNDLE_PATH, storageWriteDelays: false, timeoutMs: 60_000 });
    expect(flashed.failure).toBeUndefined();
    expect(flashed.ok).toBe(true);
    expect(rig.board.readFile('.bootcde')).toBe(readFileSync(BUNDLE_PATH, 'latin1'));
    await rig.waitForOutput(/strap \d+\.\d+\.\d+ on PUCKJS \(Espruino 2v29\), boot #1/);
    // The CLI shows what the board printed after load().
    expect(flashed.stdout).toMatch(/boot #1/);

    rig.board.hardReset();
    await rig.waitForOutput(/boot #2/);
    rig.board.powerCycle(200);
    await rig.waitForOutput(/boot #3/);
    expect(rig.output()).not.toMatch(/Uncaught|SAFE MODE/);
  }, 90_000);

  it('reads the running firmware back through the CLI', async () => {
    rig = await startVirtualBoardOnTcp();
    rig.board.writeFile('.bootcde', readFileSync(BUNDLE_PATH, 'latin1'));
    rig.board.hardReset();
    await rig.waitForOutput(/boot #1/);
    const result = await evaluateOnBoard({ port: rig.tcp.url, boardJsonPath: BOARD_JSON, expression: 'print(JSON.stringify(strap.status()))' });
    expect(result.failure).toBeUndefined();
    const line = result.boardLines.find((l) => l.includes('"fw"'));
    expect(line).toBeDefined();
    const status = JSON.parse(line!.slice(line!.indexOf('{')));
    expect(status).toMatchObject({ fw: 'strap 0.1.0', espruino: '2v29', board: 'PUCKJS', mode: 'normal', boots: 1 });
  }, 60_000);

  it("flashes with the README's command exactly as printed there", async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const command = readme.split('\n').find((l) => l.startsWith('npx espruino') && l.includes('SAVE_ON_SEND'));
    expect(command).toBeDefined();
    rig = await startVirtualBoardOnTcp();
    const args = command!.replace('PORT', String(rig.tcp.port)).split(/\s+/).slice(2);
    const cli = fileURLToPath(new URL('../node_modules/espruino/bin/espruino-cli.js', import.meta.url));
    const child = spawn(process.execPath, [cli, ...args], { cwd: fileURLToPath(new URL('..', import.meta.url)) });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    await new Promise((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    expect(stdout).toContain('Upload Complete');
    await rig.waitForOutput(/strap \d+\.\d+\.\d+ on PUCKJS \(Espruino 2v29\), boot #1/);
    expect(rig.board.readFile('.bootcde')).toBe(readFileSync(BUNDLE_PATH, 'latin1'));
  }, 60_000);
});
