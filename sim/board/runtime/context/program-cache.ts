/**
 * Programs compiled for the board, kept: a boot file (the firmware bundle at
 * every boot), a string callback of a `setInterval`, a console line typed again
 * are split, checked, guarded and compiled once, then run from the cache.
 *
 * Compiling a program means: split it into its top-level statements (Espruino
 * runs them one after another, program-runner.ts), check each against the
 * syntax Espruino refuses (syntax-gate.ts) up to the first it refuses, put the
 * busy-loop guard in (loop-guard.ts) and compile it with `vm.Script`, which
 * any board context can run. The cache holds the last PROGRAM_CACHE_ENTRIES
 * programs (least recently used goes first).
 */
import vm from 'node:vm';
import { Parser, tokTypes, type Node } from 'acorn';
import { checkEspruinoSyntax, type SyntaxGateResult } from '../../repl/syntax-gate';
import { guardSource, type GuardedSource } from './loop-guard';

export const PROGRAM_CACHE_ENTRIES = 256;

export interface StatementSpan {
  start: number;
  end: number;
  line: number;
  column: number;
}

interface ParsedStatement extends StatementSpan {
  node: Node;
}

/** A statement as compiled: its place in the source, the gate's verdict, the guard put in. */
export interface CompiledStatement {
  span: StatementSpan;
  text: string;
  gate: SyntaxGateResult;
  guarded: GuardedSource | undefined;
  /** Absent when the gate refused the statement. */
  script: vm.Script | undefined;
  /** What V8 threw compiling it (thrown when the statement's turn comes). */
  compileError?: unknown;
}

export interface CompiledProgram {
  /** Up to and including the first statement the gate refuses. */
  statements: CompiledStatement[];
  /** End of the last complete statement when parsing failed (the rest is not runnable). */
  errorAt?: number;
  /** Where the parser gave up. */
  failedAt?: number;
  /** V8's message for the part that does not parse. */
  errorMessage?: string;
}

const cache = new Map<string, CompiledProgram>();

/** `source` compiled as `filename`, from the cache when it was compiled before. */
export function compileProgram(source: string, filename: string): CompiledProgram {
  const key = filename + '\n' + source;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const program = compile(source, filename);
  cache.set(key, program);
  if (cache.size > PROGRAM_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return program;
}

function compile(source: string, filename: string): CompiledProgram {
  const split = splitStatements(source);
  const statements: CompiledStatement[] = [];
  for (const parsed of split.statements) {
    const { node: _node, ...span } = parsed;
    const text = source.slice(span.start, span.end);
    const gate = checkEspruinoSyntax(text);
    if (!gate.ok) {
      statements.push({ span, text, gate, guarded: undefined, script: undefined });
      return { statements };
    }
    const guarded = guardSource(text, parsed.node, span.start);
    let script: vm.Script | undefined;
    let compileError: unknown;
    try {
      script = new vm.Script(guarded?.code ?? text, { filename, lineOffset: span.line - 1, columnOffset: span.column });
    } catch (error) {
      compileError = error;
    }
    statements.push({ span, text, gate, guarded, script, compileError });
    if (compileError !== undefined) return { statements };
  }
  if (split.errorAt === undefined) return { statements };
  return { statements, errorAt: split.errorAt, failedAt: split.failedAt, errorMessage: syntaxMessage(source.slice(split.errorAt)) };
}

interface Split {
  statements: ParsedStatement[];
  errorAt?: number;
  failedAt?: number;
}

/** acorn's Parser as parseTopLevel drives it (documented in acorn's README as "parser.parse"; we step it). */
interface SteppingParser {
  type: unknown;
  nextToken(): void;
  parseStatement(context: null, topLevel: boolean, exports: object): Node & { loc: { start: { line: number; column: number } } };
}

/** Top-level statements of `source`, and where parsing failed if it did. */
export function splitStatements(source: string): Split {
  const ParserClass = Parser as unknown as new (options: object, input: string) => SteppingParser;
  const parser = new ParserClass({ ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true }, source);
  const statements: ParsedStatement[] = [];
  let nextStart = 0;
  try {
    parser.nextToken();
    while (parser.type !== tokTypes.eof) {
      const node = parser.parseStatement(null, true, Object.create(null) as object);
      statements.push({ start: node.start, end: node.end, line: node.loc.start.line, column: node.loc.start.column, node });
      nextStart = node.end;
    }
    return { statements };
  } catch (error) {
    const pos = (error as { pos?: unknown }).pos;
    return { statements, errorAt: nextStart, failedAt: typeof pos === 'number' ? pos : undefined };
  }
}

/** V8's message for the part that does not parse (what the board reports as its SyntaxError). */
function syntaxMessage(rest: string): string {
  try {
    new vm.Script(rest);
  } catch (error) {
    if (error instanceof Error) return error.message;
  }
  return 'Unexpected end of input';
}
