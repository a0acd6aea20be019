import ts from 'typescript';
import type { RawSourceMap } from './source-maps';

export interface Lowered {
  code: string;
  map: RawSourceMap;
  /** Syntax errors TypeScript reports while lowering, as offsets into the bundle. */
  errors: { offset: number; message: string }[];
}

/** The bundle's name inside the lowering maps; it only has to match between steps. */
export const BUNDLE_NAME = 'bundle.js';
export const LOWERED_NAME = 'lowered.js';

/**
 * Step 2: TypeScript's ES5 emit lowers the syntax Espruino rejects (destructuring,
 * spread, default and rest parameters, closures over `for (let…)`, `**`, `?.`,
 * computed keys, classes, tagged templates). Helpers are referenced, never
 * emitted: Espruino-safe ones are supplied afterwards.
 */
export function lowerToEs5(bundle: string): Lowered {
  const output = ts.transpileModule(bundle, {
    fileName: BUNDLE_NAME,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES5,
      // The bundle is a script (no import/export), so no module transform happens.
      module: ts.ModuleKind.ESNext,
      noEmitHelpers: true,
      importHelpers: false,
      downlevelIteration: false,
      sourceMap: true,
      inlineSources: false,
      removeComments: true,
      alwaysStrict: false,
      newLine: ts.NewLineKind.LineFeed,
    },
  });
  if (output.sourceMapText === undefined) throw new Error('TypeScript produced no source map');
  const map = JSON.parse(output.sourceMapText) as RawSourceMap;
  map.sources = [BUNDLE_NAME];
  map.file = LOWERED_NAME;
  const errors = (output.diagnostics ?? [])
    .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
    .map((diagnostic) => ({ offset: diagnostic.start ?? 0, message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n') }));
  return { code: output.outputText.replace(/\n\/\/# sourceMappingURL=[^\n]*\n?$/, '\n'), map, errors };
}
