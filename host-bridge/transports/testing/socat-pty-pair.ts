/**
 * Two connected pseudo-terminals made by socat (Debian package `socat`), for
 * serial tests without hardware:
 *
 *   socat -d -d PTY,link=<dir>/a,raw,echo=0 PTY,link=<dir>/b,raw,echo=0
 *
 * Bytes written to one end come out of the other unchanged. stop() kills
 * socat: both ptys lose their master, which is what a serial device
 * vanishing looks like to the program holding the other end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface PtyPair {
  readonly a: string;
  readonly b: string;
  /** Kills socat (the ptys vanish; with SIGKILL its symlinks stay behind, dangling). Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function findSocatBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'socat');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function startPtyPair(dir: string, names: { a?: string; b?: string } = {}): Promise<PtyPair> {
  const socat = findSocatBinary();
  if (!socat) throw new Error('socat not found on PATH: install socat (Debian package socat)');
  const a = path.join(dir, names.a ?? 'ttyA');
  const b = path.join(dir, names.b ?? 'ttyB');
  const child = spawn(socat, ['-d', '-d', `PTY,link=${a},raw,echo=0`, `PTY,link=${b},raw,echo=0`], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await waitForLog(child, exited, 'starting data transfer loop', 5000);
  return {
    a,
    b,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

function waitForLog(child: ChildProcess, exited: Promise<void>, text: string, timeoutMs: number): Promise<void> {
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`socat did not start within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      log += chunk;
      if (log.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`socat exited before the ptys were ready:\n${log}`));
    });
  });
}
