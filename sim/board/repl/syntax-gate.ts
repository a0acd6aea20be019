/**
 * The syntax Espruino 2v29's parser refuses (docs/espruino-subset.md,
 * "Syntax" table), checked on complete console input and on boot code before
 * V8 — which accepts all of it — gets to run it. Code that passes in the
 * simulator and fails on the strap is the worst bug this project can ship.
 *
 * A rejection carries the position of the offending construct so the REPL can
 * print it the way Espruino prints a SyntaxError: message, `    at REPL (:L:C)`,
 * the source line and a `^` under the column.
 */
import { parse, type Node } from 'acorn';
import { holeInSkippableCode } from './array-holes';
import { simpleStatement } from './simple-line';
import { unsupportedRegexFeature } from './regex-subset';

export type SyntaxGateResult =
  | { ok: true }
  | {
      ok: false;
      /** Message for `SyntaxError: <message>`. */
      message: string;
      /** Offset into the source of the offending construct. */
      offset: number;
      /** 1-based line and column of `offset` (src/jsvar.c jsvGetLineAndCol). */
      line: number;
      col: number;
    };

const OK: SyntaxGateResult = { ok: true };

/** Verdicts kept, by source text: a console line is checked by the REPL, then as its program's statements; lines come again. */
const VERDICTS_KEPT = 256;
const verdicts = new Map<string, SyntaxGateResult>();

/**
 * Parses `source` as a script and reports the first construct Espruino 2v29
 * cannot parse or run as written. Answers are kept by source text, and the
 * tree of the last source parsed is lent to the program compiler
 * (`parseScript`), so a console line is parsed once; a simple line
 * (simple-line.ts) is not parsed at all.
 */
export function checkEspruinoSyntax(source: string): SyntaxGateResult {
  const hit = verdicts.get(source);
  if (hit) return hit;
  const result = simpleStatement(source) ? OK : check(source);
  if (verdicts.size >= VERDICTS_KEPT) verdicts.delete(verdicts.keys().next().value as string);
  verdicts.set(source, result);
  return result;
}

/**
 * The gate's verdict on one statement of a program that parsed as a whole:
 * `node` is the statement's tree, its offsets `base` more than `text`'s. The
 * same verdict checkEspruinoSyntax(text) gives, without parsing again.
 */
export function checkParsedStatement(text: string, node: Node, base: number): SyntaxGateResult {
  const found = firstRefused(node);
  return found ? rejection(text, `${found.what} is not supported by Espruino 2v29`, found.offset - base) : { ok: true };
}

/** How the gate parses: a script, parentheses kept as nodes, with line and column (the program compiler splits by them). */
export const SCRIPT_PARSE_OPTIONS = { ecmaVersion: 'latest', sourceType: 'script', preserveParens: true, locations: true, allowHashBang: true } as const;

let lastParsed: { source: string; parsed: Node | ParseFailure } | undefined;

/** Where and why acorn gave up. */
export interface ParseFailure {
  failure: true;
  message: string;
  pos: number | undefined;
}

/**
 * `source` parsed as the gate parses it. The last answer is kept: the REPL
 * checks a line, then the program compiler splits it (program-cache.ts).
 */
export function parseScript(source: string): Node | ParseFailure {
  if (lastParsed?.source === source) return lastParsed.parsed;
  let parsed: Node | ParseFailure;
  try {
    parsed = parse(source, SCRIPT_PARSE_OPTIONS);
  } catch (e) {
    const err = e as { message?: string; pos?: number };
    parsed = { failure: true, message: String(err.message ?? 'Syntax error'), pos: typeof err.pos === 'number' ? err.pos : undefined };
  }
  // a long source (a boot file) is parsed once anyway; its tree is not kept alive until the next line
  lastParsed = source.length <= KEEP_TREE_CHARS ? { source, parsed } : undefined;
  return parsed;
}

/** Sources up to this long keep their tree for the compiler (console lines). */
const KEEP_TREE_CHARS = 16_384;

function check(source: string): SyntaxGateResult {
  const program = parseScript(source);
  if ('failure' in program) return rejection(source, program.message.replace(/ \(\d+:\d+\)$/, ''), program.pos ?? 0);
  const found = firstRefused(program);
  if (!found) return { ok: true };
  return rejection(source, `${found.what} is not supported by Espruino 2v29`, found.offset);
}

/** The first construct (in source order) Espruino refuses in `root`. */
function firstRefused(root: Node): Finding | undefined {
  const found = findUnsupported(root);
  const hole = holeInSkippableCode(root);
  if (hole !== undefined && (!found || hole < found.offset)) return { what: HOLE_IN_SKIPPABLE_CODE, offset: hole };
  return found;
}

