import type * as acorn from 'acorn';

export type Node = acorn.AnyNode;

/** Where a node sits in its parent: the field name, e.g. `callee` or `body`. */
export interface Step {
  node: Node;
  parent: Node | null;
  key: string | null;
}

/** Depth-first walk in source order; `ancestors` ends with the visited node's parent. */
export function walk(root: Node, visit: (node: Node, parent: Node | null, key: string | null, ancestors: readonly Node[]) => void): void {
  const ancestors: Node[] = [];
  const visitNode = (node: Node, parent: Node | null, key: string | null): void => {
    visit(node, parent, key, ancestors);
    ancestors.push(node);
    forEachChild(node, visitNode);
    ancestors.pop();
  };
  visitNode(root, null, null);
}

/** Calls `visit` for each direct child node, in source order. */
export function forEachChild(node: Node, visit: (child: Node, parent: Node, key: string) => void): void {
  const fields = node as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
    const value = fields[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) visit(item, node, key);
    } else if (isNode(value)) {
      visit(value, node, key);
    }
  }
}

/** A function declaration, expression or arrow: each call of one makes a scope. */
export function isFunction(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** `a.b` or `a["b"]`: the property name when it is static. */
export function staticPropertyName(node: acorn.MemberExpression): string | null {
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.computed && node.property.type === 'Literal' && typeof node.property.value === 'string') return node.property.value;
  return null;
}
