/**
 * The console lines save() writes to Storage (saved-state.ts), kept with a
 * bound: a board that runs for days takes thousands of lines (an RPC is one),
 * and a log bigger than the flash could never be saved anyway. So the log
 * keeps its lines while its saved image would fit in `limitBytes` (the
 * flash's size); past that it keeps only the image's length, and save() then
 * fails the way Storage fails for a file larger than the flash (nothing
 * written, "Unable to find or create file").
 */
import { savedStateImageLength } from './saved-state';

export class EvalLog {
  private kept: string[] = [];
  /** Length of the saved image of every line so far (kept or not). */
  private imageChars = savedStateImageLength([]);
  private overflowed = false;
  private pushed = 0;

  constructor(private readonly limitBytes: number) {}

  push(source: string): void {
    this.pushed++;
    this.imageChars += (this.kept.length > 0 || this.overflowed ? 1 : 0) + JSON.stringify(source).length;
    if (this.overflowed) return;
    if (this.imageChars > this.limitBytes) {
      this.overflowed = true;
      this.kept = [];
      return;
    }
    this.kept.push(source);
  }

  /** The lines, or undefined once their image outgrew the flash. */
  get sources(): readonly string[] | undefined {
    return this.overflowed ? undefined : this.kept;
  }

  /** Lines taken since RAM was cleared, kept or not: the console line number (its stack-trace file name). */
  get count(): number {
    return this.pushed;
  }

  /** Length in bytes of the image save() would write. */
  get imageLength(): number {
    return this.imageChars;
  }

  /** The log replaced by the lines of a loaded image. */
  replace(sources: readonly string[]): void {
    this.kept = [];
    this.imageChars = savedStateImageLength([]);
    this.overflowed = false;
    this.pushed = 0;
    for (const s of sources) this.push(s);
  }
}
