import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { compileFirmware } from './compile';
import { RULES } from './espruino-2v29';
import { BUNDLE_FILE, REPOSITORY_ROOT, sourceMapPathFor } from './outputs';
import { FirmwareBuildError, formatProblem, type Problem } from './problem';
import { generateStatechartTables } from './statechart-tables';

export { FirmwareBuildError, formatProblem, type Problem };

/**
 * The flashed file's budget. Raised from 24 KB to 36 KB when the payment
 * control plane (the NCI and T=1 drivers, card emulation, the transactions:
 * about 7 KB) and tap-to-pair (firmware/ble/: about 4 KB) came in, then
 * lowered to 34 KB once the build shortened private names, `this`,
 * prototypes and `void 0` (35.9 KB -> 33.5 KB), and raised to 36 KB again
 * for the wallet service (unlock, transactions, token state, the chunked
 * APDU transfer and status notifications: about 2.4 KB). Puck.js 2v29's
 * Storage is 10 x 4 KB pages (sim/board/storage/flash-memory.ts): two slots
 * of this size do not fit beside each other (that needs a bundle under about
 * 18 KB), so the flasher runs single-slot (host-bridge/flash/storage-plan.ts).
 * 36 KB single-slot: 36,864 + 32 (header) for the bundle, about 100 for its
 * record, about 900 for the loader and 1,024 kept for the firmware's own
 * files (strap.cfg, strap.boots, sched.0/1, ble.bonds: about 460 with four
 * bonds) come to about 38.9 KB of the 40 KB (storage-plan.test.ts).
 */
export const DEFAULT_BUDGET_BYTES = 36 * 1024;

export interface BuildOptions {
  /** Root-relative or absolute; default firmware/main.ts. */
  entry?: string;
  /** Root-relative or absolute; default dist/strap.js (the map goes beside it as .map). */
  outFile?: string;
  budgetBytes?: number;
  /** Write the file and its map; default true. */
  write?: boolean;
  /** Type-check with firmware/tsconfig.json (when it exists); default true. */
  typeCheck?: boolean;
  /** The repository root; default the one holding this file. */
  root?: string;
}

export interface BuildResult {
  code: string;
  /** The source map (JSON), chained back to the TypeScript sources. */
  map: string;
  bytes: number;
  budgetBytes: number;
  problems: Problem[];
}

export interface CheckSourceOptions {
  /** Root-relative name the source is reported under; relative imports resolve from its folder. Default firmware/source-under-check.ts. */
  fileName?: string;
  /** Default false: a full type-check takes a second or two. */
  typeCheck?: boolean;
  budgetBytes?: number;
  root?: string;
}

/** Builds dist/strap.js (after writing the statechart tables); throws FirmwareBuildError listing every problem (statecharts, rules, types, budget). */
export async function buildFirmware(options: BuildOptions = {}): Promise<BuildResult> {
  const root = options.root ?? REPOSITORY_ROOT;
  const outFile = path.resolve(root, options.outFile ?? BUNDLE_FILE);
  // Statecharts first: the firmware imports the tables lowered from them (write: false reports stale tables instead).
  const statecharts = await generateStatechartTables({ root, write: options.write !== false });
  if (statecharts.problems.length > 0) throw new FirmwareBuildError(statecharts.problems);
  const compiled = await compileFirmware(
    { entry: options.entry ?? 'firmware/main.ts' },
    { root, outFile, tsconfigPath: options.typeCheck === false ? undefined : firmwareTsconfig(root) },
  );
  const result = withBudget(compiled, options.budgetBytes ?? DEFAULT_BUDGET_BYTES, root, outFile);
  if (result.problems.length > 0) throw new FirmwareBuildError(result.problems);
  if (options.write !== false) {
    await mkdir(path.dirname(outFile), { recursive: true });
    await writeFile(outFile, result.code);
    await writeFile(sourceMapPathFor(outFile), result.map);
  }
  return result;
}

/** Runs a source text through the whole pipeline; problems are returned, not thrown. Nothing is written. */
export async function checkFirmwareSource(source: string, options: CheckSourceOptions = {}): Promise<BuildResult> {
  const root = options.root ?? REPOSITORY_ROOT;
  const outFile = path.resolve(root, BUNDLE_FILE);
  const compiled = await compileFirmware(
    { source, fileName: options.fileName ?? 'firmware/source-under-check.ts' },
    { root, outFile, tsconfigPath: options.typeCheck ? firmwareTsconfig(root) : undefined },
  );
  return withBudget(compiled, options.budgetBytes ?? DEFAULT_BUDGET_BYTES, root, outFile);
}

/** `dist/strap.js: 12.3 KB of 24 KB budget (51%)` */
export function describeSize(result: Pick<BuildResult, 'bytes' | 'budgetBytes'>, file = BUNDLE_FILE): string {
  const kb = (bytes: number): string => {
    const value = bytes / 1024;
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
  };
  return `${file}: ${kb(result.bytes)} KB of ${kb(result.budgetBytes)} KB budget (${Math.round((result.bytes / result.budgetBytes) * 100)}%)`;
}

function firmwareTsconfig(root: string): string | undefined {
  const tsconfig = path.join(root, 'firmware', 'tsconfig.json');
  return existsSync(tsconfig) ? tsconfig : undefined;
}

function withBudget(compiled: { code: string; map: object | null; problems: Problem[] }, budgetBytes: number, root: string, outFile: string): BuildResult {
  const bytes = Buffer.byteLength(compiled.code, 'utf8');
  const result: BuildResult = { code: compiled.code, map: compiled.map ? JSON.stringify(compiled.map) : '', bytes, budgetBytes, problems: compiled.problems };
  if (compiled.map && bytes > budgetBytes) {
    const file = path.relative(root, outFile).split(path.sep).join('/');
    result.problems = [
      ...result.problems,
      { file, line: 1, column: 1, rule: RULES.budget, message: `${describeSize(result, file)}: ${bytes - budgetBytes} bytes over` },
    ];
  }
  return result;
}
