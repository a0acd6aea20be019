// The rules of protocols/ (README.md): pure codecs that import nothing of the
// project and no Node API; the types half of the rule is protocols/tsconfig.json.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = dirname(fileURLToPath(import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
const importsOf = (text: string) => [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

describe('protocols/ stays pure', () => {
  const files = sources(ROOT);

  it('has codecs to check', () => {
    expect(files.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['crc32.ts', 'espruino/packet.ts', 'strap-rpc/frame.ts', 'strap-rpc/contract.ts']));
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s imports only protocols/ files and @noble crypto, no other package and no node:*', (_, file) => {
    for (const source of importsOf(readFileSync(file, 'utf8'))) {
      // The one exception: spec-defined crypto (ble/smp/toolbox.ts, p256.ts) runs on the @noble packages, the project's only crypto.
      if (/^@noble\/(ciphers|hashes|curves)\//.test(source)) continue;
      expect(source, `${source} in ${file}`).toMatch(/^\.\.?\//);
      expect(relative(ROOT, resolve(dirname(file), source)), `${source} in ${file}`).not.toMatch(/^\.\./);
    }
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s reads no clock, no randomness and no Buffer', (_, file) => {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/\b(Date|Math\.random|setTimeout|setInterval|performance|Buffer|process|require)\b/);
  });
});
