// `npm start` as a person runs it: the virtual strap on its default scenario.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_BUNDLE } from './testing/cli-bundle';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { connectConsole } from '../host-bridge/console/index';
import { collectBytes } from '../testing/byte-collector';
import { findSocat } from '../sim/board/console/links/socat-binary';
import { PROGRESS_INTERVAL_MS, runSimulator } from '../sim/run-simulator';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The CLI compiled once for this run (testing/cli-bundle.ts); npm-start-survives-runaway-lines.test.ts runs bin/strap.js itself. */
const BIN = CLI_BUNDLE;

function start(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'sim', ...args], { cwd: ROOT, encoding: 'latin1', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `npm start -- args` to its end, without blocking this process (several run at once). */
function startAsync(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, 'sim', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('latin1').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('latin1').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** A scenario file in a temporary directory. */
function scenarioFile(dir: string, name: string, scenario: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(scenario));
  return file;
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

  it('usage errors: exit 2 and one line naming the option or the scenario step, before the board starts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'strap-sim-usage-'));
    try {
      const huge = scenarioFile(dir, 'huge.json', { durationMs: 1e12, steps: [] });
      const late = scenarioFile(dir, 'late.json', { durationMs: 10_000, steps: [{ atMs: 1_000, kind: 'press', holdMs: 100 }, { atMs: 20_000, kind: 'tap', amountMinor: 1250 }] });
      const cases: [string[], string][] = [
        [['--seed'], 'strap sim: --seed needs a value (strap sim --help lists the options)'],
        [['--once', '--pty', path.join(dir, 'tty')], 'strap sim: --pty does nothing with --once (the scenario runs without a console); drop one of them'],
        [['--once', '--firmware', 'nope.js'], 'strap sim: --firmware nope.js: no such file'],
        [['--once', '--no-build', '--scenario', huge], `strap sim: --scenario ${huge}: durationMs 1000000000000 is more than 604800000 (7 days of virtual time, the longest a scenario may run)`],
        [['--once', '--no-build', '--scenario', late], `strap sim: --scenario ${late}: steps[1] (tap at 20000 ms) comes after durationMs (10000 ms): it would never be applied`],
        [['--once', '--no-build', '--scenario', path.join(dir, 'missing.json')], `strap sim: --scenario ${path.join(dir, 'missing.json')}: no such file`],
      ];
      const runs = await Promise.all(cases.map(([args]) => startAsync(...args)));
      runs.forEach((run, i) => {
        expect({ code: run.code, stderr: run.stderr, stdout: run.stdout }, cases[i]![0].join(' ')).toEqual({ code: 2, stderr: `${cases[i]![1]}\n`, stdout: '' });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a long --once run prints the virtual time it reached to stderr, at most once per PROGRESS_INTERVAL_MS of wall time', async () => {
    let wallMs = 0;
    const wallClock = () => (wallMs += 700); // each look at the clock: 0.7 s later
    let stdout = '';
    let stderr = '';
    const output = { stdout: { write: (b: string | Uint8Array) => (stdout += typeof b === 'string' ? b : Buffer.from(b).toString('latin1')) }, stderr: { write: (t: string) => (stderr += t) } };
    const scenario = { name: 'hour', description: 'an hour of standby', durationMs: 3_600_000, steps: [] };
    const code = await runSimulator({ seed: 1, once: true, pace: 1, tcpPort: 0, scenario, firmwarePath: BUNDLE_PATH, buildIfStale: false }, output, wallClock);
    expect(code).toBe(0);
    const progress = stderr.split('\n').filter((l) => l.startsWith('virtual ') && l.includes(' of 3600 s'));
    // 60 one-minute slices, a look at the clock each (0.7 s): a line every third look at most.
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil((60 * 700) / PROGRESS_INTERVAL_MS));
    const reached = progress.map((l) => Number(/^virtual (\d+) s of 3600 s \(\d+ %\) after \d+ s$/.exec(l)![1]));
    expect(reached).toEqual([...reached].sort((a, b) => a - b));
    expect(stderr).toMatch(/virtual 3600\.0 s in \d+\.\d+ s of wall time\n$/);
    expect(stdout).toContain('strap 0.1.0 on PUCKJS');
  });

  it.skipIf(!findSocat())('two sims on one --pty path: the second refuses (exit 2) and the first keeps its link', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'strap-sim-pty-'));
    const link = path.join(dir, 'ttyStrap0');
    const first = spawn(process.execPath, [BIN, 'sim', '--no-build', '--scenario', 'none', '--pty', link], { cwd: ROOT });
    try {
      let stderr = '';
      first.stderr.setEncoding('latin1');
      await new Promise<void>((resolve, reject) => {
        first.stderr.on('data', (chunk: string) => {
          stderr += chunk;
          if (stderr.includes(`and ${link}`)) resolve();
        });
        first.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const device = readlinkSync(link);
      const second = await startAsync('--no-build', '--scenario', 'none', '--pty', link);
      expect(second.code).toBe(2);
      expect(second.stderr).toBe(`strap sim: --pty ${link}: ${link} is a link to ${device}, a pseudo-terminal in use (another strap sim?); choose another path (or remove it if nothing uses it)\n`);
      expect(readlinkSync(link)).toBe(device);
      const client = await connectConsole(link);
      try {
        expect(await client.evaluate('1+2')).toBe(3);
      } finally {
        await client.close();
      }
    } finally {
      first.kill('SIGTERM');
      await new Promise((resolve) => first.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the strap running paced with its console on TCP until stopped', async () => {
    const child = spawn(process.execPath, [BIN, 'sim', '--no-build', '--scenario', 'none'], { cwd: ROOT });
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
