// Size figures for the statecharts on the strap, through the real firmware
// pipeline (bundle, ES5, Espruino helpers, terser, checks):
//   npx tsx firmware/build/statechart-size.ts
// The runtime's goal (issue 3) is 2 KB minified.
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkFirmwareSource, formatProblem } from './build';
import { TABLES_DIR } from './statechart-tables';

export const RUNTIME_GOAL_BYTES = 2 * 1024;

export interface SizeFigure {
  what: string;
  /** Minified bytes of a bundle holding only this (wrapper included). */
  bytes: number;
  /** The same less an empty bundle's: what this adds to dist/strap.js. */
  addedBytes: number;
  problems: string[];
}

/** The runtime alone; then each table with the runtime (what running that machine adds). */
export async function measureStatecharts(root = REPOSITORY_ROOT): Promise<SizeFigure[]> {
  const baseline = await bundleSize(root, '(globalThis as any).x = 1;\n');
  const runtime = await bundleSize(root, "import { TableActor } from './runtime';\n(globalThis as any).x = TableActor;\n");
  const figures: SizeFigure[] = [{ what: 'runtime', bytes: runtime.bytes, addedBytes: runtime.bytes - baseline.bytes, problems: runtime.problems }];
  const tables = (await readdir(path.join(root, TABLES_DIR))).filter((name) => name.endsWith('.table.ts')).sort();
  for (const name of tables) {
    const module = await import(pathToFileURL(path.join(root, TABLES_DIR, name)).href);
    const exported = Object.keys(module).find((key) => key.endsWith('Table'))!;
    const source = `import { ${exported} } from './tables/${name.slice(0, -3)}';\n(globalThis as any).x = ${exported};\n`;
    const table = await bundleSize(root, source);
    figures.push({ what: `${name} (table only)`, bytes: table.bytes, addedBytes: table.bytes - baseline.bytes, problems: table.problems });
  }
  return figures;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

async function bundleSize(root: string, source: string): Promise<{ bytes: number; problems: string[] }> {
  const result = await checkFirmwareSource(source, { root, fileName: 'firmware/statecharts/size.fixture.ts' });
  return { bytes: result.bytes, problems: result.problems.map(formatProblem) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const figure of await measureStatecharts()) {
    const goal = figure.what === 'runtime' ? ` (goal ≤ ${RUNTIME_GOAL_BYTES} with the wrapper)` : '';
    console.log(`${figure.what}: ${figure.bytes} bytes minified, ${figure.addedBytes} added to a bundle${goal}`);
    for (const problem of figure.problems) console.log('  ' + problem);
  }
}
