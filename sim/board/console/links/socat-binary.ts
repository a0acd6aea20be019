/**
 * Where the `socat` executable is, for the pseudo-terminal console link.
 * socat comes from the Debian package `socat`.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const SOCAT_MISSING_MESSAGE = 'socat not found on PATH: install socat (Debian package socat)';

/** The absolute path of `socat` on PATH, or undefined when it is not installed. */
export function findSocat(searchPath: string = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'socat');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}
