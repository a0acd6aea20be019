/**
 * The board's memory limit, host side: board code cannot take more than the
 * Puck.js's 2,630 JsVars as the board counts them (memory-estimate.ts), so it
 * cannot exhaust the host's heap either.
 *
 * Two ways in, as on Espruino where every JsVar comes from jsvNewWithFlags
 * (src/jsvar.c): the built-ins that make a large value in one call ask first
 * (context/allocation-prelude.ts: collect, then fail), and after every
 * CHECK_EVERY_RUNS JavaScript runs and after every console line the board
 * counts what firmware holds, which ends slow growth (objects pushed one by
 * one, strings concatenated in a loop).
 *
 * Failing is Espruino's: jsvNewWithFlags sets JSERR_LOW_MEMORY when the free
 * list is empty, collects garbage, then prints "ERROR: Out of Memory!" (once
 * until the flags are read, `if (!(jsErrorFlags&JSERR_MEMORY)) jsError(...)`),
 * sets JSERR_MEMORY and interrupts execution (jspSetInterrupted): the running
 * code stops as after Ctrl-C ("Execution Interrupted", an interval that was
 * running is removed), and what it had already allocated stays. So a board
 * that is full stays full until firmware lets go of something;
 * E.getErrorFlags() reports LOW_MEMORY and MEMORY.
 *
 * What the board cannot see: values kept only inside closures (V8 shows no
 * scopes to the host) and allocations inside one run between two counts; the
 * busy-loop limit bounds the latter.
 */
import { ExecutionInterrupted } from '../console/execution-interrupted';
import { PUCKJS_TOTAL_BLOCKS } from './espruino-sizes';

export interface MemoryGuardWiring {
  /** Blocks in use; may stop counting once past `stopAbove`. */
  usage(stopAbove: number): number;
  /** Tells the context's allocation check how many blocks are free. */
  setFree(blocks: number): void;
  /** Prints Espruino's error (once until the flags are read) and raises LOW_MEMORY and MEMORY. */
  report(): void;
}

/** How often (in outermost JavaScript runs) the board counts without being asked. */
export const CHECK_EVERY_RUNS = 32;

export class MemoryGuard {
  private runs = 0;
  private failed = false;
  /** The last count found the board over its total. */
  private full = false;
  /** Free blocks at the last count (the board's free list as of its last garbage collection). */
  private free: number;
  /** The most blocks any count found in use since this RAM was made. */
  private highest = 0;

  constructor(
    private readonly wiring: MemoryGuardWiring,
    readonly totalBlocks = PUCKJS_TOTAL_BLOCKS,
  ) {
    this.free = totalBlocks;
  }

  /** The most blocks in use any count has found since this RAM was made (counts: note). */
  get peak(): number {
    return this.highest;
  }

  /** A count made elsewhere (process.memory()): kept for the peak. */
  note(usage: number): void {
    if (usage > this.highest) this.highest = usage;
  }

  /** Free blocks as last counted, without counting again. */
  get lastFree(): number {
    return this.free;
  }

  private setFree(blocks: number): void {
    this.free = blocks;
    this.wiring.setFree(blocks);
  }

  /** An allocation failed in the run under way: the board's API refuses calls until it has unwound. */
  get interrupting(): boolean {
    return this.failed;
  }

  /** Counts again (the board's garbage collection) and returns the free blocks. */
  collect(): number {
    const usage = this.wiring.usage(this.totalBlocks);
    this.note(usage);
    const free = Math.max(0, this.totalBlocks - usage);
    this.setFree(free);
    return free;
  }

  /** Counts now, in the middle of a run; past the total, fails it as an allocation would. */
  recount(): void {
    const usage = this.wiring.usage(this.totalBlocks);
    this.note(usage);
    this.setFree(Math.max(0, this.totalBlocks - usage));
    if (usage > this.totalBlocks) this.outOfMemory();
  }

  /** An allocation that does not fit: Espruino's error, then the running code is interrupted. */
  outOfMemory(): never {
    this.wiring.report();
    this.failed = true;
    throw new ExecutionInterrupted();
  }

  /**
   * After each outermost JavaScript run: a run whose allocation failed ends
   * interrupted even if board code caught the interruption; every
   * CHECK_EVERY_RUNS runs (and with `consoleLine`, after every console line)
   * the board counts, and a count past the total fails the run as an
   * allocation would. A board that stays full goes on failing the callbacks
   * it counts after (so an interval that keeps allocating is removed), but
   * runs console lines, so a person can look at what fills it and let go of
   * it, which ends the full state.
   */
  afterRun(consoleLine = false): void {
    if (this.failed) {
      this.failed = false;
      throw new ExecutionInterrupted();
    }
    if (!consoleLine && ++this.runs % CHECK_EVERY_RUNS !== 0) return;
    const usage = this.wiring.usage(this.totalBlocks);
    this.note(usage);
    this.setFree(Math.max(0, this.totalBlocks - usage));
    if (usage <= this.totalBlocks) {
      this.full = false;
      return;
    }
    if (this.full && consoleLine) return;
    this.full = true;
    this.wiring.report();
    throw new ExecutionInterrupted();
  }
}
