import type * as acorn from 'acorn';
import type MagicString from 'magic-string';
import { forEachChild, type Node } from './ast-walk';
import type { Scope, ScopeAnalysis } from './scope';

/**
 * The entry function (`boot()`, called once as a statement of the bundle's
 * top) is spread where it is called: its statements run there, in the
 * bundle's own scope, instead of in a call scope of their own. On Espruino
 * every function made in that body kept the call's scope on its scope list
 * (src/jsparse.c jspeFunctionDefinitionInternal stores
 * jspeiGetScopesAsVar(): one link at the bundle's top, a copied array of
 * 2 + depth JsVars below it), so each one the entry makes, and each one the
 * factories terser inlines into it make, is one scope shallower.
 *
 * Only a function declared once in the bundle's scope, with no parameters,
 * whose one reference is a call standing as a statement of the bundle's top
 * after the declaration, and whose own code (outside its inner functions)
 * has no `return`, `this` or `arguments` (they would mean the bundle's
 * there). A local that would meet a name of the bundle's scope, or a global
 * the bundle reads, is renamed (the minifier renames everything anyway).
 * Returns the scopes of the functions spread (their code now runs in the bundle's).
 */
export function spreadEntryCalls(body: acorn.Statement[], magic: MagicString, analysis: ScopeAnalysis): Scope[] {
  const bundleScope = scopeOfBody(analysis, body);
  if (bundleScope === null) return [];
  const spread: Scope[] = [];
  const globals = new Set(analysis.references.filter((reference) => reference.resolved === null).map((reference) => reference.name));
  for (const statement of body) {
    const name = calledAlone(statement);
    if (name === null) continue;
    const declarations = bundleScope.declarations.get(name) ?? [];
    const declaration = declarations.length === 1 ? declarations[0]! : null;
    const entry = declaration?.functionScope;
    if (!declaration || declaration.kind !== 'function' || !entry || declaration.start > statement.start) continue;
    const fn = entry.node as acorn.FunctionDeclaration;
    if (fn.params.length > 0 || analysis.references.filter((reference) => reference.resolved === bundleScope && reference.name === name).length !== 1) continue;
    if (usesOwnReturnThisOrArguments(fn.body)) continue;
    renameClashingLocals(entry, bundleScope, globals, analysis, magic);
    const inner = fn.body;
    magic.move(inner.start + 1, inner.end - 1, statement.start);
    magic.remove(fn.start, inner.start + 1);
    magic.remove(inner.end - 1, fn.end);
    magic.remove(statement.start, statement.end);
    spread.push(entry);
  }
  return spread;
}

/** `f();` */
function calledAlone(statement: acorn.Statement): string | null {
  if (statement.type !== 'ExpressionStatement') return null;
  const call = statement.expression;
  if (call.type !== 'CallExpression' || call.arguments.length > 0 || call.callee.type !== 'Identifier') return null;
  return call.callee.name;
}

/** The function scope whose body is `body` (the bundle's IIFE). */
function scopeOfBody(analysis: ScopeAnalysis, body: acorn.Statement[]): Scope | null {
  for (const reference of analysis.references) {
    for (let scope: Scope | null = reference.scope; scope; scope = scope.parent) {
      const node = scope.node as Node;
      if (scope.kind === 'function' && 'body' in node && node.body && (node.body as acorn.BlockStatement).body === body) return scope;
    }
  }
  return null;
}

function renameClashingLocals(entry: Scope, bundleScope: Scope, globals: ReadonlySet<string>, analysis: ScopeAnalysis, magic: MagicString): void {
  const taken = (name: string): boolean => bundleScope.declarations.has(name) || globals.has(name) || entry.declarations.has(name);
  for (const [name, declarations] of entry.declarations) {
    if (name === 'arguments' || !(bundleScope.declarations.has(name) || globals.has(name))) continue;
    let fresh = `${name}_entry`;
    for (let n = 2; taken(fresh); n++) fresh = `${name}_entry${n}`;
    for (const declaration of declarations) if (declaration.node) magic.overwrite(declaration.node.start, declaration.node.end, fresh);
    for (const reference of analysis.references) if (reference.resolved === entry && reference.name === name) magic.overwrite(reference.node.start, reference.node.end, fresh);
  }
}

/** `return`, `this` or `arguments` in the function's own code (not in its inner functions). */
function usesOwnReturnThisOrArguments(block: acorn.BlockStatement): boolean {
  let found = false;
  const visit = (node: Node): void => {
    if (found || isFunction(node)) return;
    if (node.type === 'ReturnStatement' || node.type === 'ThisExpression' || (node.type === 'Identifier' && node.name === 'arguments')) found = true;
    else forEachChild(node, visit);
  };
  forEachChild(block, visit);
  return found;
}

function isFunction(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}
