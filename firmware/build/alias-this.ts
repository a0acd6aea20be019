import type * as acorn from 'acorn';
import type MagicString from 'magic-string';
import { forEachChild, walk, type Node } from './ast-walk';

// Size only (the minifier renames variables, never `this` or `X.prototype`):
// - a function that reads `this` often gets `var __self = this;` first and
//   reads that instead (`this.` is 5 characters, a renamed local 1);
// - a class's methods, `X.prototype.m = function…` one after another, go
//   through `var __proto_X = X.prototype;` declared just before the first.
// Both declarations stand before every use, so nothing relies on hoisting.

/** Fewest `this` in one function for the alias to pay for its `var s=this,`. */
const MIN_THIS = 4;
/** Fewest method assignments in one block for the prototype alias to pay. */
const MIN_METHODS = 2;

export const SELF_NAME = '__self';
export const PROTO_PREFIX = '__proto_';

export function aliasThisAndPrototypes(program: acorn.Program, magic: MagicString): void {
  walk(program, (node) => {
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') aliasThis(node, magic);
    if (node.type === 'BlockStatement' || node.type === 'Program') aliasPrototypes(node.body as Node[], magic);
  });
}

function aliasThis(fn: acorn.Function, magic: MagicString): void {
  const uses: Node[] = [];
  const collect = (node: Node): void => {
    if (node.type === 'ThisExpression') uses.push(node);
    // A nested function has its own `this` (ES5: no arrows left after lowering).
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') return;
    forEachChild(node, collect);
  };
  if (fn.body.type !== 'BlockStatement') return;
  forEachChild(fn.body, collect);
  if (uses.length < MIN_THIS) return;
  const body = fn.body.body;
  const first = body.find((statement) => !(statement.type === 'ExpressionStatement' && statement.directive !== undefined));
  if (!first) return;
  magic.appendLeft(first.start, `var ${SELF_NAME} = this; `);
  for (const use of uses) magic.overwrite(use.start, use.end, SELF_NAME);
}

function aliasPrototypes(body: Node[], magic: MagicString): void {
  const byClass = new Map<string, Node[]>();
  for (const statement of body) {
    const target = prototypeOf(statement);
    if (target === null) continue;
    const list = byClass.get(target.name) ?? [];
    list.push(target.prototype);
    byClass.set(target.name, list);
  }
  for (const [name, prototypes] of byClass) {
    if (prototypes.length < MIN_METHODS) continue;
    const alias = PROTO_PREFIX + name;
    const firstStatement = body.find((statement) => prototypeOf(statement)?.name === name)!;
    magic.appendLeft(firstStatement.start, `var ${alias} = ${name}.prototype; `);
    for (const prototype of prototypes) magic.overwrite(prototype.start, prototype.end, alias);
  }
}

/** `X.prototype.m = …;`: X and the `X.prototype` node. */
function prototypeOf(statement: Node): { name: string; prototype: Node } | null {
  if (statement.type !== 'ExpressionStatement') return null;
  const assignment = statement.expression;
  if (assignment.type !== 'AssignmentExpression' || assignment.operator !== '=' || assignment.left.type !== 'MemberExpression') return null;
  const prototype = assignment.left.object;
  if (prototype.type !== 'MemberExpression' || prototype.computed || prototype.object.type !== 'Identifier') return null;
  if (prototype.property.type !== 'Identifier' || prototype.property.name !== 'prototype') return null;
  return { name: prototype.object.name, prototype };
}
