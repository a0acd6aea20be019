import * as acorn from 'acorn';
import MagicString from 'magic-string';
import { forEachChild, isFunction, walk, type Node } from './ast-walk';
import { analyzeScopes, type Declaration, type Scope, type ScopeAnalysis } from './scope';
import { chainSourceMaps, type RawSourceMap } from './source-maps';

export const SPREAD_NAME = 'spread.js';

export interface Spread {
  code: string;
  /** From the output to the input (one map even after several rounds). */
  map: RawSourceMap;
  /** The functions whose statements now run where they were called, in the order spread. */
  spread: string[];
}

/** Rounds of spreading: a spread body's own calls are candidates in the next round (boot → startPower → startScheduler → createScheduler). */
const MAX_ROUNDS = 8;

/**
 * A module-level function called once, by a statement of the bundle's top
 * (`f(a, b);` or `var x = f(a, b);`), runs its statements there instead of
 * in a call scope of its own (`var p = a, q = b; …statements…; var x = <what
 * it returned>;`). On Espruino each function made in a call keeps that call
 * on its scope list (src/jsparse.c jspeFunctionDefinitionInternal stores
 * jspeiGetScopesAsVar()): the bundle's own scope alone is one link, a list
 * of two scopes a copied array of 4 JsVars, and the call's scope with all
 * its locals stays as long as one of them lives. So `boot()` and the
 * factories it calls once (createScheduler, startPairing, …) leave their
 * closures one scope below the bundle's IIFE, at one link each.
 *
 * Only a function declared once in the bundle's scope before the call, with
 * plain parameters and no more arguments than parameters, whose name is used
 * by that call alone, and whose own code (outside its inner functions) has no
 * `this`, no `arguments` and no `return` but as its last statement. A local
 * (parameters too) that would meet a name of the bundle's scope, a global
 * the bundle reads or another spread function's local is renamed (the
 * minifier renames them all anyway). The statements run in the same order
 * as the call ran them, the arguments first.
 */
export function spreadOnceCalledFunctions(code: string): Spread {
  const maps: RawSourceMap[] = [];
  const spread: string[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let program: acorn.Program;
    try {
      program = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
    } catch {
      break; // the output check reports it
    }
    const magic = new MagicString(code);
    const names = spreadRound(program, magic);
    if (names.length === 0) break;
    spread.push(...names);
    code = magic.toString();
    maps.unshift(JSON.parse(magic.generateMap({ source: SPREAD_NAME, file: SPREAD_NAME, hires: true, includeContent: false }).toString()) as RawSourceMap);
  }
  if (maps.length === 0) {
    const identity = new MagicString(code);
    maps.push(JSON.parse(identity.generateMap({ source: SPREAD_NAME, file: SPREAD_NAME, hires: true, includeContent: false }).toString()) as RawSourceMap);
  }
  return { code, map: maps.length === 1 ? maps[0]! : chainSourceMaps(maps), spread };
}

function spreadRound(program: acorn.Program, magic: MagicString): string[] {
  const iife = bundleFunction(program);
  if (iife === null) return [];
  const analysis = analyzeScopes(program);
  const bundleScope = scopeOf(analysis, iife);
  if (bundleScope === null) return [];
  const globals = new Set(analysis.references.filter((reference) => reference.resolved === null).map((reference) => reference.name));
  const taken = new Set<string>([...bundleScope.declarations.keys(), ...globals]);
  const uses = new Map<string, number>();
  for (const reference of analysis.references) if (reference.resolved === bundleScope) uses.set(reference.name, (uses.get(reference.name) ?? 0) + 1);
  const written = assignedIdentifiers(program);
  const names: string[] = [];
  for (const statement of topStatements(iife)) {
    const site = callSite(statement);
    if (site === null || uses.get(site.name) !== 1) continue;
    const declarations = bundleScope.declarations.get(site.name) ?? [];
    const declaration = declarations.length === 1 ? declarations[0]! : null;
    const scope = declaration?.kind === 'function' ? declaration.functionScope : null;
    if (!declaration || !scope || declaration.start > statement.start) continue;
    const fn = scope.node as acorn.FunctionDeclaration;
    if (!spreadable(fn, site)) continue;
    const locals = localNames(scope, taken);
    spreadOne(fn, scope, statement, site, locals, aliasedParams(fn, scope, statement, site, bundleScope, analysis, written, locals), analysis, magic);
    names.push(site.name);
  }
  return names;
}

