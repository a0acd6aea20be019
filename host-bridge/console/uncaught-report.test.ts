import { describe, expect, it } from 'vitest';
import { UncaughtBlock, isUncaughtStart } from './uncaught-report';

/** Feeds cleaned console lines; returns the block's text and the first line it refused. */
function collect(lines: string[]): { text: string; refused: string | undefined } {
  const [first, ...rest] = lines;
  expect(isUncaughtStart(first!)).toBe(true);
  const block = new UncaughtBlock(first!);
  for (const line of rest) if (!block.accepts(line)) return { text: block.text, refused: line };
  return { text: block.text, refused: undefined };
}

describe('reading an Uncaught report', () => {
  it('takes 2v29 stack frames (src/jslex.c jslPrintStackTrace), each with its source line and marker', () => {
    const report = [
      'Uncaught Error: in m',
      '    at m (:1:23)',
      'throw new Error("in m");',
      '                      ^',
      '    at REPL (:1:5)',
      'o.m()',
      '    ^',
    ];
    expect(collect([...report, '=undefined'])).toEqual({ text: report.join('\n'), refused: '=undefined' });
  });

  it('takes an unnamed frame (`    at :1:24`, a function the system called, Espruino issue #2658)', () => {
    const report = ['Uncaught Error: Oh no', '    at :1:24', 'throw new Error("Oh no");', '                       ^'];
    expect(collect([...report, 'next line'])).toEqual({ text: report.join('\n'), refused: 'next line' });
  });

  it('takes a frame with a file name before the position, in case a build prints one', () => {
    const report = ['Uncaught Error: x', '    at .bootcde:3:5', 'boom()', '    ^'];
    expect(collect(report).text).toBe(report.join('\n'));
  });

  it('still takes the older form (` at line L col C`, `in function … called from line …`)', () => {
    const report = [
      'Uncaught Error: x',
      ' at line 1 col 16',
      '{ throw new Error("x"); }',
      '               ^',
      'in function "f" called from line 1 col 3',
      'f()',
      '  ^',
    ];
    expect(collect([...report, '>'])).toEqual({ text: report.join('\n'), refused: '>' });
  });

  it('ends at a line that is neither a frame nor the expected source and marker', () => {
    expect(collect(['Uncaught x', 'hello'])).toEqual({ text: 'Uncaught x', refused: 'hello' });
    expect(collect(['Uncaught Error: x', '    at REPL (:1:1)', 'foo', 'not a marker']).refused).toBe('not a marker');
  });
});
