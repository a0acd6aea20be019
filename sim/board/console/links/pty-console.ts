/**
 * A board's console on a real pseudo-terminal, so that tools written for USB
 * serial devices (`serialport`'s `SerialPort`, terminals such as screen or
 * minicom) open it by path like a board's /dev/ttyACM0.
 *
 * socat (Debian package `socat`) holds the pty master and relays it to a
 * private TCP console on 127.0.0.1:
 *
 *   host tool ⇄ /dev/pts/N (symlink at linkPath) ⇄ socat ⇄ TCP console ⇄ ConsolePort
 *
 * The pty is raw with echo off, so bytes pass unchanged both ways (no CR/LF
 * translation, ^C is a byte, not a signal). Hosts may open and close the
 * device repeatedly; the link stays up until close().
 *
 * Open it by path: `serialport`'s list() does not enumerate pseudo-terminals,
 * so the espruino CLI (which only opens listed ports) cannot use it; the CLI
 * takes the TCP console instead (see host-bridge/ESPRUINO-CLI.md).
 *
 * Board output written while no host holds the device open stays partly in the
 * kernel's pty buffer and reaches the next host that opens it.
 *
 * One host at a time cannot be enforced on a pty: every process that opens
 * the device reads and writes it, and nothing is "displaced". The private TCP
 * link behind it is exclusive: socat's connection keeps it, and any other
 * local process that connects to that port is refused (it would otherwise
 * take the console away from the pty). What the TCP console refuses (other
 * protocols) it refuses here too. E.setPassword/E.lockConsole lock the REPL
 * itself, so they apply to the pty as to every link.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, lstatSync, realpathSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { ConsolePort } from '../console-contract';
import { findSocat, SOCAT_MISSING_MESSAGE } from './socat-binary';
import { startTcpConsole } from './tcp-console';
import { pacedConsolePort } from './uart-pacing';

export interface PtyConsoleOptions {
  /** The board side of the console. */
  console: ConsolePort;
  /** Absolute path of the stable symlink to the pty, e.g. `<tmpdir>/ttyStrap0`. */
  linkPath: string;
  /** socat executable; found on PATH when omitted. */
  socatPath?: string;
  /** How long socat may take to create the pty and connect, in wall-clock ms. Default 5000. */
  startTimeoutMs?: number;
  /**
   * Deliver bytes both ways at baudRate / 10 bytes per wall second (8N1), as
   * the board's UART would; default: as fast as the pty takes them.
   */
  baudRate?: number;
  /** What the link did that the person running the simulator should know (see TcpConsoleOptions.onNote). */
  onNote?: (text: string) => void;
}

export interface PtyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What socat printed (its last 4 KB), to tell why it stopped. */
  diagnostics: string;
}

export interface PtyConsole {
  /** The symlink the caller chose. */
  readonly linkPath: string;
  /** The pty slave it points to, e.g. /dev/pts/3. */
  readonly devicePath: string;
  /** Settles when socat ends: on close(), or early if it died (then the link is down). */
  readonly exited: Promise<PtyExit>;
  /** Stops socat, removes the symlink, closes the TCP console. Idempotent. */
  close(): Promise<void>;
}

export async function startPtyConsole(options: PtyConsoleOptions): Promise<PtyConsole> {
  const linkPath = checkedLinkPath(options.linkPath);
  const socat = checkedSocat(options.socatPath);
  removeStaleLink(linkPath);

  const paced = options.baudRate === undefined ? undefined : pacedConsolePort(options.console, options.baudRate);
  // socat's private link: the first connection (socat's) keeps it; any other local process is refused.
  const tcp = await startTcpConsole({ console: paced ?? options.console, host: '127.0.0.1', port: 0, exclusive: true, onNote: options.onNote });
  const child = spawn(
    socat,
    ['-d', '-d', `PTY,link=${linkPath},raw,echo=0`, `TCP:127.0.0.1:${tcp.port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const diagnostics = tail(4096);
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => diagnostics.add(text));
  const exited = watchExit(child, diagnostics);

  try {
    await waitUntilRelaying(child, diagnostics, exited, options.startTimeoutMs ?? 5000);
  } catch (error) {
    await stop(child, exited);
    await tcp.close();
    paced?.stop();
    removeStaleLink(linkPath);
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    linkPath,
    devicePath: realpathSync(linkPath),
    exited,
    close() {
      closing ??= (async () => {
        await stop(child, exited);
        await tcp.close();
        paced?.stop();
        removeStaleLink(linkPath);
      })();
      return closing;
    },
  };
}

function checkedSocat(socatPath: string | undefined): string {
  if (socatPath === undefined) {
    const found = findSocat();
    if (!found) throw new Error(SOCAT_MISSING_MESSAGE);
    return found;
  }
  try {
    accessSync(socatPath, constants.X_OK);
  } catch {
    throw new Error(`socat not found at ${socatPath}: install socat (Debian package socat)`);
  }
  return socatPath;
}

// socat's address syntax separates options with ',' and addresses with '!!';
// ':' starts parameters. Such characters in the path would be misparsed.
const UNSAFE_LINK_CHARS = /[,:!"'\\\s]/;

function checkedLinkPath(linkPath: string): string {
  if (!path.isAbsolute(linkPath)) throw new Error(`pty link path must be absolute: ${linkPath}`);
  if (UNSAFE_LINK_CHARS.test(linkPath)) {
    throw new Error(`pty link path must not contain , : ! quotes, backslashes or spaces (socat syntax): ${linkPath}`);
  }
  return linkPath;
}

/** Removes a symlink left by an earlier run; refuses to touch anything else. */
function removeStaleLink(linkPath: string): void {
  let isLink: boolean;
  try {
    isLink = lstatSync(linkPath).isSymbolicLink();
  } catch {
    return; // nothing there
  }
  if (!isLink) throw new Error(`pty link path exists and is not a symlink: ${linkPath}`);
  unlinkSync(linkPath);
}

function watchExit(child: ChildProcess, diagnostics: Tail): Promise<PtyExit> {
  return new Promise((resolve) => {
    child.once('error', (error) => {
      diagnostics.add(`\n${String(error)}`);
      resolve({ code: null, signal: null, diagnostics: diagnostics.text() });
    });
    child.once('close', (code, signal) => resolve({ code, signal, diagnostics: diagnostics.text() }));
  });
}

/**
 * socat at `-d -d` logs "starting data transfer loop" once the pty and its
 * symlink exist and the TCP connection is up. The timeout is wall-clock: this
 * waits for a real process, outside the simulation's virtual time.
 */
function waitUntilRelaying(
  child: ChildProcess,
  diagnostics: Tail,
  exited: Promise<PtyExit>,
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`socat did not open the pty within ${timeoutMs} ms:\n${diagnostics.text()}`));
    }, timeoutMs);
    const onData = () => {
      if (diagnostics.text().includes('starting data transfer loop')) {
        finish();
        resolve();
      }
    };
    const finish = () => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
    };
    child.stderr?.on('data', onData);
    void exited.then((exit) => {
      finish();
      reject(new Error(`socat exited (code ${exit.code}, signal ${exit.signal}) before the pty was ready:\n${exit.diagnostics}`));
    });
  });
}

async function stop(child: ChildProcess, exited: Promise<PtyExit>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(killTimer);
}

interface Tail {
  add(text: string): void;
  text(): string;
}

function tail(maxChars: number): Tail {
  let kept = '';
  return {
    add(text) {
      kept = (kept + text).slice(-maxChars);
    },
    text: () => kept,
  };
}