interface CallSite {
  name: string;
  call: acorn.CallExpression;
  /** `var x = f()` or `x = f()`: x; null for `f();`. */
  target: string | null;
  /** `x = f()`: the result is assigned, not declared. */
  assigned: boolean;
}

/**
 * The bundle's own statements, and those of a `try` block among them (boot starts the radio in one): a
 * spread body there runs where the call ran, and what it throws goes to the same `catch`.
 */
function topStatements(iife: acorn.FunctionExpression): acorn.Statement[] {
  const statements: acorn.Statement[] = [];
  for (const statement of iife.body.body) {
    statements.push(statement);
    if (statement.type === 'TryStatement') statements.push(...statement.block.body);
  }
  return statements;
}

function callSite(statement: acorn.Statement): CallSite | null {
  let call: acorn.Expression | null | undefined = null;
  let target: string | null = null;
  let assigned = false;
  if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
    const assignment = statement.expression;
    if (assignment.operator !== '=' || assignment.left.type !== 'Identifier') return null;
    target = assignment.left.name;
    assigned = true;
    call = assignment.right;
  } else if (statement.type === 'ExpressionStatement') call = statement.expression;
  else if (statement.type === 'VariableDeclaration' && statement.kind === 'var' && statement.declarations.length === 1) {
    const declarator = statement.declarations[0]!;
    if (declarator.id.type !== 'Identifier') return null;
    target = declarator.id.name;
    call = declarator.init;
  }
  if (!call || call.type !== 'CallExpression' || call.callee.type !== 'Identifier') return null;
  return { name: call.callee.name, call, target, assigned };
}

function spreadable(fn: acorn.FunctionDeclaration, site: CallSite): boolean {
  if (fn.params.some((param) => param.type !== 'Identifier')) return false;
  if (site.call.arguments.length > fn.params.length || site.call.arguments.some((argument) => argument.type === 'SpreadElement')) return false;
  const body = fn.body.body;
  if (body.length === 0) return false;
  const last = body[body.length - 1]!;
  if (site.target !== null && (last.type !== 'ReturnStatement' || !last.argument)) return false;
  const own = last.type === 'ReturnStatement' ? [...body.slice(0, -1), ...(last.argument ? [last.argument] : [])] : body;
  return !own.some((node) => usesReturnThisOrArguments(node));
}

/** New names for the function's locals that would meet a taken name; every final name is then taken. */
function localNames(scope: Scope, taken: Set<string>): Map<string, string> {
  const renamed = new Map<string, string>();
  for (const name of scope.declarations.keys()) {
    if (name === 'arguments') continue;
    let fresh = name;
    for (let n = 2; taken.has(fresh) || scope.declarations.has(fresh) && fresh !== name; n++) fresh = `${name}_${n}`;
    taken.add(fresh);
    renamed.set(name, fresh);
  }
  return renamed;
}

/** Identifiers written by an assignment or `++`/`--` (declarations aside). */
function assignedIdentifiers(program: acorn.Program): Set<acorn.Identifier> {
  const written = new Set<acorn.Identifier>();
  walk(program, (node) => {
    const target = node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : null;
    if (target?.type === 'Identifier') written.add(target);
  });
  return written;
}

/**
 * Parameters that can read their argument's variable instead of a `var` of
 * their own: the argument is a variable of the bundle's scope declared once,
 * before the call, by straight-line code of the bundle and never assigned, and
 * the parameter is never assigned either, so both hold the same value for as
 * long as the program runs. Each such `var` would be one more name kept in
 * the bundle's scope (a JsVar on Espruino) for every closure's lifetime.
 * Not when an inner function of the spread body declares the argument's name
 * where it reads the parameter.
 */
function aliasedParams(
  fn: acorn.FunctionDeclaration,
  scope: Scope,
  statement: acorn.Statement,
  site: CallSite,
  bundleScope: Scope,
  analysis: ScopeAnalysis,
  written: Set<acorn.Identifier>,
  locals: Map<string, string>,
): Map<string, string> {
  const aliases = new Map<string, string>();
  const args = site.call.arguments as acorn.Expression[];
  fn.params.forEach((param, i) => {
    const name = (param as acorn.Identifier).name;
    const argument = args[i];
    if (argument?.type !== 'Identifier' || (scope.declarations.get(name) ?? []).length !== 1) return;
    const declarations: Declaration[] = bundleScope.declarations.get(argument.name) ?? [];
    const declaration = declarations.length === 1 ? declarations[0]! : null;
    if (!declaration || declaration.branch !== null || declaration.start > statement.start) return;
    if (declaration.kind !== 'var' && declaration.kind !== 'function') return;
    if (name === site.target || argument.name === site.target) return;
    const readsOf = (scope: Scope, variable: string) => analysis.references.filter((reference) => reference.resolved === scope && reference.name === variable);
    if (readsOf(bundleScope, argument.name).some((reference) => written.has(reference.node))) return;
    const paramReads = readsOf(scope, name);
    if (paramReads.some((reference) => written.has(reference.node))) return;
    for (const reference of paramReads) {
      for (let at: Scope | null = reference.scope; at && at !== scope; at = at.parent) if (at.declarations.has(argument.name)) return;
    }
    // a local of the body renamed to the argument's name would meet it
    for (const [local, fresh] of locals) if (local !== name && fresh === argument.name) return;
    aliases.set(name, argument.name);
  });
  return aliases;
}

