/**
 * `strap sim [options]`, which is also `npm start -- [options]` (package.json runs
 * this command): the virtual strap (runSimulator from sim/run-simulator.ts) in
 * this process. The command line is checked here, through the CLI's one
 * usage-error path (options.ts): a bad option, value, file or pty path is
 * exit 2 and one line naming it, before the board starts.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUNDLE_FILE, BUNDLE_PATH } from '../../firmware/build/outputs';
import type { SimulatorOptions } from '../../sim/run-simulator';
import type { Command } from '../command';
import { EXIT_CODES_HELP, UsageError } from '../exit-codes';
import { HELP_OPTION_HELP, existingFile, parseOptions, positiveNumber } from '../options';
import { reportFailure } from '../output';
import { DEFAULT_PAIR_DIR } from './pair';

/** `strap pair`'s default state folder. */
const DEFAULT_PAIR_STATE = `${DEFAULT_PAIR_DIR}/state`;

const HELP = `Usage: strap sim [options]        (npm start -- [options] is the same)

Runs the virtual strap: builds ${BUNDLE_FILE} if needed, flashes it into a
virtual Puck.js-class board (Espruino 2v29) as boot code, powers it on and
plays a scenario, showing the board's console. Ctrl-C stops it.

Options:
      --seed <n|text>      seed of every random stream (default 1): same seed, same output
      --once               play the scenario as fast as possible, then exit (progress on stderr every 2 s of a long run)
      --pace <x>           virtual seconds per wall second when not --once (default 1)
      --tcp-port <n>       console on tcp://127.0.0.1:<n> (default 0: a free port)
      --pty <path>         also expose the console as a pseudo-terminal at <path> (needs socat; not with --once)
      --scenario <file>    a scenario JSON file instead of the embedded default; "none" for none
                           ({durationMs ≤ 604800000 (7 days), steps: [{atMs ≤ durationMs, kind, ...}]})
      --hci-port <n>       also the strap's Bluetooth: its air gets a controller with the companion phone's
                           address, served as H4 over TCP on 127.0.0.1:<n> (0: a free one, printed), and the
                           strap takes its flash and bonds from --state, so the phone's bond from strap pair
                           reaches its console: strap status --port ble:C0:11:22:33:44:01 --hci tcp:127.0.0.1:<n>
      --state <dir>        with --hci-port: strap pair's state folder (default ${DEFAULT_PAIR_STATE}); the strap's
                           flash is written back there when the simulator stops
      --firmware <file>    the bundle to flash (default ${BUNDLE_FILE})
      --no-build           do not rebuild the firmware even if its sources are newer
${HELP_OPTION_HELP}

Attach while it runs (the port is printed at start):
  espruino CLI:  npx espruino --no-ble --board sim/board/espruino-board.json -p tcp://127.0.0.1:PORT
  a terminal:    socat -,raw,echo=0 TCP:127.0.0.1:PORT      (Ctrl-] then q to leave telnet-like tools)

${EXIT_CODES_HELP}`;

export const simCommand: Command = {
  name: 'sim',
  summary: 'the virtual strap on its default scenario (npm start); prints its tcp:// port',
  help: HELP,
  async run(argv) {
    const values = parseOptions('sim', argv, {
      seed: { type: 'string', default: '1' },
      once: { type: 'boolean', default: false },
      pace: { type: 'string' },
      'tcp-port': { type: 'string' },
      pty: { type: 'string' },
      scenario: { type: 'string' },
      firmware: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'hci-port': { type: 'string' },
      state: { type: 'string' },
    });
    if (values['hci-port'] !== undefined && values.once) throw new UsageError('--hci-port does nothing with --once (no host could join before the scenario ends); drop one of them');
    if (values.state !== undefined && values['hci-port'] === undefined) throw new UsageError('--state goes with --hci-port (the strap takes its flash and bonds from it)');
    // Loaded when needed, as the other commands need none of the simulator.
    const { runSimulator, ptyLinkHolder } = await import('../../sim/run-simulator');
    const { loadScenarioOption } = await import('../../sim/scenario/scenario-file');
    const options: SimulatorOptions = {
      seed: /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed,
      once: values.once,
      pace: values.pace === undefined ? 1 : positiveNumber('--pace', values.pace),
      tcpPort: values['tcp-port'] === undefined ? 0 : tcpPort(values['tcp-port']),
      pty: values.pty === undefined ? undefined : ptyPath(values.pty, values.once, ptyLinkHolder),
      scenario: scenarioOption(values.scenario, loadScenarioOption),
      firmwarePath: values.firmware === undefined ? BUNDLE_PATH : existingFile('--firmware', values.firmware),
      buildIfStale: values.firmware === undefined && !values['no-build'],
      ...(values['hci-port'] === undefined ? {} : { ble: { hciPort: tcpPort(values['hci-port'], '--hci-port'), stateDir: resolve(values.state ?? DEFAULT_PAIR_STATE) } }),
    };
    if (!options.buildIfStale && values.firmware === undefined && !existsSync(BUNDLE_PATH)) {
      throw new UsageError(`no firmware at ${BUNDLE_FILE}: build it (npm run build:firmware) or drop --no-build`);
    }
    try {
      return await runSimulator(options);
    } catch (error) {
      return reportFailure('sim', error);
    }
  },
};

function tcpPort(text: string, option = '--tcp-port'): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new UsageError(`${option} must be 0..65535, got ${JSON.stringify(text)}`);
  return n;
}

/** An absolute path no live simulator holds (a link to a pty that still exists). */
function ptyPath(text: string, once: boolean, holder: (path: string) => string | undefined): string {
  if (once) throw new UsageError('--pty does nothing with --once (the scenario runs without a console); drop one of them');
  const path = resolve(text);
  const held = holder(path);
  if (held !== undefined) {
    const what = held === path ? (statSync(path).isDirectory() ? 'a directory' : 'a file, not a link') : `a link to ${held}, a pseudo-terminal in use (another strap sim?)`;
    throw new UsageError(`--pty ${text}: ${path} is ${what}; choose another path (or remove it if nothing uses it)`);
  }
  return path;
}

function scenarioOption(option: string | undefined, load: (option: string | undefined) => SimulatorOptions['scenario']): SimulatorOptions['scenario'] {
  try {
    return load(option);
  } catch (error) {
    if ((error as Error).name !== 'ScenarioError') throw error;
    throw new UsageError(`--scenario ${(error as Error).message}`);
  }
}
