import type { Node } from './ast-walk';
import type { OutputPosition } from './source-maps';

/** A violation found in the output, before mapping back to the source. */
export interface Finding {
  position: OutputPosition;
  rule: string;
  /** May contain `{related}`, replaced by the source location of `related`. */
  message: string;
  related?: OutputPosition;
}

export function at(node: Node, rule: string, message: string, related?: Node): Finding {
  return { position: startOf(node), rule, message, ...(related ? { related: startOf(related) } : {}) };
}

function startOf(node: Node): OutputPosition {
  if (!node.loc) throw new Error('parsed without locations');
  return { line: node.loc.start.line, column: node.loc.start.column };
}
