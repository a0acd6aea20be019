// For rule tests: fixtures mark the lines a rule must report with `// ✗ <rule>`.

/** 1-based numbers of the lines marked with `✗ <rule>`. */
export function markedLines(source: string, rule: string): number[] {
  const marker = new RegExp(`✗ ${rule.replace(/[-]/g, '\\-')}(?![\\w-])`);
  const lines: number[] = [];
  source.split('\n').forEach((text, index) => {
    if (marker.test(text)) lines.push(index + 1);
  });
  return lines;
}

/** Every rule named by a marker in the fixture. */
export function markedRules(source: string): string[] {
  const rules = new Set<string>();
  for (const match of source.matchAll(/✗ ([a-z0-9-]+)/g)) rules.add(match[1]!);
  return [...rules].sort();
}
