import { HOISTING_NOTE, RULES } from './espruino-2v29';
import { at, type Finding } from './finding';
import { executingFunction, isAncestorScope, runsInline, type Branch, type Declaration, type Reference, type ScopeAnalysis, type Scope } from './scope';

// Espruino 2v29 hoists nothing: a function declaration binds its name when the
// interpreter reaches it, and a `var` exists only once its statement has run.

/** Kinds whose binding exists from the start of their scope on Espruino too. */
const ALWAYS_BOUND = new Set(['param', 'catch', 'function-name', 'arguments']);
/** Kinds the rules judge (let/const/class only appear when lowering failed, and es5-syntax reports that). */
const JUDGED = new Set(['var', 'function']);

export function checkHoisting(analysis: ScopeAnalysis): Finding[] {
  const findings: Finding[] = [];
  const eager = eagerReferencesByFunction(analysis.references);
  const reportedBranchDeclarations = new Set<Declaration>();

  for (const reference of analysis.references) {
    const scope = reference.resolved;
    if (!scope || reference.inTypeof) continue;
    const declarations = scope.declarations.get(reference.name) ?? [];
    if (declarations.some((declaration) => ALWAYS_BOUND.has(declaration.kind))) continue;
    if (!declarations.every((declaration) => JUDGED.has(declaration.kind))) continue;
    const first = earliest(declarations);

    if (runsInline(reference.scope, scope)) {
      if (reference.node.start < first.start) {
        findings.push(usedBeforeDeclaration(reference, first));
        continue;
      }
      if (reference.isCallee) {
        const callee = declarations.find((declaration) => declaration.functionScope && declaration.start < reference.node.start);
        if (callee?.functionScope) {
          const late = firstLateReference(callee.functionScope, scope, reference.node.start, eager, new Set());
          if (late) findings.push(callRunsLateReference(reference, late));
        }
      }
    }

    if (declarations.every((declaration) => declaration.branch !== null)) {
      const insideOwnBranch = declarations.some(
        (declaration) => declaration.branch && declaration.branch.start <= reference.node.start && reference.node.end <= declaration.branch.end,
      );
      if (!insideOwnBranch && !reportedBranchDeclarations.has(first)) {
        reportedBranchDeclarations.add(first);
        findings.push(usedOutsideBranch(reference, first));
      }
    }
  }
  return findings;
}

function earliest(declarations: Declaration[]): Declaration {
  return declarations.reduce((a, b) => (b.start < a.start ? b : a));
}

/** For each function, the references its body makes, when called, to names declared outside it. */
function eagerReferencesByFunction(references: Reference[]): Map<Scope, Reference[]> {
  const byFunction = new Map<Scope, Reference[]>();
  for (const reference of references) {
    if (!reference.resolved) continue;
    const runner = executingFunction(reference.scope);
    if (runner.kind !== 'function' || !isAncestorScope(reference.resolved, runner)) continue;
    const list = byFunction.get(runner);
    if (list) list.push(reference);
    else byFunction.set(runner, [reference]);
  }
  return byFunction;
}

/** A name of `scope` declared after `callAt` that calling `fn` would use, following calls to functions of `scope` declared before `callAt`. */
function firstLateReference(fn: Scope, scope: Scope, callAt: number, eager: Map<Scope, Reference[]>, visited: Set<Scope>): { reference: Reference; declaration: Declaration } | null {
  if (visited.has(fn)) return null;
  visited.add(fn);
  for (const reference of eager.get(fn) ?? []) {
    if (reference.resolved !== scope || reference.inTypeof) continue;
    const declarations = scope.declarations.get(reference.name) ?? [];
    if (declarations.some((declaration) => !JUDGED.has(declaration.kind))) continue;
    const first = earliest(declarations);
    if (first.start > callAt) return { reference, declaration: first };
    if (reference.isCallee) {
      const callee = declarations.find((declaration) => declaration.functionScope && declaration.start < callAt);
      const late = callee?.functionScope ? firstLateReference(callee.functionScope, scope, callAt, eager, visited) : null;
      if (late) return late;
    }
  }
  return null;
}

function usedBeforeDeclaration(reference: Reference, declaration: Declaration): Finding {
  const message =
    declaration.kind === 'function'
      ? `${reference.name} is used before function ${reference.name} is declared ({related}): ${HOISTING_NOTE}, so it is undefined here; move the declaration up`
      : `${reference.name} is used before its var declaration ({related}) has run: ${HOISTING_NOTE}; declare it first (a var in a block at module top level is declared by the bundler after that block: use let or const before the block)`;
  return at(reference.node, RULES.hoisting, message, declaration.node ?? undefined);
}

function callRunsLateReference(reference: Reference, late: { reference: Reference; declaration: Declaration }): Finding {
  return at(
    reference.node,
    RULES.hoisting,
    `calling ${reference.name}() here runs code that uses ${late.reference.name}, declared further down ({related}): ${HOISTING_NOTE}; move the declaration above this call`,
    late.declaration.node ?? undefined,
  );
}

const BRANCH_WORDS: Readonly<Record<Branch['kind'], string>> = {
  if: 'an if branch',
  'switch case': 'a switch case',
  loop: 'a loop',
  catch: 'a catch block',
};

function usedOutsideBranch(reference: Reference, declaration: Declaration): Finding {
  const where = declaration.branch ? BRANCH_WORDS[declaration.branch.kind] : 'a branch';
  return at(
    reference.node,
    RULES.varInBranch,
    `${reference.name} is declared only inside ${where} ({related}) and used outside it: Espruino creates a var only when its statement runs, so this is a ReferenceError when that code did not run; declare it before`,
    declaration.node ?? undefined,
  );
}
