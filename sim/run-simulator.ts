/**
 * The virtual strap that `npm start` and `strap sim`
 * (cli/commands/sim.ts) run, as a function of options already checked by the
 * CLI (which owns the command line: one usage-error path for every entry) and
 * the output streams; it returns the exit code.
 *
 * Builds the firmware if it is missing or older than its sources, flashes it
 * into a virtual board's Storage as boot code, powers the board on, applies the
 * scenario and shows the console. Without `once` the board keeps running in
 * paced (wall-clock) mode with its console on TCP (and optionally a
 * pseudo-terminal) so the espruino CLI or a terminal can attach.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PacedDriver } from './clock/paced-driver';
import { startPtyConsole, type PtyConsole } from './board/console/links/pty-console';
import { startTcpConsole } from './board/console/links/tcp-console';
import type { ConsolePort } from './board/console/console-contract';
import { describeStep } from './scenario/describe-step';
import { describeTap } from './scenario/describe-tap';
import { scheduleScenario, type Scenario } from './scenario/scenario';
import { createVirtualStrap } from './scenario/virtual-strap';
import { loadStrapFlash, saveStrapFlash } from './phone/strap-flash';
import { attachStrapRadio, pairState } from './phone/strap-on-hci';
import { VIRTUAL_STRAP_ADDRESS } from './phone/virtual-pairing';
import { startH4TcpServer, type H4TcpServer } from './radio/h4-tcp-server';
import { runUntil } from './radio/run-until';

/** `strap pair`'s default state folder, relative to where it runs (cli/commands/pair.ts): `--bonds` is not needed for it. */
const DEFAULT_PAIR_STATE = 'artifacts/pair/state';

const ROOT = resolve(import.meta.dirname, '..');

export interface SimulatorOptions {
  /** Seed of every random stream: the same seed, the same output. */
  seed: number | string;
  /** Play the scenario as fast as virtual time allows, then return. */
  once: boolean;
  /** Virtual seconds per wall second when not `once`. */
  pace: number;
  /** The console's TCP port (0: a free one). */
  tcpPort: number;
  /** Also a pseudo-terminal at this absolute path (not with `once`). */
  pty?: string;
  /** The scenario (loaded by sim/scenario/scenario-file.ts), or none. */
  scenario: Scenario | undefined;
  /** The bundle to flash. */
  firmwarePath: string;
  /** Rebuild dist/strap.js first when its sources are newer. */
  buildIfStale: boolean;
  /** Where each tap's ISO 14443 pcap and NCI log go (default artifacts/taps under the repository). */
  traceDir?: string;
  /**
   * The strap's Bluetooth for a host outside (sim/phone/strap-on-hci.ts): its flash and bonds from
   * `strap pair`'s `stateDir`, the phone's controller as H4 over TCP on 127.0.0.1:`hciPort` (0: a free one).
   * Not with `once`.
   */
  ble?: { hciPort: number; stateDir: string };
}

/** Where taps' traces go unless told otherwise. */
export const DEFAULT_TRACE_DIR = join(ROOT, 'artifacts', 'taps');

/** Where the simulator writes: the console and its notes on `stdout`, everything else on `stderr`. */
export interface SimulatorOutput {
  stdout: { write(bytes: string | Uint8Array): unknown };
  stderr: { write(text: string): unknown };
}

/** The wall clock (ms) behind `once`'s progress lines and timing; tests pass a fake one. */
export type WallClock = () => number;

/** With `once`, a line of progress at most this often (wall time), and only once a run has taken that long. */
export const PROGRESS_INTERVAL_MS = 2000;
/** `once` advances virtual time in slices this long, to look at the wall clock between them. */
const ONCE_SLICE_MS = 60_000;

/**
 * Runs the simulator: with `once` until the scenario ends (progress on
 * `stderr` every PROGRESS_INTERVAL_MS of wall time), otherwise until SIGINT
 * or SIGTERM. Resolves with the exit code; throws what it cannot do (the
 * firmware build failed, a port is taken) for the CLI to report.
 */
