/**
 * Runs one of the project's TypeScript entry points (sim/cli.ts, the
 * firmware build, the HIL suite) as a child Node process with tsx's loader.
 * host-bridge must not import sim/, hil/ or firmware/build (ARCHITECTURE.md),
 * so the CLI reaches them only this way, by path.
 *
 * The child gets its own process group so that a Ctrl-C in the terminal
 * reaches it exactly once, forwarded by us (otherwise the terminal's SIGINT
 * and ours would both arrive, and the second would kill it mid-shutdown).
 */
import { spawn, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is host-bridge/cli/child-script.ts). */
const ROOT_URL = new URL('../../', import.meta.url);
export const REPO_ROOT = fileURLToPath(ROOT_URL);

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface ChildScriptOptions {
  /** Default: stdin ignored, stdout and stderr shared with ours. */
  stdio?: StdioOptions;
  /** Messages the child sends over an IPC channel (one is opened when given). */
  onMessage?: (message: unknown) => void;
  cwd?: string;
}

/**
 * Runs `node --import tsx <repo>/<script> ...args` and resolves with its exit
 * code (128 + signal number when a signal ended it, as shells report it).
 */
export function runChildScript(script: string, args: string[], options: ChildScriptOptions = {}): Promise<number> {
  const stdio: StdioOptions = options.stdio ?? ['ignore', 'inherit', 'inherit'];
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL(script, ROOT_URL)), ...args], {
    cwd: options.cwd ?? process.cwd(),
    stdio: options.onMessage ? withIpc(stdio) : stdio,
    detached: true,
  });
  if (options.onMessage) child.on('message', options.onMessage);
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of FORWARDED_SIGNALS) process.off(s, forward);
      process.off('exit', killOnExit);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}

function withIpc(stdio: StdioOptions): StdioOptions {
  const fds = typeof stdio === 'string' ? [stdio, stdio, stdio] : [...stdio];
  return [...fds.slice(0, 3), 'ipc'];
}
