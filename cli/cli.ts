/**
 * `strap <command> [options]`: dispatch, `--help`, `--version`, and the exit
 * code for whatever a command throws (exit-codes.ts).
 */
import { readFileSync } from 'node:fs';
import type { Command } from './command';
import { apiCommand } from './commands/api';
import { bondsCommand } from './commands/bonds';
import { consoleCommand } from './commands/console';
import { flashCommand } from './commands/flash';
import { hilCommand } from './commands/hil';
import { pairCommand } from './commands/pair';
import { payCommand } from './commands/pay';
import { simCommand } from './commands/sim';
import { statusCommand } from './commands/status';
import { EXIT_CODES_HELP, ExitCode, UsageError } from './exit-codes';
import { reportFailure } from './output';

export const COMMANDS: readonly Command[] = [statusCommand, consoleCommand, flashCommand, hilCommand, simCommand, payCommand, pairCommand, bondsCommand, apiCommand];

export const HELP = `Usage: strap <command> [options]

Talks to a strap board (a real one on a serial port, or the virtual one on
TCP) through its Espruino console, and runs the virtual board and the HIL suite.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

\`strap <command> --help\` lists a command's options. Every board is named the
same way, with --port:
  /dev/ttyACM0, /dev/serial/by-id/..., a pseudo-terminal's path   a serial port (serialport)
  tcp://127.0.0.1:PORT                                            a TCP console (the virtual board)

Options:
  -h, --help       this text
  -v, --version    the CLI's version

Examples:
  strap sim                                      # the virtual strap; prints its tcp:// port
  strap status --port tcp://127.0.0.1:PORT --json
  strap flash --port /dev/ttyACM0
  echo 'strap.status()' | strap console --port /dev/ttyACM0
  strap hil --rig in-process --report artifacts/hil
  strap pair                                     # the phone tap-to-pairs with a virtual strap, step by step

${EXIT_CODES_HELP}`;

/** Runs the CLI on `argv` (without node and the script) and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP);
    return first === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`strap ${packageVersion()}\n`);
    return ExitCode.ok;
  }
  const command = COMMANDS.find((c) => c.name === first);
  try {
    if (!command) {
      const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command ${JSON.stringify(first)}`;
      throw new UsageError(`${what}; commands: ${COMMANDS.map((c) => c.name).join(', ')} (strap --help)`);
    }
    if (command.help !== undefined && (rest.includes('--help') || rest.includes('-h'))) {
      process.stdout.write(command.help);
      return ExitCode.ok;
    }
    return await command.run(rest);
  } catch (error) {
    return reportFailure(command?.name, error);
  }
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
