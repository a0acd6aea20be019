/**
 * `npm run build:firmware` as a function: builds dist/strap.js (+ .map) and
 * says how it went, the size on `out`, every problem on `err`. The build's
 * command line (cli.ts) and `strap flash` (which keeps its stdout for the
 * result) both run it.
 */
import { buildFirmware, describeSize, FirmwareBuildError, formatProblem } from './build';
import { BUNDLE_FILE } from './outputs';
import { formatSizeReport, sizeReport } from './size-report';
import type { RawSourceMap } from './source-maps';

export interface BuildReportStreams {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

export interface BuildReportOptions {
  /** Also say where the bytes go: per source module, per kind of text, the costliest names and strings (size-report.ts). */
  sizes?: boolean;
}

/** Builds and writes the outputs; resolves with the exit code (1: problems, nothing written). */
export async function buildAndReport(streams: BuildReportStreams = { out: process.stdout, err: process.stderr }, options: BuildReportOptions = {}): Promise<number> {
  try {
    const result = await buildFirmware({ write: true });
    if (options.sizes) streams.out.write(formatSizeReport(sizeReport(result.code, JSON.parse(result.map) as RawSourceMap)));
    streams.out.write(`${describeSize(result)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof FirmwareBuildError)) throw error;
    for (const problem of error.problems) streams.err.write(`${formatProblem(problem)}\n`);
    streams.err.write(`${BUNDLE_FILE} not written: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}\n`);
    return 1;
  }
}
