import * as acorn from 'acorn';
import MagicString from 'magic-string';
import { walk, type Node } from './ast-walk';
import { analyzeScopes, runsInline, type Reference, type Scope } from './scope';
import type { RawSourceMap } from './source-maps';

export const RELEASED_NAME = 'released.js';

export interface Released {
  code: string;
  map: RawSourceMap;
  /** The variables set to undefined once the bundle's top has run. */
  released: string[];
}

/**
 * The bundle's scope (its wrapper function's call) holds every variable of
 * the bundle's top, and Espruino keeps them all, with their values, for as
 * long as a function defined there lives (src/jsparse.c
 * jspeFunctionDefinitionInternal: a function's `#sco` is the call's scope,
 * which holds every parameter and `var`; sim/board/runtime/context/kept-locals.ts):
 * on the strap, for as long as it runs. A variable that no function reads is
 * used only while the top runs (boot's wiring objects, the configuration
 * read once, loop counters), so its value is garbage from then on, but it
 * would stay. The top therefore ends by setting such variables to undefined
 * (`a=b=c=void 0`); their names stay, one JsVar each.
 */
export function releaseTopValues(code: string): Released {
  const magic = new MagicString(code);
  const found = releasable(code);
  if (found) {
    for (const [node, name] of found.renames) magic.overwrite(node.start, node.end, name);
    magic.appendLeft(found.at, `;${found.names.join('=')}=void 0`);
  }
  const map = JSON.parse(magic.generateMap({ source: RELEASED_NAME, file: RELEASED_NAME, hires: true, includeContent: false }).toString()) as RawSourceMap;
  return { code: magic.toString(), map, released: found ? found.names : [] };
}

interface Found {
  /** Where the release goes. */
  at: number;
  /** The names released (after pooling). */
  names: string[];
  /** Identifiers to write with another released variable's name. */
  renames: Map<acorn.Identifier, string>;
}

function releasable(code: string): Found | undefined {
  let program: acorn.Program;
  try {
    program = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  } catch {
    return undefined; // the output check reports it
  }
  const wrapper = bundleFunction(program);
  if (!wrapper) return undefined;
  const analysis = analyzeScopes(program);
  const scope = scopeOf(analysis.references, wrapper);
  if (!scope) return undefined;
  const readByFunctions = new Set<string>();
  const referencesOf = new Map<string, Reference[]>();
  for (const reference of analysis.references) {
    if (reference.resolved !== scope) continue;
    if (!runsInline(reference.scope, scope)) readByFunctions.add(reference.name);
    const list = referencesOf.get(reference.name);
    if (list) list.push(reference);
    else referencesOf.set(reference.name, [reference]);
  }
  const names: string[] = [];
  for (const [name, declarations] of scope.declarations) {
    if (declarations.every((d) => d.kind === 'var') && !readByFunctions.has(name)) names.push(name);
  }
  if (names.length === 0) return undefined;
  const body = (wrapper as acorn.FunctionExpression).body;
  const last = body.body[body.body.length - 1];
  const { loops, initialized } = topCode(body);
  const { renames, gone } = poolNames(names, scope, referencesOf, loops, initialized);
  // before a return that ends the top (nothing runs after it)
  return { at: last && last.type === 'ReturnStatement' ? last.start : body.end - 1, names: names.filter((name) => !gone.has(name)), renames };
}

/** A released variable's live range in the top's code: from its declaration to its last use (a loop's end when used in a loop). */
interface Live {
  name: string;
  start: number;
  end: number;
  identifiers: acorn.Identifier[];
  references: Reference[];
}

/**
 * Released variables whose lives in the top's code do not overlap share a
 * name (each name is a JsVar Espruino keeps): greedily, in the order they
 * start. Only a variable declared with a value (`var a = …`) in straight-line
 * code outside any loop, never used before that, takes or gives a name: it
 * never reads the value a name had before; a name is not taken where a scope
 * between a use and the top declares it.
 */
function poolNames(
  names: readonly string[],
  scope: Scope,
  referencesOf: Map<string, Reference[]>,
  loops: ReadonlyArray<{ start: number; end: number }>,
  initialized: ReadonlySet<Node>,
): { renames: Map<acorn.Identifier, string>; gone: Set<string> } {
  const lives: Live[] = [];
  for (const name of names) {
    const declarations = scope.declarations.get(name)!;
    const declaration = declarations[0]!;
    if (declarations.length !== 1 || !declaration.node || declaration.branch || !initialized.has(declaration.node)) continue;
    const start = declaration.node.start;
    if (loops.some((loop) => loop.start <= start && start < loop.end)) continue;
    const references = referencesOf.get(name) ?? [];
    if (references.some((r) => r.node.start < start)) continue;
    let end = declaration.node.end;
    for (const r of references) {
      end = Math.max(end, r.node.end);
      for (const loop of loops) if (loop.start <= r.node.start && r.node.start < loop.end) end = Math.max(end, loop.end);
    }
    lives.push({ name, start, end, identifiers: [declaration.node, ...references.map((r) => r.node)], references });
  }
  lives.sort((a, b) => a.start - b.start);
  const pool: Array<{ name: string; end: number }> = [];
  const renames = new Map<acorn.Identifier, string>();
  /** The names given up: every identifier of theirs is written with another now. */
  const gone = new Set<string>();
  for (const live of lives) {
    const free = pool.find((slot) => slot.end < live.start && live.references.every((r) => visibleAsTop(r.scope, scope, slot.name)));
    if (!free) {
      pool.push({ name: live.name, end: live.end });
      continue;
    }
    free.end = live.end;
    gone.add(live.name);
    for (const identifier of live.identifiers) renames.set(identifier, free.name);
  }
  return { renames, gone };
}

/** No scope between `from` and the top declares `name`: written there, it means the top's variable. */
function visibleAsTop(from: Scope, top: Scope, name: string): boolean {
  for (let s: Scope | null = from; s && s !== top; s = s.parent) if (s.declarations.has(name)) return false;
  return true;
}

/** The loops in the wrapper's body, and the variables declared there with a value (`var a = …`). */
function topCode(body: acorn.BlockStatement): { loops: Array<{ start: number; end: number }>; initialized: Set<Node> } {
  const loops: Array<{ start: number; end: number }> = [];
  const initialized = new Set<Node>();
  walk(body as Node, (node) => {
    if (node.type === 'ForStatement' || node.type === 'ForInStatement' || node.type === 'WhileStatement' || node.type === 'DoWhileStatement') loops.push({ start: node.start, end: node.end });
    if (node.type === 'VariableDeclarator' && node.init) initialized.add(node.id);
  });
  return { loops, initialized };
}

/** The bundle's wrapper: `(function(){…})()` or `!function(){…}()`, the program's one statement. */
function bundleFunction(program: acorn.Program): Node | undefined {
  if (program.body.length !== 1) return undefined;
  const statement = program.body[0]!;
  if (statement.type !== 'ExpressionStatement') return undefined;
  let expression = statement.expression;
  if (expression.type === 'UnaryExpression') expression = expression.argument;
  if (expression.type !== 'CallExpression' || expression.arguments.length > 0) return undefined;
  return expression.callee.type === 'FunctionExpression' ? expression.callee : undefined;
}

/** The scope of `node` (a function), found through the references made in it or below it. */
function scopeOf(references: readonly Reference[], node: Node): Scope | undefined {
  for (const reference of references) {
    for (let scope: Scope | null = reference.scope; scope; scope = scope.parent) if (scope.node === node) return scope;
  }
  return undefined;
}
