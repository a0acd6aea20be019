/**
 * Where Espruino 2v29 can and cannot parse an array hole (`[a, , b]`).
 *
 * src/jsparse.c jspeFactorArray: while executing, a ',' where an element should
 * be just moves the index on (`[,1]` is `[ undefined, 1 ]`, length 2). While
 * parsing without executing — code Espruino skips — it calls
 * jspeAssignmentExpression for every element, and on a ',' that ends in
 * jspeFactor's `jslMatch(LEX_EOF)`: a SyntaxError. Code is parsed that way:
 * - an `if`/`else` branch, a `switch` case, a `?:` branch, the right side of
 *   `&&`, `||`, `??` that is not taken; a `catch` block with no exception; a
 *   `while`/`for` body whose condition is false (jspeStatementDoOrWhile,
 *   jspeStatementFor);
 * - always: a `for(;;)` update on its first pass, a `for…in`/`for…of` body
 *   (skipped once to find its end), an arrow function's expression body
 *   (jspeArrowFunction → jspeFunctionDefinitionInternal with expressionOnly).
 * A function body with braces is only scanned token by token when defined and
 * runs when called, so it starts afresh.
 *
 * Which branch runs is known only at run time, so the gate refuses a hole in
 * any of these places and accepts it elsewhere.
 */
import type { Node } from 'acorn';

type AnyNode = Node & Record<string, unknown>;

/** Offset of the first array literal with a hole in code Espruino may parse without executing. */
export function holeInSkippableCode(root: Node): number | undefined {
  let found: number | undefined;
  const visit = (node: AnyNode, skippable: boolean): void => {
    if (found !== undefined && node.start > found) return;
    if (node.type === 'ArrayExpression' && skippable && (node.elements as Array<unknown>).some((e) => e === null)) {
      if (found === undefined || node.start < found) found = node.start;
    }
    for (const key of Object.keys(node)) {
      const value = node[key];
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (isNode(child)) visit(child, childSkippable(node, key, child, skippable));
      }
    }
  };
  visit(root as AnyNode, false);
  return found;
}

// ---------------------------------------------------------------------------

function isNode(v: unknown): v is AnyNode {
  return !!v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string';
}

function childSkippable(parent: AnyNode, key: string, child: AnyNode, skippable: boolean): boolean {
  switch (parent.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
      return false;
    case 'ArrowFunctionExpression':
      return key === 'body' && child.type !== 'BlockStatement';
    case 'IfStatement':
      return skippable || key === 'consequent' || key === 'alternate';
    case 'ConditionalExpression':
      return skippable || key === 'consequent' || key === 'alternate';
    case 'LogicalExpression':
      return skippable || key === 'right';
    case 'SwitchStatement':
      return skippable || key === 'cases';
    case 'CatchClause':
      return skippable || key === 'body';
    case 'WhileStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
      return skippable || key === 'body';
    case 'ForStatement':
      return skippable || key === 'body' || key === 'update';
    default:
      return skippable;
  }
}
