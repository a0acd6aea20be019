import { describe, expect, it } from 'vitest';
import { formatPrint } from './format';
import { ESPRUINO_INSPECT } from './json-print';
import { createTestEngine } from './test-engine';

describe('print and console.log formatting', () => {
  it('prints strings raw and joins arguments with one space', () => {
    expect(formatPrint(['a', 'b c', 1])).toBe('a b c 1');
    expect(formatPrint([])).toBe('');
    expect(formatPrint(['line1\nline2'])).toBe('line1\nline2');
  });

  it('quotes object keys and string values (no DROP_QUOTES, unlike the = line)', () => {
    const v = createTestEngine().run('({a:1, b:"x"})');
    expect(formatPrint([v])).toBe('{ "a": 1, \n  "b": "x"\n }');
    expect(formatPrint([[1, 2]])).toBe('[ 1, 2 ]');
  });

  it('does not shorten long arrays or strings, and prints function bodies', () => {
    const engine = createTestEngine();
    expect(formatPrint([engine.run('Array.from({length:16}, (_, i) => i)')])).toBe(
      '[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 ]',
    );
    expect(formatPrint(['y'.repeat(50)])).toBe('y'.repeat(50));
    expect(formatPrint([engine.run('(function (a) { return a + 1; })')])).toBe('function (a) {return a+1;}');
  });

  it('prints numbers the Espruino way', () => {
    expect(formatPrint([0.1 + 0.2, 10 / 4, -3])).toBe('0.3 2.5 -3');
  });

  it('lets the board print pins and devices by name', () => {
    const pin = { [ESPRUINO_INSPECT]: () => 'D1' };
    expect(formatPrint([pin])).toBe('D1');
  });

  it('sends characters above 0xFF as UTF-8 bytes', () => {
    expect(formatPrint(['€'])).toBe('\xe2\x82\xac');
  });
});
