import * as acorn from 'acorn';
import MagicString from 'magic-string';
import { forEachChild, walk, type Node } from './ast-walk';
import { nonEs5Syntax } from './check-es5-syntax';
import type { RawSourceMap } from './source-maps';

// Size only, on the minified output: an anonymous function expression that
// cannot tell a function from an arrow function becomes one
// (`function(n){return n+1}` -> `n=>n+1`, 18 bytes less), and so does a
// function declaration, as a `var` (declarationsToVar). Espruino 2v29
// parses arrow functions (docs/espruino-subset.md) and stores them as it
// stores functions (src/jsparse.c jspeArrowFunction and
// jspeFunctionDefinitionInternal): the same function variable with its code
// read from flash, the `return` of an expression body implied by
// JSV_FUNCTION_RETURN exactly as for a function whose body starts with
// `return`, and no link to `this` unless the arrow's text contains the
// keyword `this` (lex->hadThisKeyword). So a converted function costs no
// variable more. What tells them apart, and keeps a function as it is:
// - `this` anywhere in its text (its own `this`, or a link Espruino would
//   store for a nested function's);
// - `arguments` anywhere in its text;
// - a function expression's own name (it may call itself by it);
// - being constructed: called with `new` or its `prototype` read, through
//   the variable or property it is assigned to (the bundle's classes are
//   function declarations, which this never touches).
// An expression body holds no array hole: Espruino parses it without
// running it when the arrow is defined, where a hole is a SyntaxError
// (src/jsparse.c jspeFactorArray); such a function gets a block body.

export const ARROW_FILE = 'arrows.js';

export interface Arrowed {
  code: string;
  map: RawSourceMap;
  /** How many function expressions became arrow functions. */
  converted: number;
}

export function toArrowFunctions(code: string, sourceName: string): Arrowed {
  let program: acorn.Program;
  try {
    program = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script', preserveParens: true });
  } catch {
    // Not ES5: the output check has reported why; the code stays as it is.
    return { code, map: JSON.parse(new MagicString(code).generateMap({ source: sourceName, file: ARROW_FILE, hires: true }).toString()) as RawSourceMap, converted: 0 };
  }
  const constructed = constructedNames(program);
  const magic = new MagicString(code);
  let converted = 0;
  walk(program, (node, parent, key) => {
    if (node.type === 'FunctionExpression' && !node.id && convertible(node, boundName(parent, key), constructed)) {
      const open = needsParentheses(parent, key) ? '(' : '';
      rewrite(node, magic, open, open ? ')' : '');
      converted++;
    }
    if (node.type === 'Program' || (node.type === 'BlockStatement' && parent !== null && (parent.type === 'FunctionExpression' || parent.type === 'FunctionDeclaration'))) {
      converted += declarationsToVar(node.body, code, magic, constructed);
    }
  });
  const map = magic.generateMap({ source: sourceName, file: ARROW_FILE, hires: true, includeContent: false });
  return { code: magic.toString(), map: JSON.parse(map.toString()) as RawSourceMap, converted };
}

/** Arrow functions in `code` that Espruino would treat differently from the function they replaced; empty when every one is sound. */
export function unsoundArrowFunctions(code: string): { start: number; why: string }[] {
  const program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script' });
  const problems: { start: number; why: string }[] = [];
  walk(program, (node) => {
    if (node.type !== 'ArrowFunctionExpression') return;
    if (contains(node, (inner) => inner.type === 'ThisExpression')) problems.push({ start: node.start, why: 'reads this' });
    if (contains(node, (inner) => inner.type === 'Identifier' && inner.name === 'arguments')) problems.push({ start: node.start, why: 'reads arguments' });
    if (node.params.some((param) => param.type !== 'Identifier')) problems.push({ start: node.start, why: 'has a parameter pattern' });
    if (node.expression && contains(node.body, isHoledArray)) {
      problems.push({ start: node.start, why: 'has an array hole in its expression body' });
    }
  });
  return problems;
}

/** What in `code` is beyond ES5 other than arrow functions (a syntax error's message, or each construct's); empty for this pass's output. */
export function beyondEs5ButArrows(code: string): string[] {
  let program: acorn.Program;
  try {
    program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
  } catch (error) {
    return [String((error as Error).message)];
  }
  const found = nonEs5Syntax(program)
    .map((finding) => finding.message)
    .filter((message) => !message.startsWith('an arrow function '));
  walk(program, (node) => {
    if (node.type === 'Property' && (node.shorthand || node.method)) found.push(`a ${node.shorthand ? 'shorthand property' : 'method'} at ${node.start}`);
  });
  return found;
}

function convertible(fn: acorn.FunctionExpression | acorn.FunctionDeclaration, name: string | null, constructed: ReadonlySet<string>): boolean {
  if (fn.generator || fn.async) return false;
  if (fn.params.some((param) => param.type !== 'Identifier')) return false;
  if (contains(fn.body, (inner) => inner.type === 'ThisExpression' || (inner.type === 'Identifier' && inner.name === 'arguments'))) return false;
  return name === null || !constructed.has(name);
}

/**
 * Runs of function declarations among a body's statements become one `var`
 * of arrow functions (`function a(n){return n}function b(){…}` ->
 * `var a=n=>n,b=()=>{…};`), joined to a `var` statement just before or after them.
 * Espruino hoists nothing (docs/espruino-subset.md): a declaration defines
 * its name when it runs, as the `var` does, and the build has checked that
 * nothing uses one before (check-hoisting.ts).
 */
