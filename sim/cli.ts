/**
 * `npm start` (sim/main.ts) and `strap sim` (cli/commands/sim.ts): the
 * virtual strap on its embedded default scenario, as a function of the
 * arguments and the output streams that returns the exit code.
 *
 * Builds the firmware if it is missing or older than its sources, flashes it
 * into a virtual board's Storage as boot code, powers the board on, applies the
 * scenario and shows the console. Without --once the board keeps running in
 * paced (wall-clock) mode with its console on TCP (and optionally a
 * pseudo-terminal) so the espruino CLI or a terminal can attach.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PacedDriver } from './clock/paced-driver';
import { startPtyConsole, type PtyConsole } from './board/console/links/pty-console';
import { startTcpConsole } from './board/console/links/tcp-console';
import type { ConsolePort } from './board/console/console-contract';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { DEFAULT_SCENARIO } from './scenario/default-scenario';
import { describeStep } from './scenario/describe-step';
import { parseScenario, scheduleScenario, type Scenario } from './scenario/scenario';
import { createVirtualStrap } from './scenario/virtual-strap';

const HELP = `Usage: npm start -- [options]

Runs the virtual strap: builds dist/strap.js if needed, flashes it into a
virtual Puck.js-class board (Espruino 2v29) as boot code, powers it on and
plays a scenario, showing the board's console.

Options:
  --seed <n|text>      seed of every random stream (default 1): same seed, same output
  --once               play the scenario as fast as possible, then exit
  --pace <x>           virtual seconds per wall second when not --once (default 1)
  --tcp-port <n>       console on tcp://127.0.0.1:<n> (default 0: a free port)
  --pty <path>         also expose the console as a pseudo-terminal at <path> (needs socat)
  --scenario <file>    a scenario JSON file instead of the embedded default; "none" for none
  --firmware <file>    the bundle to flash (default dist/strap.js)
  --no-build           do not rebuild the firmware even if its sources are newer
  -h, --help           this text

Attach while it runs (the port is printed at start):
  espruino CLI:  npx espruino --no-ble --board sim/board/espruino-board.json -p tcp://127.0.0.1:PORT
  a terminal:    socat -,raw,echo=0 TCP:127.0.0.1:PORT      (Ctrl-] then q to leave telnet-like tools)
`;

const ROOT = resolve(import.meta.dirname, '..');

/** Where the simulator writes: the console and its notes on `stdout`, everything else on `stderr`. */
export interface SimulatorOutput {
  stdout: { write(bytes: string | Uint8Array): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * Runs the simulator on `argv` (the options, without node and the script):
 * with --once until the scenario ends, otherwise until SIGINT or SIGTERM.
 * Resolves with the exit code: 0 done, 2 a usage error, 1 anything else
 * (said on `stderr` as `strap sim: …`).
 */
export async function runSimulator(argv: string[], output: SimulatorOutput = process): Promise<number> {
  try {
    return await simulate(argv, output);
  } catch (error) {
    output.stderr.write(`strap sim: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

async function simulate(argv: string[], output: SimulatorOutput): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string', default: '1' },
      once: { type: 'boolean', default: false },
      pace: { type: 'string', default: '1' },
      'tcp-port': { type: 'string', default: '0' },
      pty: { type: 'string' },
      scenario: { type: 'string' },
      firmware: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    output.stdout.write(HELP);
    return 0;
  }
  const seed = /^\d+$/.test(values.seed!) ? Number(values.seed) : values.seed!;
  const pace = Number(values.pace);
  const tcpPort = Number(values['tcp-port']);
  if (!(pace > 0)) throw new UsageError('--pace must be a number > 0');
  if (!Number.isInteger(tcpPort) || tcpPort < 0 || tcpPort > 65535) throw new UsageError('--tcp-port must be 0..65535');

  const firmwarePath = resolve(values.firmware ?? BUNDLE_PATH);
  if (!values.firmware && !values['no-build']) buildFirmwareIfStale(firmwarePath);
  if (!existsSync(firmwarePath)) throw new UsageError(`no firmware at ${firmwarePath}: run npm run build:firmware`);
  const scenario = loadScenario(values.scenario);

  const out = new Transcript(output.stdout);
  const strapStart = Date.now();
  const { board, clock, target } = createVirtualStrap({
    firmware: readFileSync(firmwarePath, 'latin1'),
    seed,
    powerOn: false,
  });
  // Listen before power-on so the boot output is shown.
  board.console.onOutput((bytes) => out.console(bytes));
  board.on('boot', (e) => out.note(clock.nowMs(), `board booted (${e.reason})`));
  board.on('powerOff', (e) => out.note(clock.nowMs(), `board powered off (${e.reason})`));
  if (scenario) {
    out.note(clock.nowMs(), `scenario "${scenario.name}": ${scenario.description} (${scenario.durationMs / 1000} s, seed ${seed})`);
    scheduleScenario(target, scenario, (step) => out.note(clock.nowMs(), describeStep(step)));
  }

  if (values.once) {
    board.powerOn();
    clock.advanceTo((scenario?.durationMs ?? 0));
    out.end();
    output.stderr.write(`virtual ${(clock.nowMs() / 1000).toFixed(1)} s in ${((Date.now() - strapStart) / 1000).toFixed(2)} s of wall time\n`);
    return 0;
  }

  // a fault inside a clock event is said and the simulator carries on (the board's own are reported on its console)
  const driver = new PacedDriver(clock, {
    scale: pace,
    onError: (error) => output.stderr.write(`strap sim: fault at ${(clock.nowMs() / 1000).toFixed(3)} s: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  const port: ConsolePort = {
    input: (bytes) => {
      board.console.input(bytes);
      driver.poke();
    },
    onOutput: (listener) => board.console.onOutput(listener),
  };
  const tcp = await startTcpConsole({ console: port, port: tcpPort, onHostConnected: () => board.repl.showPrompt() });
  let pty: PtyConsole | undefined;
  if (values.pty) pty = await startPtyConsole({ console: port, linkPath: resolve(values.pty) });
  const boardJson = relative(process.cwd(), join(ROOT, 'sim/board/espruino-board.json'));
  output.stderr.write(
    [
      `virtual strap running (paced ×${pace}); console on ${tcp.url}${pty ? ` and ${pty.linkPath}` : ''}`,
      `  flash it:   npx espruino --no-ble --board ${boardJson} --config SAVE_ON_SEND=1 ${relative(process.cwd(), firmwarePath)} -p ${tcp.url}`,
      `  evaluate:   npx espruino --no-ble --board ${boardJson} -p ${tcp.url} -e "print(strap.status())"`,
      `  terminal:   socat -,raw,echo=0 TCP:127.0.0.1:${tcp.port}${pty ? `   or   picocom ${pty.linkPath}` : ''}`,
      `  Ctrl-C here stops the board.`,
      '',
    ].join('\n'),
  );
  driver.start();
  board.powerOn();

  await new Promise<void>((resolveStop) => {
    process.once('SIGINT', resolveStop);
    process.once('SIGTERM', resolveStop);
  });
  driver.stop();
  await tcp.close();
  await pty?.close();
  out.end();
  return 0;
}

/** Console bytes as they come, and the simulator's own notes on lines of their own. */
class Transcript {
  private atLineStart = true;

  constructor(private readonly stdout: SimulatorOutput['stdout']) {}

  console(bytes: string): void {
    this.stdout.write(Buffer.from(bytes, 'latin1'));
    this.atLineStart = bytes.endsWith('\n');
  }

  note(timeMs: number, text: string): void {
    const line = `${this.atLineStart ? '' : '\n'}# ${(timeMs / 1000).toFixed(3)}s ${text}\n`;
    this.stdout.write(line);
    this.atLineStart = true;
  }

  end(): void {
    if (!this.atLineStart) this.stdout.write('\n');
  }
}

function loadScenario(option: string | undefined): Scenario | undefined {
  if (option === undefined) return DEFAULT_SCENARIO;
  if (option === 'none') return undefined;
  const path = resolve(option);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read scenario ${path}: ${(e as Error).message}`);
  }
  return parseScenario(json, path);
}

function buildFirmwareIfStale(outFile: string): void {
  const built = existsSync(outFile) ? statSync(outFile).mtimeMs : 0;
  if (built > 0 && newestSourceMs(join(ROOT, 'firmware')) <= built) return;
  const tsx = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
  const result = spawnSync(process.execPath, [tsx, join(ROOT, 'firmware/build/cli.ts')], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new UsageError('the firmware build failed (see above)');
}

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(path));
    else if (/\.(ts|json)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

class UsageError extends Error {}
