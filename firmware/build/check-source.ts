import ts from 'typescript';
import type { SourceFile } from './bundle';
import { ERROR_BUILTINS, EXTENDS_ERROR_MESSAGE, RULES } from './espruino-2v29';
import type { Problem } from './problem';

// Rules whose evidence the lowered output hides (a class extending Error is
// just an IIFE after lowering; async functions become helper calls): read
// off each bundled source's own syntax tree, no type information needed.

export function checkSources(sources: readonly SourceFile[]): Problem[] {
  const problems: Problem[] = [];
  for (const source of sources) {
    if (!/\.[cm]?[jt]sx?$/.test(source.file)) continue;
    problems.push(...checkSource(source));
  }
  return problems;
}

function checkSource(source: SourceFile): Problem[] {
  const sourceFile = ts.createSourceFile(source.file, source.text, ts.ScriptTarget.Latest, true, scriptKind(source.file));
  const problems: Problem[] = [];
  const report = (node: ts.Node, rule: string, message: string): void => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    problems.push({ file: source.file, line: line + 1, column: character + 1, rule, message });
  };
  const declared = declaredNames(sourceFile);

  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      const base = extendedIdentifier(node);
      if (base !== null && ERROR_BUILTINS.has(base.text) && !declared.has(base.text)) {
        const name = node.name ? node.name.text : '(anonymous)';
        report(node, RULES.extendsError, EXTENDS_ERROR_MESSAGE.replace('%s', name).replace('%s', base.text));
      }
    }
    if (ts.isFunctionLike(node)) {
      const asyncModifier = ts.canHaveModifiers(node) ? ts.getModifiers(node)?.find((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) : undefined;
      const asterisk = (node as { asteriskToken?: ts.AsteriskToken }).asteriskToken;
      if (asyncModifier) {
        report(asyncModifier, RULES.asyncFunction, 'async functions are a SyntaxError on Espruino 2v29 and their ES5 lowering needs __awaiter/__generator: chain Promises with then()');
      } else if (asterisk) {
        report(asterisk, RULES.generator, 'generators are a SyntaxError on Espruino 2v29 and their ES5 lowering (__generator) relies on hoisting: use a callback or an explicit state object');
      }
    }
    if (ts.isForOfStatement(node) && node.awaitModifier) {
      report(node.awaitModifier, RULES.asyncFunction, 'for await is not supported on Espruino 2v29');
    }
    if (ts.isAwaitExpression(node) && !insideAsyncFunction(node)) {
      report(node, RULES.asyncFunction, 'top-level await is not supported on Espruino 2v29');
    }
    if (ts.isPrivateIdentifier(node) && node.parent && ts.isClassElement(node.parent) && node.parent.name === node) {
      report(node, RULES.privateName, `${node.text} needs WeakMap once lowered, which Espruino 2v29 lacks: use a TypeScript private member`);
    }
    if (ts.isDecorator(node)) {
      report(node, RULES.decorator, 'decorators lower to helpers that need Symbol/Reflect or this build does not supply: call the function explicitly');
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return problems;
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(file)) return ts.ScriptKind.TS;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

function extendedIdentifier(node: ts.ClassLikeDeclaration): ts.Identifier | null {
  const clause = node.heritageClauses?.find((heritage) => heritage.token === ts.SyntaxKind.ExtendsKeyword);
  const expression = clause?.types[0]?.expression;
  return expression && ts.isIdentifier(expression) ? expression : null;
}

/** Names the file declares itself (so a local `Error` class is not the built-in). */
function declaredNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    const name = (node as { name?: ts.Node }).name;
    const declares =
      ts.isVariableDeclaration(node) ||
      ts.isFunctionDeclaration(node) ||
      ts.isClassDeclaration(node) ||
      ts.isParameter(node) ||
      ts.isImportSpecifier(node) ||
      ts.isImportClause(node) ||
      ts.isNamespaceImport(node);
    if (declares && name && ts.isIdentifier(name)) names.add(name.text);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return names;
}

function insideAsyncFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isFunctionLike(current)) {
      return ts.canHaveModifiers(current) && (ts.getModifiers(current) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword);
    }
  }
  return false;
}
