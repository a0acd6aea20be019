/**
 * The CLI's exit codes and how an error maps to one. Errors are classified
 * by name, so the same rule holds for errors reported by a child process
 * (`strap hil`) and for classes defined in modules the CLI only calls.
 */
import { ConsoleClosedError, ConsoleTimeoutError, WrongBaudRateError } from '../host-bridge/console/index';
import { RpcClosedError, RpcTimeoutError } from '../host-bridge/rpc/rpc-errors';
import { PortClosedError, PortNotOpenError, PortOpenError } from '../host-bridge/transports/index';

export const ExitCode = {
  ok: 0,
  /** The board answered an error, verify failed, HIL scenarios failed. */
  failed: 1,
  /** Unknown command or option, bad port string, bad option value, a file that is missing or (flash) not a strap firmware. */
  usage: 2,
  /** Port missing or closed, no answer in time, wrong baud rate. */
  unreachable: 3,
  /** The board answers but does not run the strap firmware. */
  notStrapFirmware: 4,
  /** Stopped by Ctrl-C (SIGINT), after saying what state it left (128 + SIGINT's 2, as shells report it). */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit codes:
  0  done
  1  the operation failed (the board answered an error, verify failed, HIL scenarios failed)
  2  usage error (unknown command or option, bad port string, bad option value, a missing file, a bundle that is not a strap firmware)
  3  cannot reach the board (port missing, gone or not a serial port, no answer in time, wrong baud rate)
  4  no strap firmware on this board
  130  stopped by Ctrl-C (what it left behind is said first)
`;

/** Bad command line: exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const UNREACHABLE = new Set<string>(
  [PortOpenError, PortClosedError, PortNotOpenError, ConsoleClosedError, ConsoleTimeoutError, WrongBaudRateError, RpcTimeoutError, RpcClosedError].map((c) => c.name),
);

/** The exit code for an error of this class name. */
export function exitCodeForName(name: string): ExitCode {
  if (name === UsageError.name || name === 'NotStrapBundleError') return ExitCode.usage;
  if (name === 'FlashAbortedError') return ExitCode.interrupted;
  if (name === 'NotStrapFirmwareError') return ExitCode.notStrapFirmware;
  if (UNREACHABLE.has(name)) return ExitCode.unreachable;
  return ExitCode.failed;
}

/** By the error's class; an operation that failed because the board went away (its `cause`) is unreachable too. */
export function exitCodeFor(error: unknown): ExitCode {
  if (!(error instanceof Error)) return ExitCode.failed;
  const code = exitCodeForName(error.name);
  if (code === ExitCode.failed && error.cause instanceof Error && exitCodeFor(error.cause) === ExitCode.unreachable) return ExitCode.unreachable;
  return code;
}
