import { REGEX_FEATURES, REGEX_FLAG_MESSAGE, REGEX_SUPPORTED_FLAGS } from './espruino-2v29';

export type RegexFeature = keyof typeof REGEX_FEATURES;

/** Messages for each RegExp feature in `pattern`/`flags` that Espruino 2v29 lacks; one per feature. */
export function unsupportedRegexFeatures(pattern: string, flags: string): string[] {
  const messages: string[] = [];
  for (const flag of flags) {
    if (REGEX_SUPPORTED_FLAGS.includes(flag)) continue;
    messages.push(REGEX_FLAG_MESSAGE[flag] ?? `the ${flag} flag is not supported on Espruino 2v29`);
  }
  for (const feature of scanPattern(pattern)) messages.push(REGEX_FEATURES[feature]);
  return messages;
}

export function scanPattern(pattern: string): RegexFeature[] {
  const found = new Set<RegexFeature>();
  let inClass = false;
  // Whether the previous token was a quantifier, so that a following `?` makes it lazy.
  let afterQuantifier = false;
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && /[1-9]/.test(next)) found.add('backreference');
      if (!inClass && next === 'k' && pattern[i + 2] === '<') found.add('backreference');
      i += 2;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      i++;
      continue;
    }
    if (char === '[') {
      inClass = true;
      afterQuantifier = false;
      i++;
      continue;
    }
    if (char === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith(':')) found.add('nonCapturing');
      else if (rest.startsWith('=') || rest.startsWith('!')) found.add('lookahead');
      else if (rest.startsWith('<=') || rest.startsWith('<!')) found.add('lookbehind');
      else if (rest.startsWith('<')) found.add('namedGroup');
      i += 2;
      afterQuantifier = false;
      continue;
    }
    if (char === '*' || char === '+') {
      i++;
      afterQuantifier = true;
      if (pattern[i] === '?') {
        found.add('lazy');
        i++;
        afterQuantifier = false;
      }
      continue;
    }
    if (char === '?') {
      found.add(afterQuantifier ? 'lazy' : 'optional');
      i++;
      // `a??` is a lazy optional.
      if (!afterQuantifier && pattern[i] === '?') {
        found.add('lazy');
        i++;
      }
      afterQuantifier = false;
      continue;
    }
    if (char === '{') {
      const counted = /^\{\d+(,\d*)?\}/.exec(pattern.slice(i));
      if (counted) {
        found.add('counted');
        i += counted[0].length;
        afterQuantifier = true;
        if (pattern[i] === '?') {
          found.add('lazy');
          i++;
          afterQuantifier = false;
        }
        continue;
      }
    }
    afterQuantifier = false;
    i++;
  }
  return [...found];
}
