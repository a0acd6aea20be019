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
 * What closures keep is read only in a deep count (closure-scan.ts, a few
 * ms), made once the host heap has grown (DEEP_COUNT_IN_RUN_BYTES, DEEP_COUNT_AFTER_BYTES); the usual
 * count sees a closure's names, one JsVar each for their values. Allocations
 * inside one run between two counts are bounded by the busy-loop limit and
 * the heap reads of a run that lasts.
 */
import { ExecutionInterrupted } from '../console/execution-interrupted';
import { REAL_TIMERS } from '../../clock/paced-driver';
import { PUCKJS_TOTAL_BLOCKS } from './espruino-sizes';

export interface MemoryGuardWiring {
  /** Blocks in use; may stop counting once past `stopAbove`. `deep`: read what closures keep too (closure-scan.ts). */
  usage(stopAbove: number, deep: boolean): number;
  /** The host heap's use in bytes. */
  heapBytes(): number;
  /** Tells the context's allocation check how many blocks are free. */
  setFree(blocks: number): void;
  /** Prints Espruino's error (once until the flags are read) and raises LOW_MEMORY and MEMORY. */
  report(): void;
  /** Host time a deep count took inside a run: not the board code's, so not on its busy-loop limit. */
  hostWork?(ms: number): void;
}

/** How often (in outermost JavaScript runs) the board counts without being asked. */
export const CHECK_EVERY_RUNS = 32;

/**
 * Host heap growth after which the board counts with what its closures keep
 * (closure-scan.ts): the usual count sees the closures' names, not their
 * values, and a board that fills a closure's array would otherwise never be
 * full while the host's heap grows. Within one run (all of it that run's
 * allocation; a 2,630-variable board is full long before 16 MB), or over
 * the heap's lowest since the last deep count, across runs: there garbage
 * waiting for V8's collector counts too, so the bound is wide (a deep count
 * of the strap takes a few ms once its scopes are known).
 */
export const DEEP_COUNT_IN_RUN_BYTES = 16 * 1024 * 1024;
export const DEEP_COUNT_AFTER_BYTES = 256 * 1024 * 1024;

/** Host heap growth within one run of a board that closures keep full: the run allocated, and fails as the allocation would. */
const FULL_GROWTH_BYTES = 1024 * 1024;

export class MemoryGuard {
  private runs = 0;
  private failed = false;
  /** The last count found the board over its total. */
  private full = false;
  /** Free blocks at the last count (the board's free list as of its last garbage collection). */
  private free: number;
  /** The most blocks any count found in use since this RAM was made. */
  private highest = 0;
  /** The host heap's lowest use read since the last deep count. */
  private heapLow = Infinity;
  /** A deep count found the board full: counts read the closures until one finds it is not. */
  private fullInClosures = false;
  /**
   * What closures kept beyond what the usual count sees (their names) at the
   * last deep count (process.memory(), or the host heap grown): the usual
   * counts after it add it, so the limit the board enforces is the deep
   * figure without reading the closures each time (a deep count of the strap
   * costs milliseconds once its scopes are known, a usual one ~7 µs). What
   * firmware's closures keep changes little once it has booted; a closure
   * filled without end grows the host heap, which makes the next deep count.
   */
  private share = 0;

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

  /** What the closures held beyond the usual count at the last deep count (0 before one). */
  get closureShare(): number {
    return this.share;
  }

  /** A count made elsewhere (board.memory()): kept for the peak. */
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

  /** Counts, noting the peak: a deep count reads the closures and sets their share for the usual counts after it. */
  private count(deep: boolean): number {
    let usage: number;
    if (deep) {
      const started = REAL_TIMERS.now();
      usage = this.wiring.usage(this.totalBlocks, true);
      this.share = Math.max(0, usage - this.wiring.usage(Infinity, false));
      this.fullInClosures = usage > this.totalBlocks;
      this.wiring.hostWork?.(REAL_TIMERS.now() - started);
    } else {
      usage = this.wiring.usage(this.totalBlocks - this.share, false) + this.share;
    }
    this.note(usage);
    return usage;
  }

  /**
   * process.memory(): Espruino counts every variable in use, closures'
   * included (src/jswrap_process.c jswrap_process_memory: a garbage
   * collection, then jsvGetMemoryUsage), so this is a deep count. A board it
   * finds over its total is full: the board reports it at its next count.
   */
  deepCount(): number {
    const usage = this.count(true);
    this.setFree(Math.max(0, this.totalBlocks - usage));
    return Math.min(this.totalBlocks, usage);
  }

  /** Counts again (the board's garbage collection) and returns the free blocks. */
  collect(): number {
    const usage = this.count(this.fullInClosures);
    const free = Math.max(0, this.totalBlocks - usage);
    this.setFree(free);
    return free;
  }

  /**
   * The host heap's use, read in a run that lasted (program-runner.ts), and
   * its growth since the run's first read: past DEEP_COUNT_IN_RUN_BYTES in
   * the run or DEEP_COUNT_AFTER_BYTES over its lowest, counts with the
   * closures (true), and fails the run as an allocation would when the
   * board is full.
   */
  heapRead(usedBytes: number, grownInRun = 0): boolean {
    // full: a run that allocates fails; whether it let go is for the count after it
    if (this.fullInClosures) {
      if (grownInRun > FULL_GROWTH_BYTES) this.outOfMemory();
      return false;
    }
    if (!this.deepDue(usedBytes) && grownInRun <= DEEP_COUNT_IN_RUN_BYTES) return false;
    this.heapLow = Infinity;
    const usage = this.count(true);
    this.setFree(Math.max(0, this.totalBlocks - usage));
    if (usage > this.totalBlocks) this.outOfMemory();
    return true;
  }

  /** A deep count found what closures keep fills the board: a run's heap is read from its start (program-runner.ts). */
  get fullOfClosures(): boolean {
    return this.fullInClosures;
  }

  private deepDue(usedBytes: number): boolean {
    if (this.fullInClosures) return !this.failed;
    if (usedBytes < this.heapLow) this.heapLow = usedBytes;
    if (usedBytes - this.heapLow <= DEEP_COUNT_AFTER_BYTES) return false;
    this.heapLow = Infinity;
    return true;
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
    const usage = this.count(this.deepDue(this.wiring.heapBytes()));
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
