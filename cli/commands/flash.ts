/**
 * `strap flash`: builds the firmware (unless --file names a bundle), then
 * flashes it with host-bridge/flash (bundle check, identify and plan the
 * room, upload, verify by CRC read back, switch, reset, wait for the
 * banner), showing progress on stderr; `--rollback` boots the firmware in the
 * other slot instead. Whatever stops it (the board, the port, Ctrl-C), it
 * says what the board boots now and the command that gets it back.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUNDLE_FILE, BUNDLE_PATH } from '../../firmware/build/outputs';
import {
  FlashAbortedError,
  FlashBootError,
  FlashInterruptedError,
  FlashVerifyError,
  NotStrapBundleError,
  flashFirmware,
  renderProgressBar,
  rollbackFirmware,
  type FlashProgress,
  type FlashResult,
} from '../../host-bridge/flash/index';
import { connectBoard } from '../board';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes';
import { BOARD_OPTIONS, BOARD_OPTIONS_HELP, HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, boardTarget, parseOptions } from '../options';
import { note, printJson, reportFailure } from '../output';

const HELP = `Usage: strap flash --port <port> [--file <bundle>] [--build] [--force] [--json]
       strap flash --port <port> --rollback [--json]

Builds the firmware (npm run build:firmware) and flashes ${BUNDLE_FILE}:
checks that the bundle is a strap firmware and the board runs it, makes
room in Storage (a bundle that cannot fit is refused before anything is
erased), uploads the bundle into a Storage slot, verifies it by reading back
its CRC-32, switches to it, resets the board and waits for the boot banner.
Progress goes to stderr.

When Storage has room for two slots the previous firmware stays in the other
one: an interrupted flash leaves it booting, and --rollback boots it again
(e.g. when the new firmware prints no banner). Without room for two, an
interrupted flash leaves the loader's safe mode (console up). Either way the
error says what the board boots, and running the same strap flash again
finishes the job. Ctrl-C stops at the next step or packet, says the same,
and exits 130.

Options:
${BOARD_OPTIONS_HELP}
      --file <bundle>  flash this bundle as it is (no build)
      --build          build even when --file is given
      --force          flash a board that does not run the strap firmware (yet), or a bundle that is not one
      --rollback       no flash: boot the firmware kept in the other slot (the newest slot's record is erased)
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

Examples:
  strap flash --port /dev/ttyACM0
  strap flash --port tcp://127.0.0.1:4000 --file ${BUNDLE_FILE} --json
  strap flash --port /dev/ttyACM0 --force        # a new board with plain Espruino
  strap flash --port /dev/ttyACM0 --rollback     # back to the previous firmware

${EXIT_CODES_HELP}`;

export const flashCommand: Command = {
  name: 'flash',
  summary: 'build the firmware and flash it: verified; cut off, it says what boots and how to finish',
  help: HELP,
  async run(argv) {
    const values = parseOptions('flash', argv, {
      ...BOARD_OPTIONS,
      file: { type: 'string' },
      build: { type: 'boolean' },
      force: { type: 'boolean' },
      rollback: { type: 'boolean' },
      ...JSON_OPTION,
    });
    const target = boardTarget(values);
    if (values.rollback && (values.file !== undefined || values.build || values.force)) throw new UsageError('--rollback flashes nothing: it takes no --file, --build or --force');
    const file = resolve(values.file ?? BUNDLE_PATH);
    const again = `strap flash ${argv.filter((a) => a !== '--json').map(shellWord).join(' ')}`;
    const stop = new AbortController();
    let flashing = false;
    const onSigint = () => {
      if (!flashing) {
        // Nothing sent yet (building, reading, connecting): nothing to tidy.
        process.stderr.write('\n');
        note('flash', 'interrupted (Ctrl-C) before anything was sent to the board: it is as it was');
        process.exit(ExitCode.interrupted);
      }
      if (stop.signal.aborted) {
        note('flash', `stopped at once: the board is as the last progress line left it; ${again} finishes the job`);
        process.exit(ExitCode.interrupted);
      }
      process.stderr.write('\n');
      note('flash', 'Ctrl-C: stopping at the next step or packet (Ctrl-C again quits at once)');
      stop.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      if (values.rollback) return await rollback(target, values.json);
      if (values.file === undefined || values.build) await buildFirmware();
      const bundle = readBundle(file);
      const client = await connectBoard(target);
      const progress = progressLine();
      try {
        flashing = true;
        const result = await flashFirmware(client, { bundle, force: values.force, onProgress: progress.show, signal: stop.signal });
        progress.end(); // before the result, on a line of its own
        if (values.json) printJson({ file, ...result });
        else process.stdout.write(describeResult(file, result, target.port));
      } finally {
        progress.end();
        await client.close().catch(() => undefined);
      }
      return ExitCode.ok;
    } catch (error) {
      return reportFailure('flash', error, { json: values.json, port: target.port, recover: recovery(error, target.port, again) });
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};

async function rollback(target: ReturnType<typeof boardTarget>, json: boolean | undefined): Promise<number> {
  const client = await connectBoard(target);
  try {
    const result = await rollbackFirmware(client);
    if (json) printJson(result);
    else process.stdout.write(`rolled back: ${target.port} boots ${result.firmware} again (${result.from}'s record erased)\n  now:    ${result.banner}\n`);
    return ExitCode.ok;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** The command that gets the board back after `error`, if it left something to do. */
