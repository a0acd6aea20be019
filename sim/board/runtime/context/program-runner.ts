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
 * A busy loop (which would freeze a real board until its watchdog fires)
 * surfaces as ExecutionInterrupted instead of hanging the simulator: board code
 * is compiled with the busy-loop guard (loop-guard.ts), which throws once the
 * outermost run has used more CPU time than the limit (`processCpuMs`: wall
 * time, as `vm`'s timeout measured it, counted the machine's other load too;
 * read once a run has lasted CPU_READ_AFTER_MS, as most runs end before). So
 * does host work that may run board code (`guardHost`: a getter, a custom
 * toString). No run starts `vm`'s watchdog thread (its
 * `timeout` costs 0.1–0.3 ms a run, most of a busy day's wall time).
 * LIMITATION: one call into a built-in that never returns (a regular
 * expression that backtracks for good) calls no guard and is not interrupted.
 *
 * A busy loop interrupted under board code that called into the board's API
 * (require() of a file that loops) stays an interruption: until the outermost
 * run returns, every further API call the board makes is refused, as Espruino's
 * interrupted flag stops everything up to the idle loop. The board's signals
 * (membrane.ts) come out of a run as the host's BoardHalted and
 * ExecutionInterrupted again.
 */
import vm from 'node:vm';
import v8 from 'node:v8';
import { processCpuMs, REAL_TIMERS } from '../../../clock/paced-driver';
import { ExecutionInterrupted } from '../../console/execution-interrupted';
import { parseV8Stack } from '../../repl/stack-frames';
import { BoardHalted } from '../board-halted';
import { GUARD_CHECK_TICKS, originalOffset } from './loop-guard';
import { compileConsoleLine, compileProgram, type CompiledStatement } from './program-cache';

/** What mapping a stack position back to the source as typed needs of a statement that ran (not its script). */
type RanStatement = Pick<CompiledStatement, 'span' | 'text' | 'guarded'>;
import type { ContextCallable, Realm } from './realm';

/** A frame of V8's stack in a program this runner ran, at its position as typed. */
export interface ProgramFrame {
  filename: string;
  source: string;
  line: number;
  col: number;
  name?: string;
  calledFromBoardCode: boolean;
}

/** Wall time a run takes before the busy-loop limit reads the process's CPU time and the host heap. */
const CPU_READ_AFTER_MS = 5;

