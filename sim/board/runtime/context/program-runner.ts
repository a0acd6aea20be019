/**
 * Runs source at the board's global scope the way Espruino's interpreter does:
 * one top-level statement after another (Espruino parses and executes as it
 * goes, src/jsparse.c), so
 *  - a function declared further down does not exist until its statement ran
 *    (no hoisting across top-level statements);
 *  - a truncated or corrupt file runs every complete statement before the
 *    point where it breaks, then raises the SyntaxError;
 *  - the first uncaught error stops the rest of the file.
 *
 * Every run and every callback goes through `vm` with a timeout: a busy loop
 * (which would freeze a real board until its watchdog fires) surfaces as
 * ExecutionInterrupted instead of hanging the simulator. So does host work that
 * may run board code (`guardHost`: a getter, a custom toString).
 *
 * A busy loop interrupted under board code that called into the board's API
 * (require() of a file that loops) stays an interruption: until the outermost
 * run returns, every further API call the board makes is refused, as Espruino's
 * interrupted flag stops everything up to the idle loop. The board's signals
 * (membrane.ts) come out of a run as the host's BoardHalted and
 * ExecutionInterrupted again.
 */
import vm from 'node:vm';
import { Parser, tokTypes } from 'acorn';
import { ExecutionInterrupted } from '../../console/execution-interrupted';
import { parseV8Stack } from '../../repl/stack-frames';
import { checkEspruinoSyntax } from '../../repl/syntax-gate';
import { BoardHalted } from '../board-halted';
import type { ContextCallable, Realm } from './realm';

interface StatementSpan {
  start: number;
  end: number;
  line: number;
  column: number;
}

/** A frame of V8's stack in a program this runner ran. */
export interface ProgramFrame {
  filename: string;
  source: string;
  line: number;
  col: number;
  name?: string;
  calledFromBoardCode: boolean;
}

/** Programs whose source is kept for stack traces (console lines each have their own file name). */
const PROGRAMS_KEPT = 256;

interface Split {
  statements: StatementSpan[];
  /** End of the last complete statement when parsing failed (the rest is not runnable). */
  errorAt?: number;
  /** Where the parser gave up. */
  failedAt?: number;
}

/** acorn's Parser as parseTopLevel drives it (documented in acorn's README as "parser.parse"; we step it). */
interface SteppingParser {
  type: unknown;
  nextToken(): void;
  parseStatement(context: null, topLevel: boolean, exports: object): { start: number; end: number; loc: { start: { line: number; column: number } } };
}

export class ProgramRunner {
  /** Runs the call prepared with Realm.prepareCall (boundary-prelude.ts). */
  private static readonly invokeScript = new vm.Script('__boardCall__()', { filename: 'board-call' });

  /** Where SyntaxErrors raised by runProgram were found (1-based). */
  private readonly syntaxSites = new WeakMap<object, { filename: string; line: number; col: number }>();
  /** Source of the last program run under each file name, oldest first. */
  private readonly programs = new Map<string, string>();
  /** Runs under way (nested when board code calls an API that runs board code). */
  private depth = 0;
  /** A nested run was interrupted: the board's API refuses calls until the outermost run ends. */
  private interrupted = false;

  constructor(
    private readonly realm: Realm,
    private readonly busyLimitMs: number,
    /** Told of each JS run (cpu-time.ts counts its CPU time). */
    private readonly ran: () => void = () => undefined,
  ) {}

  /** True while an interruption unwinds the board's code (Realm's guard refuses API calls). */
  get interrupting(): boolean {
    return this.interrupted;
  }

  /**
   * V8's frames of an error in code this runner ran, innermost first, with
   * the source of each (the last program run under that file name), and
   * whether the caller is board code too. Our own SyntaxErrors have the one
   * site they were found at.
   */
  frames(error: unknown): ProgramFrame[] {
    if (error === null || typeof error !== 'object') return [];
    const site = this.syntaxSites.get(error);
    if (site) {
      const source = this.programs.get(site.filename);
      return source === undefined ? [] : [{ filename: site.filename, source, line: site.line, col: site.col, calledFromBoardCode: false }];
    }
    let stack: string | undefined;
    try {
      stack = this.guardHost(() => this.realm.stackOf(error));
    } catch {
      return [];
    }
    if (typeof stack !== 'string') return [];
    const raw = parseV8Stack(stack);
    const out: ProgramFrame[] = [];
    raw.forEach((frame, i) => {
      const source = this.programs.get(frame.file);
      if (source === undefined) return;
      const next = raw[i + 1];
      const one: ProgramFrame = {
        filename: frame.file,
        source,
        line: frame.line,
        col: frame.col,
        calledFromBoardCode: next !== undefined && this.programs.has(next.file),
      };
      if (frame.name !== undefined) one.name = frame.name;
      out.push(one);
    });
    return out;
  }

