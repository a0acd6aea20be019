/**
 * The names a function takes from the scopes around it, read from its source
 * text (V8 does not show a function's scopes to the host). On Espruino a
 * function defined inside another keeps that call's scope alive (a
 * `#scope#` link, src/jsparse.c jspeFunctionDefinition), and every local in
 * it stays a variable: what a closure keeps costs memory although no property
 * shows it.
 *
 * A name counts as captured when the function reads or writes it but no
 * declaration inside the function (its parameters, `var`/`let`/`const`,
 * function names, catch parameters, also those of functions nested in it)
 * declares it. Globals are told apart by the caller (they live in the root
 * scope, counted with the global object).
 *
 * Results are cached by source text: a firmware's functions are few and their
 * sources fixed, so repeated walks parse nothing new.
 */
import { parse } from 'acorn';

interface Node {
  type: string;
  [key: string]: unknown;
}

const CACHE_LIMIT = 4096;
const cache = new Map<string, readonly string[]>();

/** Names `source` (a function's text, as Function.prototype.toString gives it) takes from enclosing scopes. */
export function capturedNames(source: string): readonly string[] {
  const hit = cache.get(source);
  if (hit) return hit;
  const names = analyse(source);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, names);
  return names;
}

function analyse(source: string): readonly string[] {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) return [];
  const ast = parseFunction(source);
  if (!ast) return [];
  const declared = new Set<string>(['arguments', 'undefined']);
  const used = new Set<string>();
  visit(ast, undefined, undefined, declared, used);
  return [...used].filter((name) => !declared.has(name));
}

function parseFunction(source: string): Node | undefined {
  // a method's text (`f() {}`) only parses inside an object literal
  for (const text of [`(${source})`, `({${source}})`]) {
    try {
      return parse(text, { ecmaVersion: 'latest' }) as unknown as Node;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && typeof (value as Node).type === 'string';
}

function visit(node: Node, parent: Node | undefined, key: string | undefined, declared: Set<string>, used: Set<string>): void {
  if (node.type === 'Identifier') {
    if (!isNameReference(parent, key)) return;
    used.add(node.name as string);
    return;
  }
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (isNode(node.id)) declared.add(node.id.name as string);
      for (const param of node.params as Node[]) declarePattern(param, declared, used);
      break;
    case 'VariableDeclarator':
      declarePattern(node.id as Node, declared, used);
      if (isNode(node.init)) visit(node.init, node, 'init', declared, used);
      return;
    case 'CatchClause':
      if (isNode(node.param)) declarePattern(node.param, declared, used);
      break;
    case 'ClassDeclaration':
      if (isNode(node.id)) declared.add(node.id.name as string);
      break;
  }
  // by key, no [key, value] pair made per child: the first count of a new closure's source walks every node
  const keys = Object.keys(node);
  for (let k = 0; k < keys.length; k++) {
    const childKey = keys[k]!;
    if (childKey === 'params' || (childKey === 'id' && node.type !== 'VariableDeclarator') || (childKey === 'param' && node.type === 'CatchClause')) continue;
    const child = node[childKey];
    if (Array.isArray(child)) {
      for (let i = 0; i < child.length; i++) {
        const item: unknown = child[i];
        if (isNode(item)) visit(item, node, childKey, declared, used);
      }
    } else if (isNode(child)) visit(child, node, childKey, declared, used);
  }
}

/** Declares a pattern's names; default values and computed keys in it are still references. */
function declarePattern(pattern: Node, declared: Set<string>, used: Set<string>): void {
  switch (pattern.type) {
    case 'Identifier':
      declared.add(pattern.name as string);
      return;
    case 'AssignmentPattern':
      declarePattern(pattern.left as Node, declared, used);
      visit(pattern.right as Node, pattern, 'right', declared, used);
      return;
    case 'RestElement':
      declarePattern(pattern.argument as Node, declared, used);
      return;
    case 'ArrayPattern':
      for (const element of pattern.elements as (Node | null)[]) if (element) declarePattern(element, declared, used);
      return;
    case 'ObjectPattern':
      for (const property of pattern.properties as Node[]) {
        if (property.type === 'RestElement') declarePattern(property, declared, used);
        else {
          if (property.computed) visit(property.key as Node, property, 'key', declared, used);
          declarePattern(property.value as Node, declared, used);
        }
      }
      return;
  }
}

/** False for identifiers that name no variable: `o.name`, `{ name: 1 }`, labels. */
function isNameReference(parent: Node | undefined, key: string | undefined): boolean {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && key === 'property') return !!parent.computed;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && key === 'key') return !!parent.computed;
  if ((parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') && key === 'label') return false;
  return true;
}
