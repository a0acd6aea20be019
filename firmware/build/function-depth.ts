/**
 * For the build's tests: how many functions enclose the innermost function
 * whose text holds `marker` in `code` (the bundle's own IIFE counts: Espruino
 * calls it), -1 when none does. A function's scope link on Espruino costs 1 at
 * depth 1 and 2 + depth deeper (README, "Memory").
 */
import * as acorn from 'acorn';
import { isFunction, walk } from './ast-walk';

export function functionDepth(code: string, marker: string): number {
  const program = acorn.parse(code, { ecmaVersion: 'latest' });
  let depth = -1;
  // source order: an inner function holding the marker is met after the one around it
  walk(program, (node, _parent, _key, ancestors) => {
    if (isFunction(node) && code.slice(node.start, node.end).includes(marker)) depth = ancestors.filter(isFunction).length;
  });
  return depth;
}
