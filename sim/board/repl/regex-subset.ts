/**
 * Regular-expression features Espruino 2v29's matcher (src/jswrap_regexp.c, a
 * small backtracking matcher with up to 9 plain groups) does not have, per
 * docs/espruino-subset.md: the `?` quantifier, `{n}` counts, lookaround,
 * backreferences, lazy quantifiers. Espruino accepts such a literal and then
 * silently mis-matches; the virtual board refuses it loudly instead, as the
 * firmware build does. `(?` group syntax of any kind and flags other than g/i
 * are refused for the same reason.
 */

/** Why the pattern cannot run on Espruino, with the offset (in the pattern) of the offending part, or undefined if it can. */
export function unsupportedRegexFeature(pattern: string, flags: string): { reason: string; offset: number } | undefined {
  const badFlag = [...flags].findIndex((f) => f !== 'g' && f !== 'i');
  if (badFlag >= 0) return { reason: `regular expression flag '${flags[badFlag]}'`, offset: pattern.length + 1 + badFlag };
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) return { reason: 'regular expression backreference', offset: i };
      if (!inClass && next === 'k' && pattern[i + 2] === '<') return { reason: 'regular expression named backreference', offset: i };
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++; // a leading ']' is literal
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const kind = pattern[i + 2];
      const after = pattern[i + 3];
      if (kind === '=' || kind === '!') return { reason: 'regular expression lookahead', offset: i };
      if (kind === '<' && (after === '=' || after === '!')) return { reason: 'regular expression lookbehind', offset: i };
      if (kind === '<') return { reason: 'regular expression named group', offset: i };
      return { reason: 'regular expression group modifier (?', offset: i };
    }
    if (c === '?') {
      const prev = pattern[i - 1];
      const lazy = prev === '*' || prev === '+' || prev === '?' || prev === '}';
      return { reason: lazy ? 'lazy regular expression quantifier' : "regular expression '?' quantifier", offset: i };
    }
    if (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i))) {
      return { reason: 'regular expression {n} quantifier', offset: i };
    }
  }
  return undefined;
}