function recovery(error: unknown, port: string, again: string): string | undefined {
  if (error instanceof NotStrapBundleError) return '--force flashes it anyway';
  if (error instanceof FlashBootError) {
    return error.fallback
      ? `to go back to ${error.fallback.firmware ?? 'the firmware'} in slot ${error.fallback.slot}: strap flash --port ${shellWord(port)} --rollback`
      : `to get back: strap flash --port ${shellWord(port)} --file <a bundle that works>`;
  }
  const claim = error instanceof FlashInterruptedError || error instanceof FlashAbortedError ? error : undefined;
  if (claim?.nothingWritten) return undefined;
  if (claim || error instanceof FlashVerifyError) return `to finish: ${again}`;
  return undefined;
}

async function buildFirmware(): Promise<void> {
  // Loaded when needed: the build's toolchain (TypeScript, esbuild, terser) is heavy for the other commands.
  const { buildAndReport } = await import('../../firmware/build/build-and-report');
  // Build output goes to stderr: stdout is for the result (--json).
  const code = await buildAndReport({ out: process.stderr, err: process.stderr });
  if (code !== 0) throw new Error(`the firmware build failed (exit ${code}; see above)`);
}

function readBundle(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`--file ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read the bundle: ${(error as Error).message}`}`);
  }
}

/** One updating line on a terminal; otherwise one line per phase, as it ended (logs, CI). */
function progressLine(): { show: (p: FlashProgress) => void; end: () => void } {
  const tty = process.stderr.isTTY;
  let last: FlashProgress | undefined;
  return {
    show(p) {
      if (tty) process.stderr.write(`\r${renderProgressBar(p)}\x1b[K`);
      else if (last && p.phase !== last.phase) process.stderr.write(`${renderProgressBar(last)}\n`);
      last = p;
    },
    end() {
      if (last) process.stderr.write(tty ? '\n' : `${renderProgressBar(last)}\n`);
      last = undefined;
    },
  };
}

function describeResult(file: string, r: FlashResult, port: string): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    `flashed ${file} (${r.firmware}, ${kb(r.bytes)}, crc32 ${r.crc32.toString(16).padStart(8, '0')}) into slot ${r.slot} in ${(r.elapsedMs / 1000).toFixed(1)} s (upload ${kb(r.uploadBytesPerSecond)}/s)`,
    `  before:   ${r.previous}`,
    `  now:      ${r.banner || 'no banner awaited (not a strap firmware)'}`,
    r.fallback
      ? `  fallback: ${r.fallback} stays in the other slot (strap flash --port ${shellWord(port)} --rollback boots it again)`
      : '  fallback: none (no room for a second slot, or there was no firmware in a slot to keep)',
    '',
  ].join('\n');
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

