import * as acorn from 'acorn';
import MagicString from 'magic-string';
import type { Node } from './ast-walk';
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
  const released = releasable(code);
  if (released) magic.appendLeft(released.at, `;${released.names.join('=')}=void 0`);
  const map = JSON.parse(magic.generateMap({ source: RELEASED_NAME, file: RELEASED_NAME, hires: true, includeContent: false }).toString()) as RawSourceMap;
  return { code: magic.toString(), map, released: released ? released.names : [] };
}

function releasable(code: string): { at: number; names: string[] } | undefined {
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
  for (const reference of analysis.references) {
    if (reference.resolved === scope && !runsInline(reference.scope, scope)) readByFunctions.add(reference.name);
  }
  const names: string[] = [];
  for (const [name, declarations] of scope.declarations) {
    if (declarations.every((d) => d.kind === 'var') && !readByFunctions.has(name)) names.push(name);
  }
  if (names.length === 0) return undefined;
  const body = (wrapper as acorn.FunctionExpression).body;
  const last = body.body[body.body.length - 1];
  // before a return that ends the top (nothing runs after it)
  return { at: last && last.type === 'ReturnStatement' ? last.start : body.end - 1, names };
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
