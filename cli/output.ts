/** What the commands print: data on stdout, messages and progress on stderr. */
import { ExitCode, exitCodeFor } from './exit-codes';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** `strap <command>: text` on stderr (`strap: text` when no command applies). */
export function note(command: string | undefined, text: string): void {
  process.stderr.write(`strap${command ? ` ${command}` : ''}: ${text}\n`);
}

export interface FailureContext {
  json?: boolean;
  /** The port in use: named in the message when the error text does not name it. */
  port?: string;
  /** How to recover (a command to run): a second line on stderr, `recover` in the JSON. */
  recover?: string;
}

/**
 * Says why `command` failed on stderr (and as `{"error": {...}}` on stdout
 * with --json) and returns the exit code for it.
 */
export function reportFailure(command: string | undefined, error: unknown, context: FailureContext = {}): ExitCode {
  const exitCode = exitCodeFor(error);
  const name = error instanceof Error ? error.name : 'Error';
  let message = error instanceof Error ? error.message : String(error);
  if (context.port && exitCode !== ExitCode.usage && !message.includes(context.port)) message = `${context.port}: ${message}`;
  note(command, message);
  if (context.recover) note(command, context.recover);
  if (context.json) printJson({ error: { name, message, exitCode, ...(context.recover ? { recover: context.recover } : {}) } });
  return exitCode;
}
