import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import * as acorn from 'acorn';
import MagicString from 'magic-string';
import ts from 'typescript';
import { walk, type Node } from './ast-walk';
import type { SourceFile } from './bundle';
import { NAME_SEPARATOR } from '../statecharts/table';
import type { RawSourceMap } from './source-maps';

// Size (and RAM): the action, guard and delay names of the statechart tables
// (`a`, `g`, `d` in firmware/statecharts/tables/*.table.ts, each one string
// of names joined by a space, as `e`) are the longest
// names in the bundle, each spelled as a string in its table and as a key of
// the object that implements it (`{registerTask: …}`); the table runtime
// only ever looks one up by the other (firmware/statecharts/runtime.ts
// `resolve`). Event types (`e`) are spelled in the table and where events
// are made and told apart (`{type: 'X'}`, `e.type === 'X'`: isEventType);
// the runtime finds an event in its table by its type. Renamed together, before terser, to names nothing else in the
// bundle spells, they mean the same; the table's strings are shorter in RAM
// too (the one a step asks for is made in RAM while it is used).
// A name keeps its spelling when anything else could see it:
// - a firmware file other than a table spells it in a string or a template
//   (a log line, a lookup such as `d.indexOf('runTimeoutMs')`), or a string
//   holds it as a part (a JSON text);
// - a file outside firmware/ (the simulator, the host bridge, the HIL, the
//   CLI, the tests' drivers) uses the word: it may read it from the board;
// - Espruino's API or the RPC types (firmware/board/*.d.ts,
//   firmware/console/rpc-types.ts) have a member so named.

export const RENAMED_FILE = 'renamed.js';

const TABLE_FILE = /^firmware\/statecharts\/tables\/[^/]+\.table\.ts$/;
const NAME_LISTS = new Set(['a', 'g', 'd']);
const EVENT_LIST = 'e';
/** Lists a table spells as one string of names joined by NAME_SEPARATOR (older tables, and tests' fixtures, spell arrays). */
const JOINED_LISTS = new Set(['e', 'a', 'g', 'd']);

/** Table names that may be renamed, sorted; `hostWords` are the words of every file outside firmware/, `apiWords` those of Espruino's API and the RPC types. */
export function renameableTableNames(sources: readonly SourceFile[], hostWords: ReadonlySet<string>, apiWords: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  const events = new Set<string>();
  const strings: string[] = [];
  const eventStrings: string[] = [];
  for (const source of sources) {
    if (!/\.ts$/.test(source.file) || source.file.endsWith('.d.ts')) continue;
    const sourceFile = ts.createSourceFile(source.file, source.text, ts.ScriptTarget.Latest, true);
    const isTable = TABLE_FILE.test(source.file);
    const visit = (node: ts.Node): void => {
      if (isTable && ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
        const list = NAME_LISTS.has(node.name.text) ? names : node.name.text === EVENT_LIST ? events : null;
        if (list && ts.isArrayLiteralExpression(node.initializer)) {
          for (const element of node.initializer.elements) if (ts.isStringLiteral(element)) list.add(element.text);
          return;
        }
        // The lists the table keeps as one string (../statecharts/table.ts): its names joined by a space.
        if (list && JOINED_LISTS.has(node.name.text) && ts.isStringLiteral(node.initializer)) {
          for (const name of node.initializer.text.split(NAME_SEPARATOR)) if (name) list.add(name);
          return;
        }
      }
      // A table that answers a field (`field === 'a' ? '…' : …`): the answer is that list, joined.
      const field = isTable && ts.isConditionalExpression(node) && ts.isStringLiteral(node.whenTrue) ? askedField(node.condition) : undefined;
      if (field !== undefined && JOINED_LISTS.has(field)) {
        const list = NAME_LISTS.has(field) ? names : events;
        for (const name of (node as ts.ConditionalExpression & { whenTrue: ts.StringLiteral }).whenTrue.text.split(NAME_SEPARATOR)) if (name) list.add(name);
        visit((node as ts.ConditionalExpression).whenFalse);
        return;
      }
      // Types are erased: a string literal type (`type Action = 'enqueue' | …`) never reaches the board.
      if (ts.isTypeNode(node) || ts.isTypeAliasDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
      if (ts.isStringLiteral(node) && isEventType(node)) eventStrings.push(node.text);
      else if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) strings.push(node.text);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  const seen = (name: string): boolean => hostWords.has(name) || apiWords.has(name) || strings.some((text) => text.includes(name));
  // An event type may also be spelled where events are made and told apart, never as part of another string.
  const eventSeen = (name: string): boolean => seen(name) || eventStrings.some((text) => text !== name && text.includes(name));
  return [...[...names].filter((name) => !seen(name)), ...[...events].filter((name) => !names.has(name) && !eventSeen(name))].sort();
}

/** `field === 'a'`: the field a table's conditional answers (../statecharts/table.ts MachineTable). */
function askedField(condition: ts.Expression): string | undefined {
  return ts.isBinaryExpression(condition) && condition.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken && ts.isIdentifier(condition.left) && ts.isStringLiteral(condition.right)
    ? condition.right.text
    : undefined;
}

/**
 * A string where a statechart event's type is written: `{ type: 'X' }`,
 * `e.type === 'X'` (or `!==`, `==`, `!=`, either side), `case 'X':` of a
 * `switch (e.type)`. The table runtime reads `type` only to find the event
 * in its table (runtime.ts `send`), so a renamed type means the same there.
 */
function isEventType(node: ts.StringLiteral): boolean {
  const parent = node.parent;
  const isTypeAccess = (expression: ts.Expression): boolean => ts.isPropertyAccessExpression(expression) && expression.name.text === 'type';
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) return ts.isIdentifier(parent.name) && parent.name.text === 'type';
  if (ts.isBinaryExpression(parent)) {
    const equality = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken];
    return equality.includes(parent.operatorToken.kind) && isTypeAccess(parent.left === node ? parent.right : parent.left);
  }
  if (ts.isCaseClause(parent) && parent.expression === node) return isTypeAccess(parent.parent.parent.expression);
  return false;
}

