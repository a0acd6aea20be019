import type * as acorn from 'acorn';
import type MagicString from 'magic-string';
import { isFunction, walk, type Node } from './ast-walk';
import type { Reference, Scope, ScopeAnalysis } from './scope';

/**
 * terser's annotation that keeps a call's function where it is declared
 * (its compress step otherwise inlines a function called once, `reduce_vars`
 * with `reduce_funcs`, into its caller as `(function(){...})()`).
 */
export const NO_INLINE = '/*@__NOINLINE__*/';

/**
 * Functions a module-level factory must make for its calls to stay calls:
 * kept, the factory costs 5 JsVars and one per parameter (its function, code
 * and scope link, its name in the bundle's scope); each function it makes
 * that lives saves at least one. Measured on the strap's firmware (idle deep
 * count, thresholds 1, 3, 5, 8, 10, 14): 10 kept the fewest (README.md).
 */
export const FACTORY_MIN_FUNCTIONS = 10;

/**
 * A module-level factory (a function that makes many functions:
 * `createScheduler`, whose closures live as long as the strap) called from
 * inside another function is left where it is declared instead of being
 * inlined into its caller. terser inlines a function called once into its
 * caller as `(function(){...})()`; there every function the factory makes is
 * one scope deeper, and the caller's scope is kept as long as they live. On
 * Espruino each function keeps its scope list (src/jsparse.c
 * jspeFunctionDefinitionInternal stores jspeiGetScopesAsVar(): the scope
 * itself at the bundle's top, below it a copied array of 2 + depth JsVars),
 * and a scope on that list keeps every local of its call. Calls from the
 * bundle's top scope are still inlined (the same depth, one function fewer),
 * and so are functions that make fewer than FACTORY_MIN_FUNCTIONS (a factory
 * called once from the top was spread there already, spread-calls.ts).
 * Returns the names of the factories whose calls were annotated.
 */
export function keepFactoriesOutOfCallers(program: acorn.Program, magic: MagicString, analysis: ScopeAnalysis): string[] {
  const made = functionsMadeBy(program);
  const callees = new Set<Node>();
  walk(program, (node) => {
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier') callees.add(node.callee);
  });
  const kept = new Set<string>();
  for (const reference of analysis.references) {
    const declaring = reference.resolved;
    if (!reference.isCallee || !callees.has(reference.node) || declaring === null) continue;
    // the bundle's top scope: esbuild's IIFE, whose locals are the modules' top-level declarations
    if (declaring.kind !== 'function' || declaring.parent?.kind !== 'program') continue;
    const declarations = declaring.declarations.get(reference.name) ?? [];
    const factory = declarations.length === 1 ? declarations[0]!.functionScope : null;
    if (factory === null || (made.get(factory.node) ?? 0) < FACTORY_MIN_FUNCTIONS) continue;
    if (callingScope(reference) === declaring) continue;
    magic.appendLeft(reference.node.start, NO_INLINE);
    kept.add(reference.name);
  }
  return [...kept];
}

/** The scope whose call runs the reference: on Espruino every function call is a scope, immediately-called ones too. */
function callingScope(reference: Reference): Scope {
  let scope = reference.scope;
  while (scope.kind === 'catch' && scope.parent) scope = scope.parent;
  return scope.varScope;
}

/** How many functions each function's own body defines (not counting those inside its inner functions). */
function functionsMadeBy(program: acorn.Program): Map<Node, number> {
  const made = new Map<Node, number>();
  walk(program, (node, _parent, _key, ancestors) => {
    if (!isFunction(node)) return;
    for (let i = ancestors.length - 1; i >= 0; i--) {
      const ancestor = ancestors[i]!;
      if (isFunction(ancestor)) {
        made.set(ancestor, (made.get(ancestor) ?? 0) + 1);
        return;
      }
    }
  });
  return made;
}
