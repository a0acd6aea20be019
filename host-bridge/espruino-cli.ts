/**
 * Flashing and evaluating through the real `espruino` CLI (EspruinoTools
 * 0.1.67), offline: the board description comes from a file (`--board`), BLE
 * is off, module downloads and the online compiler are disabled.
 *
 * Reach a virtual board over its TCP console (`tcp://127.0.0.1:PORT`); the
 * CLI refuses pseudo-terminals. A real board works by its listed serial path.
 * Findings behind each flag: ESPRUINO-CLI.md.
 */
import path from 'node:path';
import { runEspruinoCli, type EspruinoCliResult } from './espruino-cli-process';

export type { EspruinoCliFailure, EspruinoCliFailureKind, EspruinoCliResult } from './espruino-cli-process';

export interface EspruinoCliTarget {
  /** What `espruino -p` takes: `tcp://127.0.0.1:PORT`, or a serial device that serialport lists. */
  port: string;
  /** Board description file (the project's is sim/board/espruino-board.json). */
  boardJsonPath: string;
}

export interface FlashBootCodeOptions extends EspruinoCliTarget {
  /** JavaScript file to store as `.bootcde` (it runs at every boot). */
  file: string;
  /**
   * The CLI pauses 250 ms after each 1 KB `require("Storage").write` chunk so a
   * board without flow control keeps up. Keep it for real boards; a virtual
   * board over TCP can skip it (about 5× faster). Default true.
   */
  storageWriteDelays?: boolean;
  /** Default 120 000 ms (a 24 KB bundle takes about 7 s with delays). */
  timeoutMs?: number;
  cwd?: string;
}

export interface EvaluateOptions extends EspruinoCliTarget {
  /** Code the board runs as a console line; only what it prints comes back (no `=result`). */
  expression: string;
  /** Default 15 000 ms. */
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Uploads `file` into Storage as `.bootcde` and loads it: the CLI sends
 * `reset()`, then `require("Storage").write(".bootcde", …)` in 1 KB chunks,
 * then `load()`.
 */
export function flashBootCode(options: FlashBootCodeOptions): Promise<EspruinoCliResult> {
  return runEspruinoCli(flashBootCodeArgs(options), { timeoutMs: options.timeoutMs ?? 120_000, cwd: options.cwd });
}

/** Runs `expression` on the board (`espruino -e`) without resetting it. */
export function evaluateOnBoard(options: EvaluateOptions): Promise<EspruinoCliResult> {
  return runEspruinoCli(evaluateArgs(options), { timeoutMs: options.timeoutMs ?? 15_000, cwd: options.cwd });
}

export function flashBootCodeArgs(options: FlashBootCodeOptions): string[] {
  const args = [...offlineArgs(options), '--config', 'SAVE_ON_SEND=1'];
  if (options.storageWriteDelays === false) args.push('--config', 'STORAGE_UPLOAD_METHOD=1');
  // The file is absolute (never mistaken for an option) and comes before -p:
  // the CLI takes every following argument without ".js" in it as another port.
  return [...args, path.resolve(options.file), '-p', options.port];
}

export function evaluateArgs(options: EvaluateOptions): string[] {
  return [...offlineArgs(options), '-e', paddedExpression(options.expression), '-p', options.port];
}

function offlineArgs(target: EspruinoCliTarget): string[] {
  const boardJson = path.resolve(target.boardJsonPath);
  // `--board X` is read as a file only when X contains a "."; otherwise the CLI downloads X.json.
  if (!path.basename(boardJson).includes('.')) {
    throw new Error(`board description must be a file name with an extension: ${boardJson}`);
  }
  return [
    '--no-ble',
    '--board',
    boardJson,
    '--config',
    'SERIAL_THROTTLE_SEND=1',
    '--config',
    'MODULE_URL=',
    '--config',
    'COMPILATION=false',
  ];
}

/**
 * The CLI reports completion only for a send longer than its write block
 * (19 bytes when throttled): `\x10print()\n` + `\x10` + expression + `\n\n`
 * is 12 bytes plus the expression, so an expression under 8 characters would
 * never complete. Leading spaces lengthen it without changing its meaning, and
 * keep an expression starting with "-" from being read as an option.
 */
export function paddedExpression(expression: string): string {
  const MIN_LENGTH = 8;
  const padded = expression.length < MIN_LENGTH ? expression.padStart(MIN_LENGTH, ' ') : expression;
  return padded.startsWith('-') ? ` ${padded}` : padded;
}
