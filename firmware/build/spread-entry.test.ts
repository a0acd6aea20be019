import * as acorn from 'acorn';
import { describe, expect, it } from 'vitest';
import { walk, type Node } from './ast-walk';
import { checkFirmwareSource } from './build';
import { runWithoutHoisting } from './run-without-hoisting';

// As firmware/main.ts calls boot(): the entry makes the closures that live on, and one of its locals
// has the name of a module-level variable that another function reads.
const SOURCE = `let count = 1;
function bump(): number { return ++count; }
function boot(): void {
  let count = 10;
  const label = 'n=';
  try {
    count += bump();
  } catch (e) {
    count = 0;
  }
  (global as unknown as { strap: { read(): string } }).strap = { read: function () { count++; return label + (count * 7 + bump()); } };
  print(count, bump());
}
boot();
print((global as unknown as { strap: { read(): string } }).strap.read(), count);
`;

/** How many functions enclose the innermost function whose text holds `marker`. */
function depthOf(code: string, marker: string): number {
  const program = acorn.parse(code, { ecmaVersion: 'latest' });
  let depth = -1;
  walk(program, (node, _parent, _key, ancestors) => {
    if (isFunction(node) && code.slice(node.start, node.end).includes(marker)) depth = ancestors.filter(isFunction).length;
  });
  return depth;
}

function isFunction(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

describe('the entry function called once from the bundle top runs there, not in a call scope of its own', () => {
  it('makes its closures one scope below the bundle, and a local named like a module variable stays apart from it', async () => {
    const result = await checkFirmwareSource(SOURCE, { fileName: 'firmware/build/fixtures/spread-entry.ts' });
    expect(result.problems).toEqual([]);
    expect(depthOf(result.code, '"n="')).toBe(1);
    expect(runWithoutHoisting(result.code, { globals: { global: {} } })).toEqual(['12 3', 'n=95 4']);
  });
});
