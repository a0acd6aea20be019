/**
 * What Espruino keeps of a call that a closure keeps: every local. A call's
 * scope is one variable holding each parameter and `var` of the function
 * (src/jsparse.c jspeFunctionCall: the `functionRoot` its arguments and
 * declarations go into), and a function defined there links to it
 * (jspeFunctionDefinitionInternal: `#sco`), so while that function lives,
 * every local of the call lives, with its value. V8 keeps in a closure's
 * context only the variables some inner function uses; the rest are on the
 * stack and gone, so the board's deep count (../closure-scan.ts), which
 * reads the contexts through V8's inspector, would count less than a
 * Puck.js holds.
 *
 * So the code runner (loop-guard.ts) gives a function that defines
 * functions a reference to each of its locals from a function that never
 * runs, `0&&function(){a,b}`: V8's scope analysis (which sees dead code)
 * then puts them all in the context its closures share, where a deep count
 * reads them with their values. The function is never made (`0&&` stops
 * first), and board code never sees its text (the inserted text carries
 * loop-guard.ts's NUL marker).
 */
import type { Node } from 'acorn';

type AnyNode = Node & Record<string, any>;

/**
 * The locals of `fn` (parameters, `var`s anywhere in its body, its function
 * declarations, the `let`, `const` and classes of its body's top level) when
 * it defines a function, for Espruino would keep them with any closure made
 * in it; none otherwise.
 */
export function keptLocals(fn: AnyNode): string[] {
  const names = new Set<string>();
  let definesFunction = false;
  for (const param of fn.params as AnyNode[]) patternNames(param, names);
  const body = fn.body as AnyNode;
  const visit = (node: AnyNode, top: boolean): void => {
    switch (node.type) {
      case 'FunctionDeclaration':
        names.add(node.id.name);
        definesFunction = true;
        return;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        definesFunction = true;
        return;
      case 'ClassDeclaration':
        if (top) names.add(node.id.name);
        definesFunction = true;
        return;
      case 'ClassExpression':
        definesFunction = true;
        return;
      case 'VariableDeclaration':
        if (node.kind === 'var' || top) for (const d of node.declarations as AnyNode[]) patternNames(d.id, names);
        break;
    }
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c.type === 'string') visit(c, false);
      } else if (child && typeof child.type === 'string') visit(child, false);
    }
  };
  if (body.type === 'BlockStatement') for (const statement of body.body as AnyNode[]) visit(statement, true);
  else visit(body, false);
  names.delete('arguments');
  return definesFunction ? [...names] : [];
}

function patternNames(pattern: AnyNode | null, names: Set<string>): void {
  if (!pattern) return;
  switch (pattern.type) {
    case 'Identifier':
      names.add(pattern.name);
      return;
    case 'AssignmentPattern':
      return patternNames(pattern.left, names);
    case 'RestElement':
      return patternNames(pattern.argument, names);
    case 'ArrayPattern':
      for (const element of pattern.elements as Array<AnyNode | null>) patternNames(element, names);
      return;
    case 'ObjectPattern':
      for (const property of pattern.properties as AnyNode[]) patternNames(property.type === 'RestElement' ? property : property.value, names);
  }
}
