/**
 * How a VirtualBoard is built: its options, among them the REPL it drives
 * (console/board-repl.ts; the real one is sim/board/repl/repl.ts, tests may
 * plug in another).
 */
import type { SeededRandom } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import type { BoardEnvironment } from './api/board-host';
import type { BoardCell } from './buses/supply-rail';
import type { ReplFactory } from './console/board-repl';
import type { BounceOptions } from './io/button-bounce';
import type { FlashMemory, FlashOptions } from './storage/flash-memory';

export interface VirtualBoardOptions<Cell extends BoardCell = BoardCell> {
  clock: VirtualClock;
  /** Seed for every random stream of the board (default 1). Ignored when `random` is given. */
  seed?: number | string;
  random?: SeededRandom;
  /** Keep Storage across boards by passing the same FlashMemory. */
  flash?: FlashMemory;
  flashOptions?: FlashOptions;
  /** The cell on the battery connector: what NRF.getBattery() reads (sim/power's LiPoCell on the strap). */
  cell: Cell;
  environment?: Partial<BoardEnvironment>;
  /** CPU-time limit for one run of JS before it counts as a busy loop (default 1000 ms; sim/clock/paced-driver.ts processCpuMs). */
  busyLoopLimitMs?: number;
  /** The JS variables the board has (default a Puck.js's 2,630): a test instrument that holds more than firmware would sets it higher. */
  memoryBlocks?: number;
  /** The firmware's clock (ms since the epoch) right after power-on (default 0: the RTC starts at the epoch, as on a Puck). */
  rtcStartMs?: number;
  /** Contact bounce of pressButton(); false for clean edges. */
  buttonBounce?: BounceOptions | false;
  /** The REPL to build (default: sim/board/repl/repl.ts createRepl). */
  createRepl?: ReplFactory;
  /** Power the board up in the constructor (default true). */
  powerOn?: boolean;
}