function spreadOne(
  fn: acorn.FunctionDeclaration,
  scope: Scope,
  statement: acorn.Statement,
  site: CallSite,
  localNames: Map<string, string>,
  aliases: Map<string, string>,
  analysis: ScopeAnalysis,
  magic: MagicString,
): void {
  const names = new Map(localNames);
  for (const [param, argument] of aliases) names.set(param, argument);
  // locals renamed where they are declared (parameters are declared by the `var` written below) and used
  for (const [name, declarations] of scope.declarations) {
    const fresh = names.get(name);
    if (fresh === undefined || fresh === name) continue;
    for (const declaration of declarations) if (declaration.node && declaration.kind !== 'param') magic.overwrite(declaration.node.start, declaration.node.end, fresh);
  }
  for (const reference of analysis.references) {
    const fresh = reference.resolved === scope ? names.get(reference.name) : undefined;
    if (fresh !== undefined && fresh !== reference.name) magic.overwrite(reference.node.start, reference.node.end, fresh);
  }
  // the call becomes the parameters' `var`, the arguments staying where they are (an aliased parameter's argument goes)
  const aliased = fn.params.map((param) => aliases.has((param as acorn.Identifier).name));
  const params = fn.params.map((param) => names.get((param as acorn.Identifier).name)!).filter((_, i) => !aliased[i]);
  const args = (site.call.arguments as acorn.Expression[]).filter((_, i) => !aliased[i]);
  if (params.length === 0) magic.remove(statement.start, statement.end);
  else if (args.length === 0) magic.overwrite(statement.start, statement.end, `var ${params.map((param) => `${param} = void 0`).join(', ')};`);
  else {
    magic.overwrite(statement.start, args[0]!.start, `var ${params[0]} = `);
    for (let i = 1; i < args.length; i++) magic.overwrite(args[i - 1]!.end, args[i]!.start, `, ${params[i]} = `);
    const missing = params.slice(args.length).map((param) => `, ${param} = void 0`).join('');
    magic.overwrite(args[args.length - 1]!.end, statement.end, `${missing};`);
  }
  // then the body, its closing `return x;` as `var target = x;` (or `x;`)
  const body = fn.body.body;
  const first = body[0]!;
  const last = body[body.length - 1]!;
  if (last.type === 'ReturnStatement') {
    if (!last.argument) magic.remove(last.start, last.end);
    else magic.overwrite(last.start, last.argument.start, site.target === null ? '' : site.assigned ? `${site.target} = ` : `var ${site.target} = `);
  }
  magic.remove(fn.start, first.start);
  magic.remove(last.end, fn.end);
  magic.move(first.start, last.end, statement.end);
}

/** The function esbuild wraps the bundle in. */
function bundleFunction(program: acorn.Program): acorn.FunctionExpression | null {
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement') continue;
    const call = statement.expression;
    if (call.type === 'CallExpression' && call.callee.type === 'FunctionExpression') return call.callee;
  }
  return null;
}

function scopeOf(analysis: ScopeAnalysis, fn: Node): Scope | null {
  for (const reference of analysis.references) {
    for (let scope: Scope | null = reference.scope; scope; scope = scope.parent) if (scope.node === fn) return scope;
  }
  return null;
}

/** `return`, `this` or `arguments` outside inner functions. */
function usesReturnThisOrArguments(node: Node): boolean {
  if (isFunction(node)) return false;
  if (node.type === 'ReturnStatement' || node.type === 'ThisExpression' || (node.type === 'Identifier' && node.name === 'arguments')) return true;
  let found = false;
  forEachChild(node, (child) => {
    if (!found && usesReturnThisOrArguments(child)) found = true;
  });
  return found;
}
