import type * as acorn from 'acorn';
import type MagicString from 'magic-string';
import { forEachChild, isFunction, walk, type Node } from './ast-walk';

/**
 * TypeScript lowers a class to an immediately-called function:
 *
 *     var X = (function () { function X(a) {…} X.prototype.m = function () {…}; return X; }());
 *
 * On Espruino that call is a scope like any other: each method keeps it on
 * its scope list, a copied array of 2 + depth JsVars (src/jsparse.c
 * jspeFunctionDefinitionInternal, jspeiGetScopesAsVar) where a method of a
 * module-level class written out at the bundle's top keeps one link, and the
 * wrapper's scope (its locals: the constructor's name, the prototype alias)
 * stays as long as any method does. A wrapper with no parameters whose body is
 * the constructor's declaration, expression statements and `return X;` is
 * written out in place instead, when it stands directly in a function body:
 *
 *     function X(a) {…} X.prototype.m = function () {…};
 *
 * The same statements run in the same order where the class stood. Classes
 * that extend another (their wrapper takes `_super`) or declare a variable
 * (static fields' temporaries) keep their wrapper.
 * Returns the names of the classes written out.
 */
export function unwrapClasses(program: acorn.Program, magic: MagicString): string[] {
  const unwrapped: string[] = [];
  walk(program, (node, parent) => {
    if (node.type !== 'BlockStatement' || parent === null || !isFunction(parent)) return;
    for (const statement of node.body) {
      const wrapper = classWrapper(statement);
      if (wrapper === null) continue;
      magic.remove(statement.start, wrapper.constructor.start);
      magic.remove(wrapper.returned.start, statement.end);
      unwrapped.push(wrapper.name);
    }
  });
  return unwrapped;
}

interface ClassWrapper {
  name: string;
  constructor: acorn.FunctionDeclaration;
  returned: acorn.ReturnStatement;
}

/** `var X = (function () { function X(…) {…} …; return X; }());` */
function classWrapper(statement: Node): ClassWrapper | null {
  if (statement.type !== 'VariableDeclaration' || statement.declarations.length !== 1) return null;
  const declarator = statement.declarations[0]!;
  if (declarator.id.type !== 'Identifier' || !declarator.init) return null;
  const name = declarator.id.name;
  let call: Node = declarator.init;
  if (call.type === 'ParenthesizedExpression') call = call.expression;
  if (call.type !== 'CallExpression' || call.arguments.length > 0) return null;
  const wrapper = call.callee.type === 'ParenthesizedExpression' ? call.callee.expression : call.callee;
  if (wrapper.type !== 'FunctionExpression' || wrapper.params.length > 0 || wrapper.id) return null;
  const body = wrapper.body.body;
  const first = body[0];
  const last = body[body.length - 1];
  if (first?.type !== 'FunctionDeclaration' || first.id?.name !== name) return null;
  if (last?.type !== 'ReturnStatement' || last.argument?.type !== 'Identifier' || last.argument.name !== name) return null;
  for (const middle of body.slice(1, -1)) if (middle.type !== 'ExpressionStatement' || usesArgumentsOrThis(middle)) return null;
  return { name, constructor: first, returned: last };
}

/** `this` or `arguments` outside any inner function: the wrapper's own, which written out would be the enclosing function's. */
function usesArgumentsOrThis(statement: Node): boolean {
  let found = false;
  const visit = (node: Node): void => {
    if (found || isFunction(node)) return;
    if (node.type === 'ThisExpression' || (node.type === 'Identifier' && node.name === 'arguments')) found = true;
    else forEachChild(node, visit);
  };
  forEachChild(statement, visit);
  return found;
}
