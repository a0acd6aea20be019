import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beyondEs5ButArrows } from './arrow-functions';
import { buildFirmware, checkFirmwareSource, describeSize, FirmwareBuildError, formatProblem, type BuildResult } from './build';

describe('building the strap firmware', () => {
  let outDir: string;
  let result: BuildResult;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'strap-build-'));
    result = await buildFirmware({ outFile: path.join(outDir, 'strap.js') });
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('produces ES5 within the 36 KB budget, with no problems', () => {
    expect(result.problems).toEqual([]);
    expect(result.budgetBytes).toBe(36 * 1024);
    expect(result.bytes).toBe(Buffer.byteLength(result.code));
    expect(result.bytes).toBeLessThanOrEqual(result.budgetBytes);
    // ES5 but for the arrow functions the build writes for size (arrow-functions.ts).
    expect(beyondEs5ButArrows(result.code)).toEqual([]);
  });

  it('writes the file and a source map that leads back to the TypeScript', async () => {
    expect(await readFile(path.join(outDir, 'strap.js'), 'utf8')).toBe(result.code);
    const map = JSON.parse(await readFile(path.join(outDir, 'strap.js.map'), 'utf8'));
    expect(map.file).toBe('strap.js');
    const resolved = (map.sources as string[]).map((source) => path.relative(process.cwd(), path.resolve(outDir, source)));
    // main.ts holds only the call to boot(), which the build replaces by boot's statements (spread-calls.ts)
    expect(resolved).toContain(path.join('firmware', 'boot', 'boot.ts'));
    const traced = originalPositionFor(new TraceMap(map), { line: 1, column: result.code.indexOf('print(') });
    expect(traced.source).toMatch(/\.ts$/);
  });
});

describe('the build fails with every problem', () => {
  it('throws FirmwareBuildError with the size when over budget', async () => {
    const failure = await buildFirmware({ budgetBytes: 100, write: false, typeCheck: false }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FirmwareBuildError);
    const problems = (failure as FirmwareBuildError).problems;
    expect(problems.map((problem) => problem.rule)).toEqual(['budget']);
    expect(problems[0]!.message).toMatch(/^dist\/strap\.js: [\d.]+ KB of 0\.1 KB budget \(\d+%\): \d+ bytes over$/);
  });

  it('prints problems as path:line:col: rule: message', async () => {
    const result = await checkFirmwareSource('const m = new Map();\nprint(m);\n', { fileName: 'firmware/build/fixtures/printed.ts' });
    expect(result.problems.map(formatProblem)).toEqual([
      'firmware/build/fixtures/printed.ts:1:15: absent-global: Map is absent on Espruino 2v29; use a plain object keyed by string',
    ]);
  });

  it('describes the size against the budget', () => {
    expect(describeSize({ bytes: 12595, budgetBytes: 24 * 1024 })).toBe('dist/strap.js: 12.3 KB of 24 KB budget (51%)');
  });
});