/** Short names for `names`, in order: one or two letters that no property name of the ES5 `code` is, no word of its strings, none of `avoid`. */
export function shortNamesFor(names: readonly string[], code: string, avoid: ReadonlySet<string>): Map<string, string> {
  const taken = new Set(avoid);
  const program = parseEs5(code);
  // Not ES5: the output check reports why, and nothing is renamed.
  if (!program) return new Map();
  walk(program, (node, parent, key) => {
    if (node.type === 'Literal' && typeof node.value === 'string') for (const match of node.value.matchAll(/[A-Za-z_$][\w$]*/g)) taken.add(match[0]);
    if (node.type === 'Identifier' && isPropertyName(parent, key)) taken.add(node.name);
  });
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const candidates = function* (): Generator<string> {
    for (const first of letters) yield first;
    for (const first of letters) for (const second of letters) yield first + second;
  };
  const renames = new Map<string, string>();
  const supply = candidates();
  for (const name of names) {
    let next = supply.next();
    while (!next.done && taken.has(next.value)) next = supply.next();
    if (next.done) break;
    taken.add(next.value);
    // Only where it pays: the short name is shorter.
    if (next.value.length < name.length) renames.set(name, next.value);
  }
  return renames;
}

/** Folders (and files) outside firmware/ whose words a renamed name must not be: whatever reads the board. */
const HOST_PLACES = ['sim', 'host-bridge', 'hil', 'cli', 'protocols', 'testing', 'bench', 'fuzz', 'bin', 'docs', 'README.md'];
const TEXT_FILE = /\.(?:[cm]?[jt]s|json|md)$/;

/** Every word (identifier-like run) of the text files in `places` under `root`. */
export function wordsOf(root: string, places: readonly string[] = HOST_PLACES): Set<string> {
  const words = new Set<string>();
  const read = (file: string): void => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    for (const match of text.matchAll(/[A-Za-z_$][\w$]*/g)) words.add(match[0]);
  };
  const visit = (place: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(place, { withFileTypes: true });
    } catch {
      if (TEXT_FILE.test(place)) read(place);
      return;
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(place, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (TEXT_FILE.test(entry.name)) read(full);
    }
  };
  for (const place of places) visit(path.join(root, place));
  return words;
}

/** Espruino's API as typed for the firmware, and the RPC's wire types. */
export const API_FILES = ['firmware/board/espruino.d.ts', 'firmware/board/builtins.d.ts', 'firmware/console/rpc-types.ts'];

export interface Renamed {
  code: string;
  map: RawSourceMap;
}

/**
 * Renames, in ES5 code, every string literal equal to a renamed name, every
 * property so named (keys, `o.name`), and the renamed names among the words of
 * a table's joined lists (the string value of a property `e`, `a`, `g` or `d`).
 */
export function renameNames(code: string, renames: ReadonlyMap<string, string>, sourceName: string): Renamed {
  const magic = new MagicString(code);
  const program = renames.size > 0 ? parseEs5(code) : null;
  if (program) {
    walk(program, (node, parent, key) => {
      if (node.type === 'Literal' && typeof node.value === 'string') {
        const short = renames.get(node.value);
        if (short !== undefined) magic.overwrite(node.start, node.end, JSON.stringify(short));
        else if (isJoinedList(parent, key)) {
          const words = node.value.split(NAME_SEPARATOR);
          const renamed = words.map((word) => renames.get(word) ?? word);
          if (renamed.some((word, index) => word !== words[index])) magic.overwrite(node.start, node.end, JSON.stringify(renamed.join(NAME_SEPARATOR)));
        }
      } else if (node.type === 'Identifier' && isPropertyName(parent, key)) {
        const short = renames.get(node.name);
        if (short !== undefined) magic.overwrite(node.start, node.end, short);
      }
    });
  }
  const map = magic.generateMap({ source: sourceName, file: RENAMED_FILE, hires: true, includeContent: false });
  return { code: magic.toString(), map: JSON.parse(map.toString()) as RawSourceMap };
}

/**
 * The value of `{e: …}`, `{a: …}`, `{g: …}` or `{d: …}`, or the answer of
 * `field === 'e' ? … :` (a table as a function): where a table keeps a list as one string.
 */
function isJoinedList(parent: Node | null, key: string | null): boolean {
  if (!parent) return false;
  if (parent.type === 'Property') return key === 'value' && !parent.computed && parent.key.type === 'Identifier' && JOINED_LISTS.has(parent.key.name);
  if (parent.type !== 'ConditionalExpression' || key !== 'consequent') return false;
  const test = parent.test;
  return test.type === 'BinaryExpression' && test.operator === '===' && test.left.type === 'Identifier' && test.right.type === 'Literal' && JOINED_LISTS.has(String(test.right.value));
}

/** `o.name` or `{name: …}`: an identifier that names a property, not a variable. */
function isPropertyName(parent: Node | null, key: string | null): boolean {
  if (!parent) return false;
  return (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) || (parent.type === 'Property' && key === 'key' && !parent.computed);
}

function parseEs5(code: string): acorn.Program | null {
  try {
    return acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  } catch {
    return null;
  }
}
