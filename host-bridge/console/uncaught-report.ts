/**
 * Espruino's report of an exception that reached the top
 * (src/jsinteractive.c jsiCheckErrors): an `Uncaught <error>` line, then the
 * stack text, frame by frame, each a position line followed by the source
 * line and a `^` marker (src/jslex.c jslPrintTokenLineMarker):
 *  - 2v2x (2v29 on the strap): `    at REPL (:1:1)`, `    at f (:2:5)`,
 *    `    at :1:24` (src/jslex.c jslPrintStackTrace: four spaces, `at`, the
 *    lexer's name and ` (` when it has one, `:line:col`). A file name before
 *    the colon is accepted too, in case a build prints one;
 *  - older firmware, still on boards in the field: ` at line L col C` and
 *    `in function "f" called from line …`.
 *
 * UncaughtBlock collects one report line by line (cleaned lines,
 * console-lines.ts): `accepts()` says whether a line still belongs to it.
 */

const AT_LINE = /^ at line \d+ col \d+$/;
const STACK_FRAME = /^ {4}at (?:\S.*? \()?[^\s()]*:\d+:\d+\)?$/;
const IN_FUNCTION = /^in function\b.*\bline \d+ col \d+$/;
const MARKER = /^\s*\^$/;

export function isUncaughtStart(line: string): boolean {
  return line.startsWith('Uncaught ');
}

export class UncaughtBlock {
  readonly lines: string[];
  /** Lines still expected after a position line: the source line, then the marker. */
  private expect: 'position' | 'source' | 'marker' = 'position';

  constructor(first: string) {
    this.lines = [first];
  }

  /** Takes `line` if it continues this report. */
  accepts(line: string): boolean {
    if (this.expect === 'source') {
      this.lines.push(line);
      this.expect = 'marker';
      return true;
    }
    if (this.expect === 'marker' && MARKER.test(line)) {
      this.lines.push(line);
      this.expect = 'position';
      return true;
    }
    if (STACK_FRAME.test(line) || AT_LINE.test(line) || IN_FUNCTION.test(line)) {
      this.lines.push(line);
      this.expect = 'source';
      return true;
    }
    return false;
  }

  get text(): string {
    return this.lines.join('\n');
  }
}