function declarationsToVar(body: Node[], code: string, magic: MagicString, constructed: ReadonlySet<string>): number {
  let converted = 0;
  let index = 0;
  while (index < body.length) {
    const run: acorn.FunctionDeclaration[] = [];
    while (index < body.length) {
      const statement = body[index]!;
      if (statement.type !== 'FunctionDeclaration' || !statement.id || !convertible(statement as acorn.FunctionDeclaration, statement.id.name, constructed)) break;
      run.push(statement as acorn.FunctionDeclaration);
      index++;
    }
    if (run.length === 0) {
      index++;
      continue;
    }
    const before = body[index - run.length - 1];
    const after = body[index];
    const joinsBefore = isVar(before) && code[before.end - 1] === ';';
    const joinsAfter = isVar(after) && code.startsWith('var ', after.start);
    if (joinsBefore) magic.overwrite(before.end - 1, before.end, ',');
    if (joinsAfter) magic.remove(after.start, after.start + 'var '.length);
    run.forEach((declaration, position) => {
      const prefix = `${position === 0 && !joinsBefore ? 'var ' : ''}${declaration.id.name}=`;
      rewrite(declaration, magic, prefix, position < run.length - 1 || joinsAfter ? ',' : ';');
    });
    converted += run.length;
  }
  return converted;
}

/** The variable or property name a function expression is stored under (`var X = function…`, `X = …`, `o.X = …`, `{X: …}`). */
function boundName(parent: Node | null, key: string | null): string | null {
  if (!parent) return null;
  if (parent.type === 'VariableDeclarator' && key === 'init' && parent.id.type === 'Identifier') return parent.id.name;
  if (parent.type === 'AssignmentExpression' && key === 'right') {
    if (parent.left.type === 'Identifier') return parent.left.name;
    if (parent.left.type === 'MemberExpression' && !parent.left.computed && parent.left.property.type === 'Identifier') return parent.left.property.name;
  }
  if (parent.type === 'Property' && key === 'value' && parent.key.type === 'Identifier') return parent.key.name;
  if (parent.type === 'Property' && key === 'value' && parent.key.type === 'Literal') return String(parent.key.value);
  return null;
}

/** Names (variables or properties) that are called with `new` or whose `prototype` is read. */
function constructedNames(program: acorn.Program): Set<string> {
  const names = new Set<string>();
  const nameOf = (node: Node): string | null => {
    if (node.type === 'ParenthesizedExpression') return nameOf(node.expression);
    if (node.type === 'Identifier') return node.name;
    if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
    return null;
  };
  walk(program, (node) => {
    let name: string | null = null;
    if (node.type === 'NewExpression') name = nameOf(node.callee);
    else if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier' && node.property.name === 'prototype') name = nameOf(node.object);
    if (name !== null) names.add(name);
  });
  return names;
}

/** `prefix` and `suffix` go around the arrow function (parentheses, or `var f=` and the separator after it). */
function rewrite(fn: acorn.FunctionExpression | acorn.FunctionDeclaration, magic: MagicString, prefix: string, suffix: string): void {
  const params = fn.params as acorn.Identifier[];
  const head = params.length === 1 ? params[0]!.name : `(${params.map((param) => param.name).join(',')})`;
  const body = fn.body.body;
  const only = body.length === 1 ? body[0]! : null;
  // Only the head and the tail are overwritten: the body keeps its mappings and any function converted inside it.
  // An array hole in an expression body is a SyntaxError on Espruino (parsed without running): such a body stays a block.
  if (only && only.type === 'ReturnStatement' && only.argument && !contains(only.argument, isHoledArray)) {
    const value = only.argument;
    // An object literal would read as a block, a comma would end the arrow's body.
    const wrap = value.type === 'ObjectExpression' || value.type === 'SequenceExpression';
    magic.overwrite(fn.start, value.start, `${prefix}${head}=>${wrap ? '(' : ''}`);
    magic.overwrite(value.end, fn.end, `${wrap ? ')' : ''}${suffix}`);
  } else {
    magic.overwrite(fn.start, fn.body.start, `${prefix}${head}=>`);
    if (suffix) magic.appendLeft(fn.end, suffix);
  }
}

/** An arrow function is an assignment-level expression: anywhere tighter (a callee, an operand) it needs parentheses. */
function needsParentheses(parent: Node | null, key: string | null): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case 'ParenthesizedExpression':
    case 'ArrayExpression':
    case 'SequenceExpression':
    case 'ReturnStatement':
    case 'ExpressionStatement':
      return false;
    case 'CallExpression':
    case 'NewExpression':
      return key === 'callee';
    case 'VariableDeclarator':
      return key !== 'init';
    case 'AssignmentExpression':
      return key !== 'right';
    case 'Property':
      return key !== 'value';
    case 'ConditionalExpression':
      return key === 'test';
    default:
      return true;
  }
}

function isVar(statement: Node | undefined): statement is acorn.VariableDeclaration {
  return statement !== undefined && statement.type === 'VariableDeclaration' && statement.kind === 'var';
}

function isHoledArray(node: Node): boolean {
  return node.type === 'ArrayExpression' && node.elements.some((element) => element === null);
}

function contains(root: Node, test: (node: Node) => boolean): boolean {
  let found = false;
  const visit = (node: Node): void => {
    if (found) return;
    if (test(node)) {
      found = true;
      return;
    }
    forEachChild(node, visit);
  };
  visit(root);
  return found;
}
