import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { RULES } from './espruino-2v29';
import type { Problem } from './problem';
import { toRootRelative, type RawSourceMap } from './source-maps';
import { featureImportGuard } from './feature-import-guard';
import { statechartImportGuard } from './statechart-import-guard';

/**
 * esbuild stands `require` in for this name so that `require('Storage')` is not
 * bundled (it would become a `__require` shim built on Proxy); the post-process
 * renames it back. Espruino resolves its modules itself.
 */
export const REQUIRE_ALIAS = '__espruino_require';

export type BundleInput = { entry: string } | { source: string; fileName: string };

export interface SourceFile {
  /** Root-relative path. */
  file: string;
  text: string;
}

export interface Bundle {
  code: string;
  map: RawSourceMap;
  /** The sources esbuild put in the bundle, with their text. */
  sources: SourceFile[];
}

export type BundleOutcome = { ok: true; bundle: Bundle } | { ok: false; problems: Problem[] };

/** Step 1: one IIFE with imports resolved by scope hoisting, still ES2020. */
export async function bundleFirmware(input: BundleInput, root: string, outFile: string): Promise<BundleOutcome> {
  const common: esbuild.BuildOptions = {
    absWorkingDir: root,
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2020',
    sourcemap: 'external',
    sourcesContent: true,
    minify: false,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    outfile: outFile,
    logLevel: 'silent',
    define: { require: REQUIRE_ALIAS },
    // Fields go into the constructor (TypeScript semantics): Espruino would share class-body fields between instances.
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    // xstate machines stay on the host (the firmware imports their generated tables); features do not import each other's code.
    plugins: [statechartImportGuard(root), featureImportGuard(root)],
  };
  const options: esbuild.BuildOptions =
    'entry' in input
      ? { ...common, entryPoints: [path.resolve(root, input.entry)] }
      : {
          ...common,
          stdin: {
            contents: input.source,
            sourcefile: path.resolve(root, input.fileName),
            resolveDir: path.dirname(path.resolve(root, input.fileName)),
            loader: 'ts',
          },
        };

  let result: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  try {
    result = (await esbuild.build(options)) as esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  } catch (error) {
    const failure = error as esbuild.BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    return { ok: false, problems: failure.errors.map((message) => toProblem(message, root)) };
  }

  const codeFile = result.outputFiles.find((file) => file.path.endsWith('.js'));
  const mapFile = result.outputFiles.find((file) => file.path.endsWith('.js.map'));
  if (!codeFile || !mapFile) throw new Error('esbuild produced no bundle');
  const map = JSON.parse(mapFile.text) as RawSourceMap;
  const outDir = path.dirname(outFile);
  const sources = map.sources.map((source, index) => ({
    file: toRootRelative(root, outDir, source ?? ''),
    text: map.sourcesContent?.[index] ?? '',
  }));
  return { ok: true, bundle: { code: stripMapComment(codeFile.text), map, sources } };
}

function toProblem(message: esbuild.Message, root: string): Problem {
  const location = message.location;
  return {
    file: location ? toRootRelative(root, root, location.file) : '<bundle>',
    line: location?.line ?? 1,
    column: (location?.column ?? 0) + 1,
    rule: RULES.bundle,
    message: message.text,
  };
}

function stripMapComment(code: string): string {
  return code.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n');
}
