/**
 * The console's command history (src/jsinteractive.c jsiHistoryAddLine,
 * jsiGetHistoryLine, jsiIsInHistory): up to the caller to use it with the arrow
 * keys. Lines longer than 500 characters are not kept; a repeated line moves to
 * the end.
 *
 * Espruino keeps the history as an array in the interpreter's hidden root,
 * made of ordinary variables, and nothing else bounds it: when the variable
 * store runs short, jsiFreeMoreMemory drops the oldest line, one at a time,
 * until the allocation succeeds (src/jsvar.c allocation paths; save() does it
 * too when the image is too big). Here the history has a budget of variables
 * (`budgetBlocks`) and drops its oldest lines when a new one would pass it.
 * APPROXIMATION: the budget is fixed (by default the variables an idle Puck.js
 * has free, memory-estimate.ts), not what the firmware leaves free at the time.
 *
 * Kept in a Map in insertion order, so adding, finding and moving a line to
 * the end cost O(1); only walking to a neighbour (an arrow key) walks the list.
 */
import { BASE_USAGE_BLOCKS, PUCKJS_TOTAL_BLOCKS } from '../runtime/memory-estimate';

/** Characters one variable holds of a string (memory-estimate.ts). */
const CHARS_PER_BLOCK = 12;
export const MAX_HISTORY_LINE_CHARS = 500;

/** Variables one history line takes: its array slot and its string. */
export function historyLineBlocks(line: string): number {
  return 1 + Math.ceil(line.length / CHARS_PER_BLOCK);
}

export class LineHistory {
  private readonly lines = new Map<string, number>();
  private blocks = 0;

  constructor(private readonly budgetBlocks = PUCKJS_TOTAL_BLOCKS - BASE_USAGE_BLOCKS) {}

  add(line: string): void {
    if (line.length === 0 || line.length > MAX_HISTORY_LINE_CHARS) return;
    const cost = this.lines.get(line);
    if (cost !== undefined) {
      this.lines.delete(line);
      this.blocks -= cost;
    }
    const blocks = historyLineBlocks(line);
    while (this.blocks + blocks > this.budgetBlocks && this.lines.size > 0) {
      const [oldest, oldCost] = this.lines.entries().next().value as [string, number];
      this.lines.delete(oldest);
      this.blocks -= oldCost;
    }
    this.lines.set(line, blocks);
    this.blocks += blocks;
  }

  has(line: string): boolean {
    return this.lines.has(line);
  }

  /** How many lines are kept. */
  get size(): number {
    return this.lines.size;
  }

  /** The line before (previous=true) or after the current one, or undefined. */
  neighbour(current: string, previous: boolean): string | undefined {
    if (!this.lines.has(current)) {
      if (!previous) return undefined;
      let last: string | undefined;
      for (const line of this.lines.keys()) last = line;
      return last;
    }
    let before: string | undefined;
    let found = false;
    for (const line of this.lines.keys()) {
      if (found) return line;
      if (line === current) {
        if (previous) return before;
        found = true;
      }
      before = line;
    }
    return undefined;
  }

  clear(): void {
    this.lines.clear();
    this.blocks = 0;
  }
}
