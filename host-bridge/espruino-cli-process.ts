/**
 * Runs the real `espruino` CLI (EspruinoTools, npm package `espruino`) as a
 * child process and turns what it prints into a verdict.
 *
 * The CLI's exit code cannot be trusted: it exits 0 after "Unable to connect!",
 * and never exits when the TCP connection is refused (it logs "RECEIVE ERROR"
 * and waits forever), nor while the board keeps printing (it leaves 500 ms
 * after the last byte). So this reads its output, kills it on a fatal sign,
 * and enforces a wall-clock timeout. See ESPRUINO-CLI.md.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type EspruinoCliFailureKind =
  /** Nothing listens on the tcp:// port. */
  | 'connection-refused'
  /** The connection failed later (reset, unreachable host): the CLI logged RECEIVE ERROR. */
  | 'connection-error'
  /** A serial path that serialport's list() does not enumerate (every pseudo-terminal). */
  | 'port-not-found'
  /** "Unable to connect!" for another reason. */
  | 'unable-to-connect'
  /** The board closed the connection before the upload completed. */
  | 'disconnected'
  /** The CLI ran past the timeout and was killed. */
  | 'timeout'
  /** The CLI exited without reporting "Upload Complete". */
  | 'not-completed'
  /** Non-zero exit, a signal, or the CLI could not be started. */
  | 'cli-error';

export interface EspruinoCliFailure {
  kind: EspruinoCliFailureKind;
  message: string;
}

export interface EspruinoCliResult {
  ok: boolean;
  failure?: EspruinoCliFailure;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Lines the board printed, as the CLI relays them (its "--] " prefix removed). */
  boardLines: string[];
  stdout: string;
  stderr: string;
  /** The arguments given to the CLI script. */
  args: string[];
  durationMs: number;
}

export interface RunEspruinoCliOptions {
  /** Wall-clock limit after which the CLI is killed (SIGKILL). */
  timeoutMs: number;
  cwd?: string;
}

/** The CLI script (the package's `bin.espruino`), resolved from the installed package. */
export function espruinoCliScript(): string {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve('espruino/package.json');
  const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.espruino;
  if (!bin) throw new Error(`no "espruino" bin in ${packageJsonPath}`);
  return path.join(path.dirname(packageJsonPath), bin);
}

/** Runs `node <espruino-cli.js> ...args` with this Node binary. Never rejects: failures are in the result. */
export function runEspruinoCli(args: string[], options: RunEspruinoCliOptions): Promise<EspruinoCliResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let fatal: EspruinoCliFailure | undefined;
    let settled = false;

    const child = spawn(process.execPath, [espruinoCliScript(), ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kill = (failure: EspruinoCliFailure) => {
      fatal ??= failure;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => kill({ kind: 'timeout', message: `espruino CLI did not finish within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );

    child.stdout.setEncoding('latin1');
    child.stderr.setEncoding('latin1');
    child.stdout.on('data', (text: string) => (stdout += text));
    child.stderr.on('data', (text: string) => {
      stderr += text;
      const hung = connectionError(stderr);
      if (hung) kill(hung); // the CLI would wait forever
    });

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const failure =
        fatal ??
        (spawnError ? { kind: 'cli-error' as const, message: `could not start the espruino CLI: ${spawnError.message}` } : undefined) ??
        judge(exitCode, signal, stdout, stderr);
      resolve({
        ok: failure === undefined,
        failure,
        exitCode,
        signal,
        boardLines: boardLines(stdout),
        stdout,
        stderr,
        args,
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.once('error', (error) => finish(null, null, error));
    child.once('close', (code, signal) => finish(code, signal));
  });
}

const BOARD_LINE_PREFIX = '--] ';

function boardLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(BOARD_LINE_PREFIX))
    .map((line) => line.slice(BOARD_LINE_PREFIX.length).replace(/\r$/, ''));
}

/** core/serial_node_socket.js logs socket errors as `RECEIVE ERROR: {json}` and never reports them further. */
function connectionError(stderr: string): EspruinoCliFailure | undefined {
  const match = /RECEIVE ERROR: (.*)/.exec(stderr);
  if (!match) return undefined;
  let code = '';
  try {
    code = String((JSON.parse(match[1] ?? '') as { code?: unknown }).code ?? '');
  } catch {
    // not JSON: keep the text
  }
  if (code === 'ECONNREFUSED') {
    return { kind: 'connection-refused', message: `connection refused: nothing listens there (${match[1]})` };
  }
  return { kind: 'connection-error', message: `connection failed: ${code || match[1]}` };
}

function judge(
  exitCode: number | null,
  signal: NodeJS.Signals | null,
  stdout: string,
  stderr: string,
): EspruinoCliFailure | undefined {
  const notFound = /serial: Port (".*") not found/.exec(stderr);
  if (notFound) {
    return {
      kind: 'port-not-found',
      message: `port ${notFound[1]} not found: the espruino CLI opens only ports that serialport's list() enumerates (not pseudo-terminals); use tcp://`,
    };
  }
  if (stderr.includes('Unable to connect!')) return { kind: 'unable-to-connect', message: 'espruino CLI: Unable to connect!' };
  if (signal !== null || exitCode !== 0) {
    return { kind: 'cli-error', message: `espruino CLI exited with ${signal ?? `code ${exitCode}`}: ${lastLine(stderr)}` };
  }
  const completed = stdout.includes('Upload Complete');
  if (!completed && /^Disconnected\.$/m.test(stdout)) {
    return { kind: 'disconnected', message: 'the board closed the connection before the upload completed' };
  }
  if (!completed) return { kind: 'not-completed', message: `espruino CLI exited without "Upload Complete": ${lastLine(stderr)}` };
  return undefined;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
