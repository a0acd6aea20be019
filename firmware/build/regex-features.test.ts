import { describe, expect, it } from 'vitest';
import { scanPattern, unsupportedRegexFeatures } from './regex-features';

describe('regex features Espruino 2v29 lacks', () => {
  it.each([
    ['colou?r', ['optional']],
    ['\\d{4}', ['counted']],
    ['\\d{2,}', ['counted']],
    ['a{1,3}?', ['counted', 'lazy']],
    ['a*?b+?', ['lazy']],
    ['a??', ['optional', 'lazy']],
    ['x(?=y)', ['lookahead']],
    ['x(?!y)', ['lookahead']],
    ['(?<=a)b', ['lookbehind']],
    ['(?<!a)b', ['lookbehind']],
    ['(a)\\1', ['backreference']],
    ['(?<n>a)\\k<n>', ['namedGroup', 'backreference']],
    ['(?:ab)+', ['nonCapturing']],
  ])('finds %s', (pattern, features) => {
    expect(scanPattern(pattern).sort()).toEqual([...features].sort());
  });

  it.each(['^[a-z?]+$', '\\?', 'a\\{2\\}', '[{}*+?]', '(a|b)*c+', '\\d\\w\\s.', 'a{', '\\0', '[\\1]'])('accepts %s', (pattern) => {
    expect(scanPattern(pattern)).toEqual([]);
  });

  it('accepts the measured flags g and i and rejects the others', () => {
    expect(unsupportedRegexFeatures('a', 'gi')).toEqual([]);
    expect(unsupportedRegexFeatures('a', 'suy').join('\n')).toMatch(/dotAll[\s\S]*unicode[\s\S]*sticky/);
    expect(unsupportedRegexFeatures('a', 'm')[0]).toMatch(/unmeasured/);
  });
});
