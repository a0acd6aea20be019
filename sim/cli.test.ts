// `npm start` as a person runs it: the virtual strap on its default scenario.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectBytes } from '../testing/byte-collector';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));

function start(...args: string[]) {
  const result = spawnSync(process.execPath, [TSX, 'sim/main.ts', ...args], { cwd: ROOT, encoding: 'latin1', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm start', () => {
  it('plays the default scenario with --once: banner, presses, status, heartbeats, power cycle', () => {
    const run = start('--once', '--no-build');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('strap 0.1.0 on PUCKJS (Espruino 2v29), boot #1');
    expect(run.stdout).toMatch(/\[btn\] press \d+ms/);
    expect(run.stdout).toMatch(/\[btn\] long-press \d+ms/);
    expect(run.stdout).toMatch(/fw: "strap 0\.1\.0"/);
    expect(run.stdout).toMatch(/\[hb\] up=60s batt=100% 4\.20V/);
    expect(run.stdout).toMatch(/\[hb\] up=120s batt=1\d% 3\.7\dV/);
    expect(run.stdout).toContain('boot #2');
    expect(run.stdout).toContain('=2\r\n');
  });

  it('prints the same console output byte for byte for the same seed', () => {
    const a = start('--once', '--no-build', '--seed', '42');
    const b = start('--once', '--no-build', '--seed', '42');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('lists its options with --help', () => {
    const run = start('--help');
    expect(run.code).toBe(0);
    for (const option of ['--seed', '--once', '--pace', '--tcp-port', '--pty', '--scenario', '--firmware', '--no-build']) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toContain('npx espruino --no-ble --board sim/board/espruino-board.json');
  });

  it('refuses a bad option value with exit code 2 and says which', () => {
    const run = start('--once', '--no-build', '--pace', 'fast');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--pace must be a number > 0');
  });

  it('keeps the strap running paced with its console on TCP until stopped', async () => {
    const child = spawn(process.execPath, [TSX, 'sim/main.ts', '--no-build', '--scenario', 'none'], { cwd: ROOT });
    try {
      let stderr = '';
      child.stderr.setEncoding('latin1');
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (chunk: string) => {
          stderr += chunk;
          const m = stderr.match(/console on (tcp:\/\/127\.0\.0\.1:\d+)/);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      expect(stderr).toContain(`npx espruino --no-ble --board sim/board/espruino-board.json --config SAVE_ON_SEND=1 dist/strap.js -p ${url}`);
      const port = Number(url.split(':').pop());
      const socket = net.connect(port, '127.0.0.1');
      const seen = collectBytes(socket);
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write('strap.status().boots\n');
      await seen.waitFor((text) => text.includes('=1\r\n'), 10_000);
      socket.destroy();
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(child.exitCode).toBe(0);
  });
});