/** Programs whose source is kept for stack traces (a console line has a file name of its own, or its shape's next one: program-cache.ts). */
const PROGRAMS_KEPT = 256;

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
  /** When the outermost run passes its busy-loop limit (processCpuMs()); NaN until the run has lasted CPU_READ_AFTER_MS. */
  private deadlineMs = NaN;
  /** Wall time (REAL_TIMERS.now()) when the outermost run started. */
  private startedWallMs = 0;
  /** The busy-loop guard fired in this run: every further guard call throws. */
  private tripped = false;
  /**
   * The signal the guard throws in this run, made once: a board Error records the whole stack (the board's
   * Error.stackTraceLimit is Infinity), so a fresh one at each guard call while a deep recursion unwinds cost
   * O(depth²) — a 100 ms limit took ~5 s to end `function f() { try { f(); } catch (e) {} try { f(); } catch (e) {} }`.
   */
  private signal: Error | undefined;
  /** The statements of the last program run as each filename kept in `programs`, in the order they ran (to map stack positions back). */
  private readonly lastProgram = new Map<string, RanStatement[]>();
  /** The argument list of a call without arguments: the trampoline only spreads it, board code never sees it. */
  private readonly noArgs: unknown[];
  /** The stack overflow that interrupted this run (boundary-prelude.ts), and whether a catch clause took it. */
  private overflow: unknown = undefined;
  private overflowTaken = false;
  /** The host heap's use at the run's first read of it (it lasted CPU_READ_AFTER_MS, or the board is full); -1 before. */
  private heapAtFirstRead = -1;

  constructor(
    private readonly realm: Realm,
    private readonly busyLimitMs: number,
    /** Told of each JS run (cpu-time.ts counts its CPU time). */
    private readonly ran: () => void = () => undefined,
    /** The host heap's use, and its growth since the run's first read (memory-guard.ts heapRead: true when it counted; throws when the board is full). */
    private readonly heapRead: (usedBytes: number, grownInRun: number) => boolean = () => false,
    /** Read the heap from a run's first clock check (the board is full: any allocation fails it). */
    private readonly heapWatchedFromStart: () => boolean = () => false,
  ) {
    realm.setGuardCheck((kind, value) => this.checkBusy(kind, value));
    realm.setStackText((raw, name, message) => (this.stackText ? this.stackText(this.framesOfRaw(raw), name, message) : ''));
    this.noArgs = realm.array([]);
  }

  /** Makes the board's `e.stack` from an error's frames in board code (innermost first), its name and message. */
  stackText: ((frames: ProgramFrame[], name: string, message: string) => string) | undefined;

  /** True while an interruption unwinds the board's code (Realm's guard refuses API calls). */
  get interrupting(): boolean {
    return this.interrupted || this.tripped;
  }

  /**
   * V8's frames of an error in code this runner ran, innermost first, with
   * the source of each (the last program run under that file name), at their
   * positions as typed (the busy-loop guard's insertions taken out), and
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
    let raw: string | undefined;
    try {
      raw = this.guardHost(() => this.realm.rawStackOf(error));
    } catch {
      return [];
    }
    return typeof raw === 'string' ? this.framesOfRaw(raw) : [];
  }

  /** The frames of V8's stack text that fall in programs this runner ran, at their positions as typed. */
  private framesOfRaw(stack: string): ProgramFrame[] {
    const raw = parseV8Stack(stack);
    const out: ProgramFrame[] = [];
    raw.forEach((frame, i) => {
      const source = this.programs.get(frame.file);
      if (source === undefined) return;
      const next = raw[i + 1];
      const one: ProgramFrame = {
        filename: frame.file,
        source,
        ...this.asTyped(frame.file, frame.line, frame.col),
        calledFromBoardCode: next !== undefined && this.programs.has(next.file),
      };
      if (frame.name !== undefined) one.name = frame.name;
      out.push(one);
    });
    return out;
  }

  /** Keeps the last PROGRAMS_KEPT programs' sources and statements (a console line under its own file name or its shape's). */
  private remember(filename: string, source: string, ran: RanStatement[]): void {
    this.programs.delete(filename);
    this.programs.set(filename, source);
    this.lastProgram.set(filename, ran);
    if (this.programs.size > PROGRAMS_KEPT) {
      const oldest = this.programs.keys().next().value!;
      this.programs.delete(oldest);
      this.lastProgram.delete(oldest);
    }
  }

  /**
   * Runs a whole program; returns the completion value of its last
   * statement. Throws what the code throws. `once`: a console line, whose
   * file name will not be run again: compiled once per shape
   * (program-cache.ts compileConsoleLine) or not kept.
   */
  runProgram(source: string, filename: string, once = false): unknown {
    const line = once ? compileConsoleLine(source, filename) : undefined;
    const split = line ? line.program : compileProgram(source, filename);
    if (line) filename = line.filename;
    let value: unknown = undefined;
    const ran: RanStatement[] = [];
    this.remember(filename, source, ran);
    for (const statement of split.statements) {
      const { span, gate, script } = statement;
      // V8 runs what Espruino's parser refuses: refuse it here too, at the statement Espruino would stop on.
      if (!gate.ok) {
        const error = this.realm.error('SyntaxError', gate.message);
        this.syntaxSites.set(error, { filename, line: span.line + gate.line - 1, col: gate.line === 1 ? span.column + gate.col : gate.col });
        throw error;
      }
      if (!script) throw statement.compileError;
      ran.push({ span, text: statement.text, guarded: statement.guarded });
      if (line?.literal !== undefined) this.realm.prepareLiteral(line.literal);
      value = this.run(() => script.runInContext(this.realm.context, ProgramRunner.invokeOptions));
    }
    if (split.errorAt !== undefined) {
      const error = this.realm.error('SyntaxError', split.errorMessage ?? 'Unexpected end of input');
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
    this.realm.prepareCall(fn as ContextCallable, this.realm.toBoard(thisArg), args.length === 0 ? this.noArgs : this.realm.array(args));
    return this.run(() => this.invoke());
  }

  /**
   * Host work that may run board code (reading a value's getters, calling its
   * toString, reading an error's stack) under the busy-loop limit: it throws
   * ExecutionInterrupted instead of hanging the simulator.
   */
  guardHost<T>(work: () => T): T {
    this.realm.prepareCall(work, undefined, this.noArgs);
    return this.run(() => this.invoke(), false) as T;
  }

  private invoke(): unknown {
    return ProgramRunner.invokeScript.runInContext(this.realm.context, ProgramRunner.invokeOptions);
  }

  private static readonly invokeOptions = { displayErrors: false };

  /** The busy-loop guard's question: guard calls until the next look at the clock, or the interrupt signal. */
  private checkBusy(kind: GuardAsk = GuardAsk.Budget, value?: unknown): unknown {
    // Running out of stack interrupts the run as jspCheckStackPosition does: from here no catch or
    // finally body runs (each one's guard throws); a catch clause on the way takes the exception, and
    // if none did, the run ends with Espruino's "Too much recursion" (run)
    if ((kind === GuardAsk.OverflowCaught || kind === GuardAsk.OverflowPassing) && !this.isBoardOverflow(value)) return GUARD_CHECK_TICKS;
    if (kind === GuardAsk.OverflowCaught || kind === GuardAsk.OverflowMade || kind === GuardAsk.OverflowPassing) {
      if (this.depth > 0) {
        this.overflow ??= value;
        if (kind === GuardAsk.OverflowCaught) this.overflowTaken = true;
        this.tripped = true;
      }
      return (this.signal ??= this.realm.interruptSignal());
    }
    if (kind === GuardAsk.AtCatch && this.tripped && this.overflow !== undefined) this.overflowTaken = true;
    this.watchHeap();
    if (!this.tripped && (this.depth === 0 || this.withinBusyLimit())) return GUARD_CHECK_TICKS;
    this.tripped = true;
    return (this.signal ??= this.realm.interruptSignal());
  }

  /**
   * Once a run has lasted CPU_READ_AFTER_MS (reading the heap costs a few
   * µs, and most runs end sooner), the host heap's use at each clock check
   * goes to the memory guard: plain assignments (`a[i] = {}`, `s += s`) pass
   * no allocation hook (allocation-prelude.ts), and what closures keep no
   * count sees, so a loop building values that way would grow the host's
   * heap until the busy-loop limit; the guard counts (closures included)
   * once the heap has grown, which ends the run as Espruino's "Out of
   * Memory" does when the board is full.
   */
  private watchHeap(): void {
    if (this.tripped || this.depth === 0) return;
    if (this.heapAtFirstRead < 0 && !this.heapWatchedFromStart() && REAL_TIMERS.now() - this.startedWallMs < CPU_READ_AFTER_MS) return;
    const used = v8.getHeapStatistics().used_heap_size;
    if (this.heapAtFirstRead < 0 || used < this.heapAtFirstRead) this.heapAtFirstRead = used;
    try {
      // growth from here: the count made its own garbage
      if (this.heapRead(used, used - this.heapAtFirstRead)) this.heapAtFirstRead = v8.getHeapStatistics().used_heap_size;
    } catch {
      this.tripped = true;
    }
  }

  /**
   * The outermost run has used less CPU time than its limit. Reading the
   * process's CPU time is a system call, and most runs (a callback, a
   * console line) end within a few ms of wall time, so the deadline is set
   * once a run has taken CPU_READ_AFTER_MS of wall time, with that wall time
   * standing in for the CPU time used so far (never less on one thread).
   */
  /** `ms` of the run under way were the host's (a deep memory count): its busy-loop limit moves on by as much. */
  notCounted(ms: number): void {
    if (this.depth === 0) return;
    this.startedWallMs += ms;
    if (!Number.isNaN(this.deadlineMs)) this.deadlineMs += ms;
  }

  private withinBusyLimit(): boolean {
    if (Number.isNaN(this.deadlineMs)) {
      const wallMs = REAL_TIMERS.now() - this.startedWallMs;
      if (wallMs < CPU_READ_AFTER_MS) return true;
      this.deadlineMs = processCpuMs() + this.busyLimitMs - wallMs;
    }
    return processCpuMs() <= this.deadlineMs;
  }

  private run<T>(work: () => T, isJs = true): T {
    if (this.depth === 0) {
      this.deadlineMs = NaN;
      this.startedWallMs = REAL_TIMERS.now();
      this.heapAtFirstRead = -1;
      this.tripped = false;
      this.signal = undefined;
      this.overflow = undefined;
      this.overflowTaken = false;
    }
    this.depth++;
    try {
      const value = work();
      // board code caught the guard's signal and returned: the run was still interrupted
      if (this.tripped) throw this.interruption();
      return value;
    } catch (error) {
      if (error instanceof StackOverflow) throw error;
      if (this.depth === 1 && this.tripped && this.overflow !== undefined) throw this.interruption();
      if (this.tripped || isScriptTimeout(error) || this.realm.signalOf(error) === 'interrupt' || error instanceof ExecutionInterrupted) {
        if (this.depth > 1) this.interrupted = true;
        throw new ExecutionInterrupted();
      }
      if (this.realm.signalOf(error) === 'halt') throw new BoardHalted();
      if (this.depth === 1 && this.isBoardOverflow(error)) throw new StackOverflow(this.realm.overflowError(error));
      throw error;
    } finally {
      if (--this.depth === 0) {
        this.interrupted = false;
        this.tripped = false;
        if (isJs) this.ran();
      }
    }
  }

  /**
   * V8 ran out of stack in the board's own code: its RangeError's innermost
   * frame is in a program this runner ran (a built-in that recursed on a deep
   * value has its own frame there; its error is an ordinary one).
   */
  private isBoardOverflow(error: unknown): boolean {
    if (!this.realm.isStackOverflow(error)) return false;
    const raw = this.realm.rawStackOf(error);
    if (raw === undefined) return true;
    // the busy-loop guard, first in every function, is where V8 often finds the stack gone
    const first = parseV8Stack(raw).find((frame) => !frame.name?.endsWith('loopGuard'));
    return first !== undefined && this.programs.has(first.file);
  }

  /** How an interrupted run ends: the stack overflow no catch clause took, or the interruption. */
  private interruption(): Error {
    if (this.depth === 1 && this.overflow !== undefined && !this.overflowTaken) return new StackOverflow(this.realm.overflowError(this.overflow));
    return new ExecutionInterrupted();
  }

  /** A line and column (1-based) V8 reported for guarded code, in the source as typed. */
  private asTyped(filename: string, line: number, col: number): { line: number; col: number } {
    const statements = this.lastProgram.get(filename) ?? [];
    for (let i = statements.length - 1; i >= 0; i--) {
      const { span, text, guarded } = statements[i]!;
      const row = line - span.line;
      if (row < 0) continue;
      const lines = (guarded ? guarded.code : text).split('\n');
      if (row >= lines.length) continue;
      const column = col - 1 - (row === 0 ? span.column : 0);
      if (column < 0 || column > lines[row]!.length) continue;
      // a statement without guards ran as typed
      if (!guarded) return { line, col };
      let offset = column;
      for (let r = 0; r < row; r++) offset += lines[r]!.length + 1;
      const typed = originalOffset(guarded, offset);
      const before = text.slice(0, typed).split('\n');
      const typedRow = before.length - 1;
      return { line: span.line + typedRow, col: (typedRow === 0 ? span.column : 0) + before[typedRow]!.length + 1 };
    }
    return { line, col };
  }
}

/** What the busy-loop guard asks the host (boundary-prelude.ts loopGuard). */
const enum GuardAsk {
  Budget = 0,
  AtCatch = 1,
  OverflowCaught = 2,
  OverflowMade = 3,
  OverflowPassing = 4,
}

/**
 * V8 ran out of stack in board code and nothing caught it: Espruino's
 * "Too much recursion" error (src/jsparse.c jspCheckStackPosition, which
 * also interrupts execution) as `error`, a board-realm Error whose stack is
 * the overflow's frames.
 */
export class StackOverflow extends Error {
  constructor(readonly error: Error) {
    super('Too much recursion - the stack is about to overflow');
    this.name = 'StackOverflow';
  }
}

function isScriptTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}
