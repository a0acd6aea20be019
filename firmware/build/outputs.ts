/**
 * Where the firmware build's outputs are: the bundle flashed to a board and
 * its source map. Paths only, from the repository root (found from this
 * file's own place): build.ts writes them; the simulator, the rigs, the
 * benches, the tests and the `strap` CLI read them from here rather than
 * spelling `dist/strap.js` themselves.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is firmware/build/outputs.ts). */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The bundle, relative to the root: the name messages and help texts show. */
export const BUNDLE_FILE = 'dist/strap.js';

/** The bundle's absolute path. */
export const BUNDLE_PATH = path.join(REPOSITORY_ROOT, BUNDLE_FILE);

/** The bundle's source map (beside it, chained back to the TypeScript sources). */
export const SOURCE_MAP_PATH = sourceMapPathFor(BUNDLE_PATH);

/** Where the source map of a bundle written at `bundlePath` goes. */
export function sourceMapPathFor(bundlePath: string): string {
  return `${bundlePath}.map`;
}