export async function runSimulator(options: SimulatorOptions, output: SimulatorOutput = process, wallClock: WallClock = Date.now): Promise<number> {
  const { seed, scenario, firmwarePath } = options;
  if (options.buildIfStale) await buildFirmwareIfStale(firmwarePath, output.stderr);
  if (!existsSync(firmwarePath)) throw new Error(`no firmware at ${firmwarePath}: run npm run build:firmware`);

  const out = new Transcript(output.stdout);
  const strapStart = wallClock();
  // Told to the user in each tap's note: relative to where they stand when it is below it.
  const traceDir = options.traceDir ?? (relative(process.cwd(), DEFAULT_TRACE_DIR).startsWith('..') ? DEFAULT_TRACE_DIR : relative(process.cwd(), DEFAULT_TRACE_DIR));
  const pairPaths = options.ble ? pairState(options.ble.stateDir) : undefined;
  const flash = pairPaths ? loadStrapFlash(pairPaths.flashFile) : undefined;
  const { board, clock, target, payment } = createVirtualStrap({
    firmware: readFileSync(firmwarePath, 'latin1'),
    seed,
    powerOn: false,
    traceDir,
    ...(flash ? { flash } : {}),
  });
  // the SoftDevice's ble-host is up before the board powers on, so boot finds its radio, as on a Puck.js
  const radio = options.ble ? attachStrapRadio(board, clock, { seed, stateDir: options.ble.stateDir }) : undefined;
  if (radio && !runUntil(clock, () => radio.softDevice.ready, 60_000)) throw new Error('the virtual strap did not start its BLE host');
  const taps: Array<{ amountMinor: number; currency: number }> = [];
  const tapTarget: typeof target = {
    ...target,
    tap: (purchase) => {
      taps.push({ amountMinor: purchase.amountMinor, currency: purchase.currency ?? payment.world.currency });
      target.tap(purchase);
    },
  };
  payment.onTap((tap) => out.note(clock.nowMs(), describeTap(tap, taps[payment.taps.length - 1] ?? { amountMinor: 0, currency: payment.world.currency })));
  // Listen before power-on so the boot output is shown.
  board.console.onOutput((bytes) => out.console(bytes));
  board.on('boot', (e) => out.note(clock.nowMs(), `board booted (${e.reason})`));
  board.on('powerOff', (e) => out.note(clock.nowMs(), `board powered off (${e.reason})`));
  if (scenario) {
    out.note(clock.nowMs(), `scenario "${scenario.name}": ${scenario.description} (${scenario.durationMs / 1000} s, seed ${seed})`);
    scheduleScenario(tapTarget, scenario, (step) => out.note(clock.nowMs(), describeStep(step)));
  }

  if (options.once) {
    board.powerOn();
    const endMs = scenario?.durationMs ?? 0;
    let reportedAt = strapStart;
    while (clock.nowMs() < endMs) {
      // A tap in flight drives the clock itself (its exchange awaits between events): wait for it.
      clock.advanceToWhile(Math.min(endMs, clock.nowMs() + ONCE_SLICE_MS), () => !payment.inFlight());
      const tap = payment.inFlight();
      if (tap) await tap.catch(() => undefined);
      const now = wallClock();
      if (now - reportedAt >= PROGRESS_INTERVAL_MS && clock.nowMs() < endMs) {
        reportedAt = now;
        output.stderr.write(`virtual ${(clock.nowMs() / 1000).toFixed(0)} s of ${(endMs / 1000).toFixed(0)} s (${Math.floor((clock.nowMs() / endMs) * 100)} %) after ${((now - strapStart) / 1000).toFixed(0)} s\n`);
      }
    }
    clock.advanceTo(endMs);
    out.end();
    output.stderr.write(`virtual ${(clock.nowMs() / 1000).toFixed(1)} s in ${((wallClock() - strapStart) / 1000).toFixed(2)} s of wall time\n`);
    return 0;
  }

  // a fault inside a clock event is said and the simulator carries on (the board's own are reported on its console)
  const driver = new PacedDriver(clock, {
    scale: options.pace,
    hold: () => payment.inFlight() !== undefined,
    onError: (error) => output.stderr.write(`strap sim: fault at ${(clock.nowMs() / 1000).toFixed(3)} s: ${error instanceof Error ? error.message : String(error)}\n`),
  });
  const port: ConsolePort = {
    input: (bytes) => {
      board.console.input(bytes);
      driver.poke();
    },
    onOutput: (listener) => board.console.onOutput(listener),
  };
  const onNote = (text: string) => out.note(clock.nowMs(), text);
  const tcp = await startTcpConsole({ console: port, port: options.tcpPort, onHostConnected: () => board.repl.showPrompt(), onNote });
  let pty: PtyConsole | undefined;
  let hci: H4TcpServer | undefined;
  try {
    if (options.pty) pty = await startPtyConsole({ console: port, linkPath: options.pty, onNote });
    if (radio && options.ble) hci = await startH4TcpServer(radio.hostController, clock, { port: options.ble.hciPort, afterHostPacket: () => driver.poke() });
  } catch (error) {
    await tcp.close();
    await pty?.close();
    throw error;
  }
  const bleLines = hci
    ? [
        `  Bluetooth:  strap ${VIRTUAL_STRAP_ADDRESS}; the phone's controller as H4 on tcp:127.0.0.1:${hci.port} (bonds from ${relative(process.cwd(), options.ble!.stateDir) || '.'})`,
        `              npx strap status --port ble:${VIRTUAL_STRAP_ADDRESS} --hci tcp:127.0.0.1:${hci.port}${options.ble!.stateDir === resolve(DEFAULT_PAIR_STATE) ? '' : ` --bonds ${pairPaths!.phoneDir}`}`,
      ]
    : [];
  const boardJson = relative(process.cwd(), join(ROOT, 'sim/board/espruino-board.json'));
  output.stderr.write(
    [
      `virtual strap running (paced ×${options.pace}); console on ${tcp.url}${pty ? ` and ${pty.linkPath}` : ''}`,
      `  flash it:   npx espruino --no-ble --board ${boardJson} --config SAVE_ON_SEND=1 ${relative(process.cwd(), firmwarePath)} -p ${tcp.url}`,
      `  evaluate:   npx espruino --no-ble --board ${boardJson} -p ${tcp.url} -e "print(strap.status())"`,
      `  terminal:   socat -,raw,echo=0 TCP:127.0.0.1:${tcp.port}${pty ? `   or   picocom ${pty.linkPath}` : ''}`,
      ...bleLines,
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
  await hci?.close();
  if (pairPaths && flash) saveStrapFlash(pairPaths.flashFile, flash);
  out.end();
  return 0;
}

/**
 * The pseudo-terminal another simulator (or anything) holds at `linkPath`:
 * the device a symlink there points to when that device exists. A link whose
 * pty is gone is stale (its simulator died) and may be replaced.
 */
export function ptyLinkHolder(linkPath: string): string | undefined {
  try {
    if (!lstatSync(linkPath).isSymbolicLink()) return linkPath;
    return realpathSync(linkPath);
  } catch {
    return undefined; // nothing there, or a dangling link
  }
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

/** Rebuilds when a firmware source is newer than the bundle; the build's report goes to `log` (loaded only then: it brings the toolchain). */
export async function buildFirmwareIfStale(outFile: string, log: { write(text: string): unknown }): Promise<void> {
  const built = existsSync(outFile) ? statSync(outFile).mtimeMs : 0;
  if (built > 0 && newestSourceMs(join(ROOT, 'firmware')) <= built) return;
  const { buildAndReport } = await import('../firmware/build/build-and-report');
  if ((await buildAndReport({ out: log, err: log })) !== 0) throw new Error('the firmware build failed (see above)');
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

