/**
 * The console's command history (src/jsinteractive.c jsiHistoryAddLine,
 * jsiGetHistoryLine, jsiIsInHistory): up to the caller to use it with the arrow
 * keys. Lines longer than 500 characters are not kept; a repeated line moves to
 * the end.
 */
export class LineHistory {
  private readonly lines: string[] = [];

  add(line: string): void {
    if (line.length === 0 || line.length > 500) return;
    const existing = this.lines.indexOf(line);
    if (existing >= 0) this.lines.splice(existing, 1);
    this.lines.push(line);
  }

  has(line: string): boolean {
    return this.lines.includes(line);
  }

  /** The line before (previous=true) or after the current one, or undefined. */
  neighbour(current: string, previous: boolean): string | undefined {
    const idx = this.lines.indexOf(current);
    if (idx >= 0) return previous ? this.lines[idx - 1] : this.lines[idx + 1];
    return previous ? this.lines[this.lines.length - 1] : undefined;
  }

  clear(): void {
    this.lines.length = 0;
  }
}
