/**
 * Runs the real `strap` CLI as a child process, as a user would:
 * asynchronously, so a virtual board in the test's own process keeps running
 * while the CLI talks to it. It runs the CLI as compiled once per test run
 * (./cli-bundle.ts) rather than through bin/strap.js's tsx loader, which
 * would compile it again in every child.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLI_BUNDLE } from './cli-bundle';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = CLI_BUNDLE;

export interface StrapRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningStrap {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout or stderr (as chosen) matches, rejects after `timeoutMs` or when the CLI exits first. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<StrapRun>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** On a pseudo-terminal (util-linux `script`): stdin is a TTY, stdout and stderr arrive together on stdout. */
  terminal?: boolean;
}

/** Starts `strap ...args`; stdin stays open (write to `child.stdin`, end it to finish pipe mode). */
export function startStrap(args: string[], options: StartOptions = {}): RunningStrap {
  const env = { ...process.env, ...options.env };
  const child = options.terminal
    ? spawn('script', ['-qec', [process.execPath, BIN, ...args].map(shellQuote).join(' '), '/dev/null'], { cwd: ROOT, env })
    : spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
  let out = '';
  let err = '';
  child.stdout.setEncoding('latin1').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('latin1').on('data', (d: string) => (err += d));
  const exited = new Promise<StrapRun>((resolve) => child.once('close', (code) => resolve({ code, stdout: out, stderr: err })));
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 15_000) =>
    new Promise<void>((resolve, reject) => {
      const text = () => (stream === 'stdout' ? out : err);
      const timer = setTimeout(() => finish(new Error(`no ${pattern} on strap's ${stream} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`)), timeoutMs);
      const check = () => pattern.test(text()) && finish();
      const early = () => finish(new Error(`strap exited before ${pattern} appeared on its ${stream}; stdout:\n${out}\nstderr:\n${err}`));
      const finish = (error?: Error) => {
        clearTimeout(timer);
        child.stdout.off('data', check);
        child.stderr.off('data', check);
        child.off('close', early);
        if (error) reject(error);
        else resolve();
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('close', early);
      check();
    });
  return { child, stdout: () => out, stderr: () => err, waitFor, exited };
}

/** Runs `strap ...args` to the end, with `input` on stdin (empty by default). */
export function runStrap(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<StrapRun> {
  const run = startStrap(args, { env: options.env });
  run.child.stdin.end(options.input ?? '');
  return run.exited;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