// ---------------------------------------------------------------------------

/** src/jsparse.c jspeFactorArray: see array-holes.ts. */
const HOLE_IN_SKIPPABLE_CODE = 'Array hole ([a, , b]) in code Espruino may skip (a branch, case, loop body, catch or arrow body)';

interface Finding {
  what: string;
  offset: number;
}

type AnyNode = Node & Record<string, unknown>;

function rejection(source: string, message: string, offset: number): SyntaxGateResult {
  const clamped = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let col = 1;
  for (let i = 0; i < clamped; i++) {
    col++;
    if (source.charCodeAt(i) === 10) {
      line++;
      col = 1;
    }
  }
  return { ok: false, message, offset: clamped, line, col };
}

/** Depth-first, source order: the first offending node wins. */
function findUnsupported(root: Node): Finding | undefined {
  const stack: AnyNode[] = [root as AnyNode];
  let best: Finding | undefined;
  while (stack.length) {
    const node = stack.pop()!;
    const what = describe(node);
    if (what && (!best || what.offset < best.offset)) best = what;
    const children: AnyNode[] = [];
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'range') continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const v of value) if (isNode(v)) children.push(v);
      } else if (isNode(value)) {
        children.push(value);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return best;
}

function isNode(v: unknown): v is AnyNode {
  return !!v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string';
}

function at(node: Node, what: string): Finding {
  return { what, offset: node.start };
}

/** The construct this node is, when Espruino 2v29 refuses it. */
function describe(node: AnyNode): Finding | undefined {
  switch (node.type) {
    case 'ObjectPattern':
    case 'ArrayPattern':
      return at(node, 'Destructuring');
    case 'SpreadElement':
      return at(node, 'Spread (...)');
    case 'RestElement':
      return at(node, 'Rest parameter (...)');
    case 'AssignmentPattern':
      return at(node, 'Default parameter value');
    case 'ChainExpression':
      return { what: 'Optional chaining (?.)', offset: optionalChainOffset(node) };
    case 'LabeledStatement':
      return at(node, 'Label');
    case 'AwaitExpression':
      return at(node, 'await');
    case 'YieldExpression':
      return at(node, 'yield');
    case 'TaggedTemplateExpression':
      return at(node, 'Tagged template');
    case 'PrivateIdentifier':
      return at(node, 'Private class member (#)');
    case 'ImportExpression':
      return at(node, 'import()');
    case 'BinaryExpression':
      return node.operator === '**' ? at(node, 'Exponent operator (**)') : undefined;
    case 'AssignmentExpression':
      return node.operator === '**=' ? at(node, 'Exponent operator (**=)') : undefined;
    case 'ForOfStatement':
      return node.await ? at(node, 'for await') : undefined;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      if (node.async) return at(node, 'async function');
      if (node.generator) return at(node, 'Generator function (function*)');
      return undefined;
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return node.computed ? at(node.key as Node, 'Computed key ([...])') : undefined;
    case 'ClassDeclaration':
    case 'ClassExpression': {
      const sup = node.superClass as AnyNode | null;
      return sup && sup.type !== 'Identifier' ? at(sup, "'extends' with an expression (only an identifier may follow extends)") : undefined;
    }
    case 'Literal': {
      if (typeof node.bigint === 'string') return at(node, 'BigInt literal');
      const regex = node.regex as { pattern: string; flags: string } | undefined;
      if (!regex) return undefined;
      const bad = unsupportedRegexFeature(regex.pattern, regex.flags);
      return bad ? { what: bad.reason[0]!.toUpperCase() + bad.reason.slice(1), offset: node.start + 1 + bad.offset } : undefined;
    }
    default:
      return undefined;
  }
}

/** Position of the first `?.` inside an optional chain. */
function optionalChainOffset(chain: AnyNode): number {
  let best = chain.start;
  let found = false;
  const visit = (n: AnyNode): void => {
    if ((n.type === 'MemberExpression' || n.type === 'CallExpression') && n.optional) {
      const inner = (n.type === 'MemberExpression' ? n.object : n.callee) as AnyNode;
      if (!found || inner.end < best) best = inner.end;
      found = true;
    }
    const inner = (n.type === 'MemberExpression' ? n.object : n.type === 'CallExpression' ? n.callee : n.expression) as AnyNode | undefined;
    if (inner && isNode(inner)) visit(inner);
  };
  visit(chain);
  return best;
}
