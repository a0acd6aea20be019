import * as path from 'node:path';
import { toArrowFunctions, unsoundArrowFunctions } from './arrow-functions';
import { bundleFirmware, type BundleInput } from './bundle';
import { RULES } from './espruino-2v29';
import { checkOutput } from './check-output';
import { checkSources } from './check-source';
import { checkTypes } from './check-types';
import type { Finding } from './finding';
import { lowerToEs5 } from './lower';
import { minifyEs5 } from './minify';
import { FIXED_NAME, postProcess } from './post-process';
import { mangleablePrivateNames } from './private-names';
import { sortProblems, type Problem } from './problem';
import { releaseTopValues } from './release-top-values';
import { spreadOnceCalledFunctions } from './spread-calls';
import { API_FILES, renameableTableNames, renameNames, shortNamesFor, wordsOf } from './statechart-names';
import { chainSourceMaps, SourceLocator, type RawSourceMap } from './source-maps';

export interface CompileOptions {
  root: string;
  /** Absolute path of the output file; source map paths are relative to its folder. */
  outFile: string;
  /** Absolute path of the tsconfig to type-check with; undefined skips type checking. */
  tsconfigPath?: string;
}

export interface Compiled {
  /** Empty when problems stopped the pipeline before output. */
  code: string;
  map: RawSourceMap | null;
  problems: Problem[];
}

/** The whole pipeline: bundle, check sources (and types), lower, fix up, minify, check the output. */
export async function compileFirmware(input: BundleInput, options: CompileOptions): Promise<Compiled> {
  const { root, outFile } = options;
  const bundled = await bundleFirmware(input, root, outFile);
  if (!bundled.ok) return { code: '', map: null, problems: sortProblems(bundled.problems) };
  const bundle = bundled.bundle;

  const problems: Problem[] = checkSources(bundle.sources);
  const coveredRules = new Set(problems.map((problem) => problem.rule));
  if (options.tsconfigPath) {
    const overrides = new Map<string, string>();
    if ('source' in input) overrides.set(path.resolve(root, input.fileName), input.source);
    problems.push(...checkTypes({ root, tsconfigPath: options.tsconfigPath, overrides, bundled: new Set(bundle.sources.map((source) => source.file)) }));
  }

  const lowered = lowerToEs5(bundle.code);
  const bundleLocator = new SourceLocator(bundle.map, root, outFile);
  for (const error of lowered.errors) {
    const { mapped: _mapped, ...position } = bundleLocator.locate(positionAt(bundle.code, error.offset));
    problems.push({ ...position, rule: RULES.lowering, message: error.message });
  }

  // Functions called once from the bundle's top run there (spread-calls.ts), then the fix-ups.
  const spread = spreadOnceCalledFunctions(lowered.code);
  const fixed = postProcess(spread.code, coveredRules);
  problems.push(...locateAll(fixed.findings, new SourceLocator(chainSourceMaps([spread.map, lowered.map, bundle.map]), root, outFile)));

  // The output rules run before minifying too: that code is closer to the source
  // (real names, exact positions), and terser's sequences move function
  // declarations up, which would hide the source's reliance on hoisting. The
  // minified output is checked as what actually runs.
  const unminifiedMap = chainSourceMaps([fixed.map, spread.map, lowered.map, bundle.map]);
  // Unmapped findings there sit in generated code: the minified output reports them at their real position.
  const beforeMinify = locateAll(checkOutput(fixed.code), new SourceLocator(unminifiedMap, root, outFile), false);
  // The statechart tables' action, guard and delay names get short ones, in the tables and where they are implemented (statechart-names.ts).
  const apiWords = wordsOf(root, API_FILES);
  const tableNames = renameableTableNames(bundle.sources, wordsOf(root), apiWords);
  const renames = shortNamesFor(tableNames, fixed.code, apiWords);
  const renamed = renameNames(fixed.code, renames, FIXED_NAME);
  const minified = await minifyEs5(renamed.code, path.basename(outFile), mangleablePrivateNames(bundle.sources, root), [...renames.values()]);
  const minifiedMap = chainSourceMaps([minified.map, renamed.map, fixed.map, spread.map, lowered.map, bundle.map]);
  const afterMinify = locateAll(checkOutput(minified.code), new SourceLocator(minifiedMap, root, outFile));
  const seen = new Set(beforeMinify.map(lineKey));
  problems.push(...beforeMinify, ...afterMinify.filter((problem) => !seen.has(lineKey(problem))));

  // Last, on checked ES5: function expressions that cannot tell the difference become arrow functions (arrow-functions.ts).
  // The top's variables no function reads let go of their values once it has run (release-top-values.ts).
  const released = releaseTopValues(minified.code);
  const arrowed = toArrowFunctions(released.code, path.basename(outFile));
  const map = chainSourceMaps([arrowed.map, released.map, minified.map, fixed.map, spread.map, lowered.map, bundle.map]);
  map.file = path.basename(outFile);
  const arrowLocator = new SourceLocator(map, root, outFile);
  for (const unsound of unsoundArrowFunctions(arrowed.code)) {
    const { mapped: _mapped, ...position } = arrowLocator.locate(positionAt(arrowed.code, unsound.start));
    problems.push({ ...position, rule: RULES.es5Syntax, message: `the build made an arrow function that ${unsound.why}: Espruino 2v29 would run it differently from the function it replaced` });
  }

  return { code: arrowed.code, map, problems: sortProblems(problems) };
}

function locateAll(findings: Finding[], locator: SourceLocator, keepUnmapped = true): Problem[] {
  const problems: Problem[] = [];
  for (const finding of findings) {
    const { mapped, ...position } = locator.locate(finding.position);
    if (!mapped && !keepUnmapped) continue;
    let message = mapped ? finding.message : `${finding.message} (in code the build generated)`;
    if (finding.related) {
      const related = locator.locate(finding.related);
      message = message.replace('{related}', `${related.file}:${related.line}:${related.column}`);
    }
    problems.push({ ...position, rule: finding.rule, message });
  }
  return problems;
}

function lineKey(problem: Problem): string {
  return `${problem.rule} ${problem.file}:${problem.line}`;
}

/** 1-based line, 0-based column of an offset. */
function positionAt(code: string, offset: number): { line: number; column: number } {
  const before = code.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart };
}
