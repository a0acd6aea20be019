/**
 * The `strap` CLI compiled once for tests (vitest.global-setup.ts builds it):
 * bin/strap.js registers tsx and compiles the CLI's TypeScript in every
 * process it starts, which costs a test that starts the CLI a dozen times
 * several CPU seconds. This is the same code (esbuild is what tsx compiles
 * with), bundled with the dynamic imports kept as chunks, so a command still
 * loads only what it uses. Packages stay in node_modules; every
 * `import.meta.url` and `import.meta.dirname` is the module's own source
 * location, so paths a module resolves from itself are what they are under tsx.
 * `npm start` (cli/npm-start-survives-runaway-lines.test.ts) still runs
 * bin/strap.js itself.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT_DIR = path.join(ROOT, 'dist', 'test', 'strap-cli');

/** The compiled CLI's entry: `node CLI_BUNDLE ...args` is `strap ...args`. */
export const CLI_BUNDLE = path.join(OUT_DIR, 'main.js');

/** Compiles cli/main.ts and what it imports from this repository into CLI_BUNDLE (and its chunks). */
export async function buildCliBundle(): Promise<void> {
  await rm(OUT_DIR, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'cli', 'main.ts')],
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    packages: 'external',
    logLevel: 'silent',
    plugins: [ownLocations],
  });
}

const ownLocations: esbuild.Plugin = {
  name: 'import-meta-of-the-source',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: 'ts' };
    });
  },
};
