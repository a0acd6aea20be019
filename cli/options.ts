/**
 * Argument parsing shared by every entry (each `strap` command, and `npm
 * start`, which is `strap sim`): node:util parseArgs in strict mode, its
 * errors turned into UsageErrors that name the option (exit 2, one line:
 * `strap sim: --seed needs a value`), the checks of option values, and the
 * options every board command takes (--port, --baud, --timeout, --json).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseHciSpec, parsePort } from '../host-bridge/transports/index';
import { UsageError } from './exit-codes';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export const JSON_OPTION = { json: { type: 'boolean' } } as const satisfies OptionsConfig;
export const BOARD_OPTIONS = {
  port: { type: 'string', short: 'p' },
  baud: { type: 'string' },
  timeout: { type: 'string' },
  hci: { type: 'string' },
  bonds: { type: 'string' },
} as const satisfies OptionsConfig;

/** Where `strap pair` keeps the phone's bonds by default (its --state, artifacts/pair/state, then phone/). */
export const DEFAULT_BONDS_DIR = 'artifacts/pair/state/phone';

export const DEFAULT_TIMEOUT_MS = 3000;

export const BOARD_OPTIONS_HELP = `  -p, --port <port>    the board: a serial device (/dev/ttyACM0, a pty path), tcp://HOST:PORT, or
                       ble:AA:BB:CC:DD:EE:FF (its console over the Nordic UART Service; needs --hci and a bond)
      --baud <n>       serial line speed (default 9600, Espruino's UART console); a wrong one is detected and named
      --timeout <ms>   how long to wait for the board to answer (default ${DEFAULT_TIMEOUT_MS})
      --hci <ctl>      ble: ports: the Bluetooth controller: tcp:127.0.0.1:PORT (strap sim --hci-port),
                       hci0 (Linux HCI user channel), or an H4 UART's path (/dev/ttyACM1[@1000000])
      --bonds <dir>    ble: ports: this host's bonds (default ${DEFAULT_BONDS_DIR}, where strap pair keeps the phone's)`;
export const JSON_OPTION_HELP = `      --json           print the result as JSON on stdout (errors too: {"error": {...}})`;
export const HELP_OPTION_HELP = `  -h, --help           this text`;

/** Parses `argv` against `options` (strict: an unknown option is a UsageError naming it). */
export function parseOptions<T extends OptionsConfig>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${describeParseError(error)} (strap ${command} --help lists the options)`);
  }
}

export interface BoardTarget {
  port: string;
  baudRate?: number;
  timeoutMs: number;
  /** For a `ble:` port: the HCI controller and the bond folder. */
  ble?: { hci?: string; bondDir: string };
}

/** The board options, checked: --port is required and must parse. */
export function boardTarget(values: { port?: string; baud?: string; timeout?: string; hci?: string; bonds?: string }): BoardTarget {
  if (values.port === undefined) throw new UsageError('--port is required: a serial device (/dev/ttyACM0), tcp://HOST:PORT or ble:AA:BB:CC:DD:EE:FF');
  const port = checkPort(values.port);
  const isBle = parsePort(port).kind === 'ble';
  if (!isBle && (values.hci !== undefined || values.bonds !== undefined)) throw new UsageError(`--hci and --bonds are for ble: ports, not ${port}`);
  if (isBle && values.hci === undefined) throw new UsageError(`${port} needs --hci: the Bluetooth controller (tcp:127.0.0.1:PORT from strap sim --hci-port, hci0, or an H4 UART's path)`);
  if (values.hci !== undefined) {
    try {
      parseHciSpec(values.hci);
    } catch (error) {
      throw new UsageError(`--hci: ${(error as Error).message}`);
    }
  }
  return {
    port,
    baudRate: values.baud === undefined ? undefined : positiveInteger('--baud', values.baud),
    timeoutMs: values.timeout === undefined ? DEFAULT_TIMEOUT_MS : positiveInteger('--timeout', values.timeout),
    ...(isBle ? { ble: { hci: values.hci, bondDir: resolve(values.bonds ?? DEFAULT_BONDS_DIR) } } : {}),
  };
}

/** `port` if it is in the bridge's port syntax (transports/port-spec.ts); a UsageError saying why not otherwise. */
export function checkPort(port: string): string {
  try {
    parsePort(port);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return port;
}

export function positiveInteger(option: string, text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${option} must be a whole number > 0, got ${JSON.stringify(text)}`);
  return n;
}

export function positiveNumber(option: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${option} must be a number > 0, got ${JSON.stringify(text)}`);
  return n;
}

/** The absolute path of `text`, a file that exists (a UsageError naming the option otherwise). */
export function existingFile(option: string, text: string): string {
  const path = resolve(text);
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${option} ${text}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (!isFile) throw new UsageError(`${option} ${text}: not a file`);
  return path;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const quoted = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option ${quoted}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && quoted) return `unexpected argument ${JSON.stringify(quoted)}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted && /argument missing/.test(message)) return `${longName(quoted.replace(/ <value>$/, ''))} needs a value`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted) return `${longName(quoted)} takes no value`;
  return message;
}

/** `--port` of parseArgs' `-p, --port`. */
function longName(option: string): string {
  return option.split(', ').at(-1)!;
}
