/**
 * `strap flash`: builds the firmware (unless --file names a bundle), then
 * flashes it with host-bridge/flash (identify, upload to the inactive slot,
 * verify by CRC read back, switch, reset, wait for the banner), showing
 * progress on stderr.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BUNDLE_FILE, BUNDLE_PATH } from '../../firmware/build/outputs.js';
import { flashFirmware, renderProgressBar, type FlashProgress, type FlashResult } from '../../host-bridge/flash/index.js';
import { connectBoard } from '../board.js';
import type { Command } from '../command.js';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes.js';
import { BOARD_OPTIONS, BOARD_OPTIONS_HELP, HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, boardTarget, parseOptions } from '../options.js';
import { printJson, reportFailure } from '../output.js';

const HELP = `Usage: strap flash --port <port> [--file <bundle>] [--build] [--force] [--json]

Builds the firmware (npm run build:firmware) and flashes ${BUNDLE_FILE}:
checks the board runs the strap firmware, uploads the bundle into the
inactive Storage slot, verifies it by reading back its CRC-32, switches to
it, resets the board and waits for the boot banner. An interrupted flash
leaves the previous firmware booting. Progress goes to stderr.

Options:
${BOARD_OPTIONS_HELP}
      --file <bundle>  flash this bundle as it is (no build)
      --build          build even when --file is given
      --force          flash a board that does not run the strap firmware (yet)
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

Examples:
  strap flash --port /dev/ttyACM0
  strap flash --port tcp://127.0.0.1:4000 --file ${BUNDLE_FILE} --json
  strap flash --port /dev/ttyACM0 --force        # a new board with plain Espruino

${EXIT_CODES_HELP}`;

export const flashCommand: Command = {
  name: 'flash',
  summary: 'build the firmware and flash it: verified; cut off, the board boots the previous firmware or a safe mode',
  help: HELP,
  async run(argv) {
    const values = parseOptions('flash', argv, {
      ...BOARD_OPTIONS,
      file: { type: 'string' },
      build: { type: 'boolean' },
      force: { type: 'boolean' },
      ...JSON_OPTION,
    });
    const target = boardTarget(values);
    const file = resolve(values.file ?? BUNDLE_PATH);
    try {
      if (values.file === undefined || values.build) await buildFirmware();
      const bundle = readBundle(file);
      const client = await connectBoard(target);
      const progress = progressLine();
      try {
        const result = await flashFirmware(client, { bundle, force: values.force, onProgress: progress.show });
        progress.end(); // before the result, on a line of its own
        if (values.json) printJson({ file, ...result });
        else process.stdout.write(describeResult(file, result));
      } finally {
        progress.end();
        await client.close().catch(() => undefined);
      }
      return ExitCode.ok;
    } catch (error) {
      return reportFailure('flash', error, { json: values.json, port: target.port });
    }
  },
};

async function buildFirmware(): Promise<void> {
  // Loaded when needed: the build's toolchain (TypeScript, esbuild, terser) is heavy for the other commands.
  const { buildAndReport } = await import('../../firmware/build/build-and-report.js');
  // Build output goes to stderr: stdout is for the result (--json).
  const code = await buildAndReport({ out: process.stderr, err: process.stderr });
  if (code !== 0) throw new Error(`the firmware build failed (exit ${code}; see above)`);
}

function readBundle(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch (error) {
    throw new UsageError(`cannot read the bundle ${file}: ${(error as Error).message}`);
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

function describeResult(file: string, r: FlashResult): string {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  return [
    `flashed ${file} (${kb(r.bytes)}, crc32 ${r.crc32.toString(16).padStart(8, '0')}) into slot ${r.slot} in ${(r.elapsedMs / 1000).toFixed(1)} s (upload ${kb(r.uploadBytesPerSecond)}/s)`,
    `  before: ${r.previous}`,
    `  now:    ${r.banner}`,
    r.keptPrevious
      ? '  the previous firmware stays in the other slot as the fallback'
      : '  single slot (Storage has no room for two): a cut-off flash leaves the loader in safe mode, reflashable',
    '',
  ].join('\n');
}

