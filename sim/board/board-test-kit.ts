/**
 * Helpers for the board's tests: a powered board on a fresh clock with its
 * console output captured, and a way to run a line and read what it printed.
 *
 * Without a `cell` the board runs off a steady 4.2 V (a full Li-Po at rest);
 * tests that need a cell that discharges pass sim/power's (sim/scenario/).
 */
import { VirtualClock } from '../clock/virtual-clock';
import type { BoardCell } from './buses/supply-rail';
import { VirtualBoard, type VirtualBoardOptions } from './virtual-board';

/** A cell whose terminal voltage stays where a test puts it. */
export class SteadyCell implements BoardCell {
  constructor(public volts = 4.2) {}
  terminalVolts(): number {
    return this.volts;
  }
}

export interface TestBoard<Cell extends BoardCell = SteadyCell> {
  board: VirtualBoard<Cell>;
  clock: VirtualClock;
  /** Everything the Serial1 console sent so far. */
  output(): string;
  /** Output since the last call to `take`. */
  take(): string;
  /** Types a line (with "\n") on the console and runs the board for `ms` (default 1). */
  type(line: string, ms?: number): string;
  /** Evaluates without the REPL and returns the value (throws what the code throws). */
  value(source: string): unknown;
}

export function startBoard(options?: Partial<VirtualBoardOptions<SteadyCell>>): TestBoard;
export function startBoard<Cell extends BoardCell>(options: Partial<VirtualBoardOptions<Cell>> & { cell: Cell }): TestBoard<Cell>;
export function startBoard(options: Partial<VirtualBoardOptions> = {}): TestBoard<BoardCell> {
  const clock = options.clock ?? new VirtualClock();
  const board = new VirtualBoard({ busyLoopLimitMs: 200, ...options, cell: options.cell ?? new SteadyCell(), clock, powerOn: false });
  let all = '';
  let mark = 0;
  board.console.onOutput((bytes) => (all += bytes));
  if (options.powerOn ?? true) {
    board.powerOn();
    board.settle();
  }
  const take = () => {
    const text = all.slice(mark);
    mark = all.length;
    return text;
  };
  return {
    board,
    clock,
    output: () => all,
    take,
    type(line, ms = 1) {
      take();
      board.console.input(line.endsWith('\n') ? line : line + '\n');
      board.run(ms);
      return take();
    },
    value(source) {
      const outcome = board.evaluate(source);
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
  };
}

/** Lines printed by print()/console.log (the REPL's prompt and echo removed). */
export function printed(text: string): string[] {
  return text
    .split('\r\n')
    .map((l) => l.replace(/^>(\r\x1b\[J)?/, '').replace(/^\r?\x1b\[J/, ''))
    .filter((l) => l.length > 0);
}
