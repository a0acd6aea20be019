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
import { checkEspruinoSyntax, checkParsedStatement, parseScript, SCRIPT_PARSE_OPTIONS, type SyntaxGateResult } from '../../repl/syntax-gate';
import { simpleStatement } from '../../repl/simple-line';
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

/** A program as checked and guarded, before V8 compiles it: the same for every file name. */
interface AnalysedProgram {
  statements: Array<Omit<CompiledStatement, 'script' | 'compileError'>>;
  errorAt?: number;
  failedAt?: number;
  errorMessage?: string;
}

const compiled = new Map<string, CompiledProgram>();
/** Console lines come again under new file names (`console#n`): what precedes V8's compile is kept by source. */
const analysed = new Map<string, AnalysedProgram>();

/**
 * `source` compiled as `filename`, from the cache when it was compiled
 * before. With `keep` false the compiled program is not kept (a console
 * line's file name is never used again; its scripts would only outlive it).
 */
export function compileProgram(source: string, filename: string, keep = true): CompiledProgram {
  const key = filename + '\n' + source;
  const hit = compiled.get(key);
  if (hit) {
    compiled.delete(key);
    compiled.set(key, hit);
    return hit;
  }
  const program = compile(analysis(source), filename);
  if (keep) remember(compiled, key, program);
  return program;
}

/**
 * A console line compiled once per shape. A host types the same few lines
 * again and again with a different string at their end (`strap.rpc("…")`)
 * or none (`strap.status()`): a simple line (simple-line.ts) is compiled with
 * its trailing string read from `__boardLiteral__()` (boundary-prelude.ts;
 * every position before it unchanged, and V8 puts every position of such a
 * line before it), under one of CONSOLE_SLOTS file names per shape taken in
 * turn, so the stack of an error made by a line maps back to that line's own
 * text (program-runner.ts keeps it by file name) until the shape has run
 * CONSOLE_SLOTS times more, as a line's own file name is kept until
 * PROGRAMS_KEPT other programs have run. V8's compile was a tenth of a
 * busy day.
 */
export interface ConsoleLineProgram {
  program: CompiledProgram;
  /** The file name the program's scripts were compiled under. */
  filename: string;
  /** The string `__boardLiteral__()` returns to it, when the line has one. */
  literal?: string;
}

export const CONSOLE_SLOTS = 256;
const SHAPES_KEPT = 8;
const LITERAL_CALL = '__boardLiteral__()';

interface ConsoleShape {
  id: number;
  runs: number;
  /** By slot: the file name and the program compiled under it. */
  slots: Array<{ filename: string; program: CompiledProgram } | undefined>;
}

const shapes = new Map<string, ConsoleShape>();
let shapeIds = 0;

/** `source`, a console line, compiled as `filename` or as a shape's (see ConsoleLineProgram). */
export function compileConsoleLine(source: string, filename: string): ConsoleLineProgram {
  const simple = simpleStatement(source);
  if (!simple) return { program: compileProgram(source, filename, false), filename };
  const { start, end, trailing } = simple;
  const text = trailing ? source.slice(start, trailing.start) + LITERAL_CALL + source.slice(trailing.end, end) : source.slice(start, end);
  const key = start + ':' + text;
  let shape = shapes.get(key);
  if (shape) shapes.delete(key);
  else shape = { id: ++shapeIds, runs: 0, slots: [] };
  shapes.set(key, shape);
  if (shapes.size > SHAPES_KEPT) shapes.delete(shapes.keys().next().value as string);
  const slot = shape.runs++ % CONSOLE_SLOTS;
  let compiled = shape.slots[slot];
  if (!compiled) {
    const slotName = `${filename.slice(0, filename.indexOf('#') + 1)}s${shape.id}.${slot}`;
    const span = { start, end: start + text.length, line: 1, column: start };
    compiled = shape.slots[slot] = { filename: slotName, program: compile({ statements: [{ span, text, gate: { ok: true }, guarded: undefined }] }, slotName) };
  }
  return trailing ? { program: compiled.program, filename: compiled.filename, literal: trailing.value } : compiled;
}

function analysis(source: string): AnalysedProgram {
  const hit = analysed.get(source);
  if (hit) {
    analysed.delete(source);
    analysed.set(source, hit);
    return hit;
  }
  const program = analyse(source);
  remember(analysed, source, program);
  return program;
}

function remember<T>(cache: Map<string, T>, key: string, value: T): void {
  cache.set(key, value);
  if (cache.size > PROGRAM_CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
}

function compile(analysed: AnalysedProgram, filename: string): CompiledProgram {
  const statements: CompiledStatement[] = [];
  for (const statement of analysed.statements) {
    const { span, text, gate, guarded } = statement;
    if (!gate.ok) {
      statements.push({ ...statement, script: undefined });
      return { statements };
    }
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
  const { errorAt, failedAt, errorMessage } = analysed;
  return errorAt === undefined ? { statements } : { statements, errorAt, failedAt, errorMessage };
}

/**
 * Split, checked and guarded: a simple line (simple-line.ts) without a
 * parse, else from one parse when the gate has just parsed the same source
 * (a console line).
 */
function analyse(source: string): AnalysedProgram {
  const simple = simpleStatement(source);
  if (simple) {
    const span = { start: simple.start, end: simple.end, line: 1, column: simple.start };
    return { statements: [{ span, text: source.slice(simple.start, simple.end), gate: { ok: true }, guarded: undefined }] };
  }
  const split = splitStatements(source);
  const statements: AnalysedProgram['statements'] = [];
  for (const parsed of split.statements) {
    const { node, ...span } = parsed;
    const text = source.slice(span.start, span.end);
    const gate = split.whole ? checkParsedStatement(text, node, span.start) : checkEspruinoSyntax(text);
    if (!gate.ok) {
      statements.push({ span, text, gate, guarded: undefined });
      return { statements };
    }
    statements.push({ span, text, gate, guarded: guardSource(text, node, span.start) });
  }
  if (split.errorAt === undefined) return { statements };
  return { statements, errorAt: split.errorAt, failedAt: split.failedAt, errorMessage: syntaxMessage(source.slice(split.errorAt)) };
}

interface Split {
  statements: ParsedStatement[];
  /** The statements come from a parse of the whole source (the gate's), not from stepping the parser. */
  whole?: boolean;
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
  const parsed = parseScript(source);
  if (!('failure' in parsed)) {
    const program = parsed as Node & { body: Array<Node & { loc: { start: { line: number; column: number } } }> };
    const statements = program.body.map((node) => ({ start: node.start, end: node.end, line: node.loc.start.line, column: node.loc.start.column, node }));
    return { statements, whole: true };
  }
  const ParserClass = Parser as unknown as new (options: object, input: string) => SteppingParser;
  const parser = new ParserClass(SCRIPT_PARSE_OPTIONS, source);
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
