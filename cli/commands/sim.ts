/**
 * `strap sim [options]`: the virtual strap (sim/cli.ts, what `npm start`
 * runs) in this process; options go through to it unchanged, its exit code
 * is ours, and Ctrl-C (SIGINT) stops it.
 */
import type { Command } from '../command.js';

const HELP_HEADER = `Usage: strap sim [options]

Runs the virtual strap (sim/cli.ts, the same as npm start): options pass
through unchanged, Ctrl-C stops it, its exit code is ours.
Its own help follows.

`;

export const simCommand: Command = {
  name: 'sim',
  summary: 'the virtual strap on its default scenario (npm start); prints its tcp:// port',
  async run(argv) {
    if (argv.includes('--help') || argv.includes('-h')) process.stdout.write(HELP_HEADER);
    // Loaded when needed, as the other commands need none of the simulator.
    const { runSimulator } = await import('../../sim/cli.js');
    return runSimulator(argv);
  },
};
