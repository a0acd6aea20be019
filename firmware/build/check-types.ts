import * as path from 'node:path';
import ts from 'typescript';
import { ARRAYBUFFER_SLICE_MESSAGE, RULES } from './espruino-2v29';
import type { Problem } from './problem';
import { toRootRelative } from './source-maps';

export interface TypeCheckOptions {
  root: string;
  tsconfigPath: string;
  /** Files to check in place of (or besides) the ones on disk: absolute path → text. */
  overrides?: ReadonlyMap<string, string>;
  /** Root-relative paths of the files in the bundle: the type-aware rules look only there. */
  bundled?: ReadonlySet<string>;
}

/**
 * Type errors under the firmware's own tsconfig (Espruino-only libs), plus the
 * rules that need types: `.slice` on an ArrayBuffer, `for…of` over something
 * that is not indexable (TypeScript lowers it to an index loop).
 */
export function checkTypes(options: TypeCheckOptions): Problem[] {
  const { root, tsconfigPath } = options;
  const overrides = options.overrides ?? new Map<string, string>();
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${tsconfigPath}`);

  const rootNames = [...new Set([...parsed.fileNames.map((file) => path.resolve(file)), ...overrides.keys()])];
  const host = ts.createCompilerHost(parsed.options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = overrides.get(path.resolve(fileName));
    return text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile(fileName, languageVersion, onError, shouldCreate);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => overrides.has(path.resolve(fileName)) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => overrides.get(path.resolve(fileName)) ?? readFile(fileName);

  const program = ts.createProgram({ rootNames, options: parsed.options, host });
  const problems: Problem[] = [];
  for (const diagnostic of [...parsed.errors, ...ts.getPreEmitDiagnostics(program)]) {
    if (diagnostic.category !== ts.DiagnosticCategory.Error) continue;
    problems.push(diagnosticProblem(diagnostic, root, tsconfigPath));
  }

  const checker = program.getTypeChecker();
  for (const sourceFile of program.getSourceFiles()) {
    if (sourceFile.isDeclarationFile) continue;
    const file = toRootRelative(root, root, sourceFile.fileName);
    if (options.bundled && !options.bundled.has(file)) continue;
    problems.push(...typeAwareRules(sourceFile, file, checker));
  }
  return problems;
}

function diagnosticProblem(diagnostic: ts.Diagnostic, root: string, tsconfigPath: string): Problem {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) {
    return { file: toRootRelative(root, root, tsconfigPath), line: 1, column: 1, rule: RULES.type, message: `TS${diagnostic.code}: ${message}` };
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return { file: toRootRelative(root, root, diagnostic.file.fileName), line: line + 1, column: character + 1, rule: RULES.type, message: `TS${diagnostic.code}: ${message}` };
}

function typeAwareRules(sourceFile: ts.SourceFile, file: string, checker: ts.TypeChecker): Problem[] {
  const problems: Problem[] = [];
  const report = (node: ts.Node, rule: string, message: string): void => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    problems.push({ file, line: line + 1, column: character + 1, rule, message });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'slice') {
      if (someMember(checker.getTypeAtLocation(node.expression.expression), (type) => type.getSymbol()?.getName() === 'ArrayBuffer')) {
        report(node.expression.name, RULES.arrayBufferSlice, ARRAYBUFFER_SLICE_MESSAGE);
      }
    }
    if (ts.isForOfStatement(node)) {
      const type = checker.getTypeAtLocation(node.expression);
      if (!everyMember(type, (member) => isIndexable(member, checker))) {
        report(node.expression, RULES.forOfNonArray, `for…of over ${checker.typeToString(type)}: the ES5 lowering walks indexes 0..length-1, so only arrays, strings and typed arrays work (no iterables on Espruino: Symbol is absent)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return problems;
}

function isIndexable(type: ts.Type, checker: ts.TypeChecker): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.StringLike | ts.TypeFlags.Never)) return true;
  if (checker.isArrayLikeType(type)) return true;
  return /^(Int|Uint|Float)(8|16|32|64)(Clamped)?Array$/.test(type.getSymbol()?.getName() ?? '');
}

function someMember(type: ts.Type, test: (type: ts.Type) => boolean): boolean {
  return type.isUnion() ? type.types.some(test) : test(type);
}

function everyMember(type: ts.Type, test: (type: ts.Type) => boolean): boolean {
  return type.isUnion() ? type.types.every(test) : test(type);
}