  private remember(filename: string, source: string): void {
    this.programs.delete(filename);
    this.programs.set(filename, source);
    if (this.programs.size > PROGRAMS_KEPT) this.programs.delete(this.programs.keys().next().value!);
  }

  /** Runs a whole program; returns the completion value of its last statement. Throws what the code throws. */
  runProgram(source: string, filename: string): unknown {
    this.remember(filename, source);
    const split = splitStatements(source);
    let value: unknown = undefined;
    for (const span of split.statements) {
      const text = source.slice(span.start, span.end);
      // V8 runs what Espruino's parser refuses: refuse it here too, at the statement Espruino would stop on.
      const gate = checkEspruinoSyntax(text);
      if (!gate.ok) {
        const error = this.realm.error('SyntaxError', gate.message);
        this.syntaxSites.set(error, { filename, line: span.line + gate.line - 1, col: gate.line === 1 ? span.column + gate.col : gate.col });
        throw error;
      }
      const script = new vm.Script(text, {
        filename,
        lineOffset: span.line - 1,
        columnOffset: span.column,
      });
      value = this.run(() => script.runInContext(this.realm.context, { timeout: this.busyLimitMs, displayErrors: false }));
    }
    if (split.errorAt !== undefined) {
      const error = this.realm.error('SyntaxError', syntaxMessage(source.slice(split.errorAt)));
      const at = split.failedAt ?? split.errorAt;
      const before = source.slice(0, at).split('\n');
      this.syntaxSites.set(error, { filename, line: before.length, col: before[before.length - 1]!.length + 1 });
      throw error;
    }
    return value;
  }

  /**
   * Calls a board function (timer, watch, event callback) under the busy-loop
   * limit; `this` and the arguments cross the membrane.
   */
  call(fn: Function, thisArg: unknown, args: readonly unknown[]): unknown {
    this.realm.prepareCall(fn as ContextCallable, this.realm.toBoard(thisArg), this.realm.array(args));
    return this.run(() => this.invoke());
  }

  /**
   * Host work that may run board code (reading a value's getters, calling its
   * toString, reading an error's stack) under the busy-loop limit: it throws
   * ExecutionInterrupted instead of hanging the simulator.
   */
  guardHost<T>(work: () => T): T {
    this.realm.prepareCall(work, undefined, this.realm.array([]));
    return this.run(() => this.invoke(), false) as T;
  }

  private invoke(): unknown {
    return ProgramRunner.invokeScript.runInContext(this.realm.context, { timeout: this.busyLimitMs, displayErrors: false });
  }

  private run<T>(work: () => T, isJs = true): T {
    this.depth++;
    try {
      return work();
    } catch (error) {
      if (isScriptTimeout(error) || this.realm.signalOf(error) === 'interrupt') {
        if (this.depth > 1) this.interrupted = true;
        throw new ExecutionInterrupted();
      }
      if (this.realm.signalOf(error) === 'halt') throw new BoardHalted();
      throw error;
    } finally {
      if (--this.depth === 0) {
        this.interrupted = false;
        if (isJs) this.ran();
      }
    }
  }
}

function isScriptTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/** Top-level statements of `source`, and where parsing failed if it did. */
export function splitStatements(source: string): Split {
  const ParserClass = Parser as unknown as new (options: object, input: string) => SteppingParser;
  const parser = new ParserClass({ ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true }, source);
  const statements: StatementSpan[] = [];
  let nextStart = 0;
  try {
    parser.nextToken();
    while (parser.type !== tokTypes.eof) {
      const node = parser.parseStatement(null, true, Object.create(null) as object);
      statements.push({ start: node.start, end: node.end, line: node.loc.start.line, column: node.loc.start.column });
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
