import * as acorn from 'acorn';
import MagicString from 'magic-string';
import { aliasThisAndPrototypes } from './alias-this';
import { walk, type Node } from './ast-walk';
import { REQUIRE_ALIAS } from './bundle';
import { RULES } from './espruino-2v29';
import { at, type Finding } from './finding';
import { keepFactoriesOutOfCallers } from './keep-factories';
import { unwrapClasses } from './unwrap-classes';
import { helperCode, isSuppliedHelper, isUnsupportedHelper, UNSUPPORTED_HELPERS } from './helpers';
import { LOWERED_NAME } from './lower';
import { analyzeScopes } from './scope';
import type { RawSourceMap } from './source-maps';

export const FIXED_NAME = 'fixed.js';

export interface PostProcessed {
  code: string;
  map: RawSourceMap;
  /** Positions are in the lowered code (the input of this step). */
  findings: Finding[];
}

/**
 * Steps 3 and 4: make TypeScript's ES5 emit independent of hoisting, give
 * `require` back its name, and insert the helpers the code references.
 * `coveredRules` are source-level rules that already reported a feature, so its helper is not reported twice.
 */
export function postProcess(lowered: string, coveredRules: ReadonlySet<string>): PostProcessed {
  const magic = new MagicString(lowered);
  const findings: Finding[] = [];
  let program: acorn.Program | null = null;
  try {
    program = acorn.parse(lowered, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
  } catch {
    // Left as is: the output check reports the syntax error with its location.
  }
  if (program) {
    const analysis = analyzeScopes(program);
    const { references } = analysis;
    const helpers = new Set<string>();
    const reportedHelpers = new Set<string>();
    for (const reference of references) {
      if (reference.resolved !== null) continue;
      if (reference.name === REQUIRE_ALIAS) magic.overwrite(reference.node.start, reference.node.end, 'require');
      else if (isSuppliedHelper(reference.name)) helpers.add(reference.name);
      else if (isUnsupportedHelper(reference.name) && !alreadyReported(reference.name, coveredRules, reportedHelpers)) {
        const { feature } = UNSUPPORTED_HELPERS[reference.name]!;
        findings.push(at(reference.node, RULES.unsupportedHelper, `this needs TypeScript's ${reference.name} helper (${feature}), which Espruino 2v29 cannot run and this build does not supply`));
      }
    }
    moveExtendsAfterConstructors(program, magic);
    aliasThisAndPrototypes(program, magic);
    keepFactoriesOutOfCallers(program, magic, analysis);
    unwrapClasses(program, magic);
    const body = bundleBody(program);
    if (body) declareBareVarsFirst(body, magic);
    // A local named undefined lets the minifier write its one-letter name for each `void 0` (minify.ts, unsafe_undefined).
    insertHelpers(body, magic, body ? `var undefined;\n${helperCode(helpers)}` : helperCode(helpers));
  }
  const map = magic.generateMap({ source: LOWERED_NAME, file: FIXED_NAME, hires: true, includeContent: false });
  return { code: magic.toString(), map: JSON.parse(map.toString()) as RawSourceMap, findings };
}

/** One finding per helper name; none when a source rule covers the feature. */
function alreadyReported(name: string, coveredRules: ReadonlySet<string>, seen: Set<string>): boolean {
  const covered = UNSUPPORTED_HELPERS[name]!.coveredBy;
  if (covered !== undefined && coveredRules.has(covered)) return true;
  if (seen.has(name)) return true;
  seen.add(name);
  return false;
}

/**
 * TypeScript emits `__extends(C, _super);` before `function C() {}` inside the
 * class's IIFE, relying on hoisting; on Espruino C is undefined there.
 */
function moveExtendsAfterConstructors(program: acorn.Program, magic: MagicString): void {
  walk(program, (node) => {
    if (node.type !== 'BlockStatement' && node.type !== 'Program') return;
    const body = node.body as Node[];
    body.forEach((statement, index) => {
      const className = extendsCallTarget(statement);
      if (className === null) return;
      const constructor = body.slice(index + 1).find((later) => later.type === 'FunctionDeclaration' && later.id?.name === className);
      if (constructor) magic.move(statement.start, statement.end, constructor.end);
    });
  });
}

function extendsCallTarget(statement: Node): string | null {
  if (statement.type !== 'ExpressionStatement') return null;
  const call = statement.expression;
  if (call.type !== 'CallExpression' || call.callee.type !== 'Identifier' || call.callee.name !== '__extends') return null;
  const first = call.arguments[0];
  return first && first.type === 'Identifier' ? first.name : null;
}

/**
 * esbuild declares a module's top-level `var` that sits in a block with a bare
 * `var x;` after that block (`for (k in o) …; var k;`), relying on hoisting.
 * Declaring without a value changes nothing in JavaScript, so such statements
 * move to the top of the bundle, where Espruino creates them before any use.
 */
function declareBareVarsFirst(body: acorn.Statement[], magic: MagicString): void {
  const first = firstCodeStatement(body);
  if (!first) return;
  for (const statement of body) {
    if (statement === first || statement.type !== 'VariableDeclaration' || statement.kind !== 'var') continue;
    if (statement.declarations.every((declarator) => declarator.init === null && declarator.id.type === 'Identifier')) {
      magic.move(statement.start, statement.end, first.start);
    }
  }
}

/** Inside the bundle's IIFE (so the minifier may rename them), after its directives. */
function insertHelpers(body: acorn.Statement[] | null, magic: MagicString, code: string): void {
  if (code === '') return;
  const first = body ? firstCodeStatement(body) : undefined;
  if (first) magic.appendLeft(first.start, code);
  else magic.prepend(code);
}

/** The statements of the IIFE esbuild wraps the bundle in. */
function bundleBody(program: acorn.Program): acorn.Statement[] | null {
  for (const statement of program.body) {
    if (statement.type !== 'ExpressionStatement') continue;
    const call = statement.expression;
    if (call.type === 'CallExpression' && call.callee.type === 'FunctionExpression') return call.callee.body.body;
  }
  return null;
}

function firstCodeStatement(body: acorn.Statement[]): acorn.Statement | undefined {
  return body.find((statement) => !(statement.type === 'ExpressionStatement' && statement.directive !== undefined));
}
