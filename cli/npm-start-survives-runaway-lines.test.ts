/**
 * `npm start` under the console lines of issue 8 that killed it ("board event
 * loop: more than 100000 events in one pass" thrown up through the TCP
 * handler) or hung it for good (timers of 0, negative or tiny intervals:
 * Ctrl-C and SIGTERM ignored). The process stays up, its console answers
 * (after Ctrl-C for the promise chain, as on Espruino), and it exits on
 * SIGTERM or SIGINT.
 *
 * The simulator runs as `npm start` runs it, `node bin/strap.js sim` (tsx's
 * loader registered in the same process, so a signal reaches the simulator
 * itself, not a tsx parent that would kill a slow child and make a hung
 * simulator look like one that exited). Exit code 0 here is the simulator's
 * own orderly stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { collectBytes, type ByteCollector } from '../testing/byte-collector';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** A limit on waiting for I/O from a loaded machine, not a timing assertion. */
const IO_LIMIT_MS = 30_000;
const TEST_LIMIT_MS = 4 * IO_LIMIT_MS;

interface Simulator {
  child: ChildProcess;
  stderr(): string;
  console: ByteCollector;
  send(text: string): void;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function startSimulator(): Promise<Simulator> {
  const child = spawn(process.execPath, ['bin/strap.js', 'sim', '--no-build', '--scenario', 'none'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  running.push(child);
  let stderr = '';
  child.stderr!.setEncoding('latin1');
  const port = await new Promise<number>((resolve, reject) => {
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
      const m = stderr.match(/console on tcp:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const socket = net.connect(port, '127.0.0.1');
  const seen = collectBytes(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  child.once('exit', () => socket.destroy());
  return { child, stderr: () => stderr, console: seen, send: (text) => socket.write(Buffer.from(text, 'latin1')) };
}

let answers = 0;
/** The board evaluates a fresh line and prints its answer. */
async function answers2(sim: Simulator): Promise<void> {
  const tag = `alive${++answers}-`;
  sim.send(`print("${tag}"+(1+1))\n`);
  await sim.console.waitFor((text) => text.includes(`${tag}2`), IO_LIMIT_MS);
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('npm start survives the runaway console lines of issue 8', () => {
  it('keeps its console answering under every one of them, then exits on SIGTERM', async () => {
    const sim = await startSimulator();
    await answers2(sim);
    for (const line of ['setInterval(function(){},0)', 'setInterval(function(){},0.001)', 'function t(){setTimeout(t,0)} t()', 'function u(){setTimeout(u,-5)} u()']) {
      sim.send(line + '\n');
      await answers2(sim);
    }
    sim.send('(function f(){Promise.resolve().then(f)})()\n');
    sim.send('\x03');
    await sim.console.waitFor((text) => text.includes('Execution Interrupted'), IO_LIMIT_MS);
    await answers2(sim);
    sim.child.kill('SIGTERM');
    expect(await exited(sim.child)).toEqual({ code: 0, signal: null });
    expect(sim.stderr()).not.toContain('fault');
  }, TEST_LIMIT_MS);

  it('exits on SIGINT while the board is stuck in a promise chain nobody interrupted', async () => {
    const sim = await startSimulator();
    sim.send('(function f(){Promise.resolve().then(f)})()\n');
    await sim.console.waitFor((text) => text.includes('(function f()'), IO_LIMIT_MS);
    sim.child.kill('SIGINT');
    expect(await exited(sim.child)).toEqual({ code: 0, signal: null });
  }, TEST_LIMIT_MS);
});
