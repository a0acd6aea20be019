import * as path from 'node:path';
import remapping from '@jridgewell/remapping';
import { LEAST_UPPER_BOUND, TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';

export interface RawSourceMap {
  version: number;
  file?: string | null;
  sources: (string | null)[];
  sourcesContent?: (string | null)[];
  names: string[];
  mappings: string;
}

/** A position in the output, 1-based line, 0-based column (acorn's `loc`). */
export interface OutputPosition {
  line: number;
  column: number;
}

export interface SourcePosition {
  /** Root-relative path. */
  file: string;
  /** False when the position is in code the build generated (helpers): then file is the output file. */
  mapped: boolean;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Maps are given last step first: the output's map, then the map of its input, down to esbuild's. */
export function chainSourceMaps(maps: RawSourceMap[]): RawSourceMap {
  const chained = remapping(maps as Parameters<typeof remapping>[0], () => null);
  return JSON.parse(chained.toString()) as RawSourceMap;
}

/** Resolves output positions to source positions; positions in generated code (helpers) stay in the output file. */
export class SourceLocator {
  private readonly trace: TraceMap;

  constructor(
    map: RawSourceMap,
    private readonly root: string,
    private readonly outFile: string,
  ) {
    this.trace = new TraceMap(map as ConstructorParameters<typeof TraceMap>[0]);
  }

  locate(position: OutputPosition): SourcePosition {
    const needle = { line: position.line, column: position.column };
    let found = originalPositionFor(this.trace, needle);
    if (found.source === null) found = originalPositionFor(this.trace, { ...needle, bias: LEAST_UPPER_BOUND });
    if (found.source === null || found.line === null || found.column === null) {
      return { file: toRootRelative(this.root, this.root, this.outFile), mapped: false, line: position.line, column: position.column + 1 };
    }
    return { file: toRootRelative(this.root, path.dirname(this.outFile), found.source), mapped: true, line: found.line, column: found.column + 1 };
  }
}

/** `source` is relative to `fromDir` (or absolute); the answer is relative to `root`, with forward slashes. */
export function toRootRelative(root: string, fromDir: string, source: string): string {
  const absolute = path.resolve(fromDir, source);
  return path.relative(root, absolute).split(path.sep).join('/');
}
