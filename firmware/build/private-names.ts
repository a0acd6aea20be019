import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import type { SourceFile } from './bundle';

// The names of `private` class members the minifier may shorten (terser's
// property mangling, minify.ts). terser renames a property name everywhere it
// appears, on every object, so a name is only shortened when nothing outside
// the classes that declare it private could mean it:
// - no other bundled file uses it as a property (access, object key, type
//   member, destructuring) or as a string;
// - the declaring files do not spell it as a string (`this['name']`, a name
//   looked up from a table);
// - Espruino's API, as typed in firmware/board/*.d.ts, has no member of that
//   name (a driver field named like an I2C or Pin method would rename calls
//   on the real object).
// Everything the console, the RPC, Storage or Espruino sees is therefore kept:
// those are object keys and API members, never a private field alone.

/** Names of private members that only their declaring classes use; sorted. */
export function mangleablePrivateNames(sources: readonly SourceFile[], root: string): string[] {
  const declaredIn = new Map<string, Set<string>>();
  const usedIn = new Map<string, Set<string>>();
  const inStrings = new Set<string>();
  for (const source of sources) {
    if (!/\.[cm]?tsx?$/.test(source.file) || source.file.endsWith('.d.ts')) continue;
    const sourceFile = ts.createSourceFile(source.file, source.text, ts.ScriptTarget.Latest, true);
    scan(sourceFile, source.file, declaredIn, usedIn, inStrings);
  }
  const api = espruinoMemberNames(root);
  const names: string[] = [];
  for (const [name, files] of declaredIn) {
    if (inStrings.has(name) || api.has(name)) continue;
    const users = usedIn.get(name);
    if (users && [...users].some((file) => !files.has(file))) continue;
    names.push(name);
  }
  return names.sort();
}

function scan(sourceFile: ts.SourceFile, file: string, declaredIn: Map<string, Set<string>>, usedIn: Map<string, Set<string>>, inStrings: Set<string>): void {
  const add = (map: Map<string, Set<string>>, name: string): void => {
    const files = map.get(name) ?? new Set<string>();
    files.add(file);
    map.set(name, files);
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isParameter(node)) && isPrivate(node) && ts.isIdentifier(node.name)) {
      add(declaredIn, node.name.text);
    } else if (ts.isStringLiteralLike(node)) {
      inStrings.add(node.text);
    } else if (ts.isPropertyAccessExpression(node)) {
      add(usedIn, node.name.text);
    } else if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))
    ) {
      add(usedIn, node.name.text);
    } else if (ts.isBindingElement(node)) {
      const key = node.propertyName ?? node.name;
      if (ts.isIdentifier(key)) add(usedIn, key.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
}

function isPrivate(node: ts.HasModifiers): boolean {
  return ts.getModifiers(node)?.some((modifier) => modifier.kind === ts.SyntaxKind.PrivateKeyword) ?? false;
}

/** Every identifier in firmware/board/*.d.ts: Espruino's globals, their members and option keys. */
function espruinoMemberNames(root: string): Set<string> {
  const names = new Set<string>();
  for (const file of ['espruino.d.ts', 'builtins.d.ts']) {
    let text: string;
    try {
      text = readFileSync(path.join(root, 'firmware', 'board', file), 'utf8');
    } catch {
      continue;
    }
    for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g)) names.add(match[0]);
  }
  return names;
}
