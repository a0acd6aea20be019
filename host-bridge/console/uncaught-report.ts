/**
 * Espruino's report of an exception that reached the top
 * (src/jsinteractive.c jsiCheckErrors): an `Uncaught <error>` line, then the
 * stack text — ` at line L col C`, the source line and a `^` marker
 * (src/jslex.c jslPrintPosition / jslPrintTokenLineMarker), and
 * `in function "f" called from line …` frames, each with their own
 * source line and marker.
 *
 * UncaughtBlock collects one report line by line (cleaned lines,
 * console-lines.ts): `accepts()` says whether a line still belongs to it.
 */

const AT_LINE = /^ at line \d+ col \d+$/;
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
    if (AT_LINE.test(line) || IN_FUNCTION.test(line)) {
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
