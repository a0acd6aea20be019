/**
 * How a VirtualBoard is built: its options and the REPL it drives (the real
 * one is sim/board/repl/repl.ts; tests may plug in another).
 */
import type { SeededRandom } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import type { BoardEnvironment } from './api/board-host';
import type { BoardCell } from './buses/supply-rail';
import type { BounceOptions } from './io/button-bounce';
import type { Repl, ReplOptions } from './console/console-contract';
import type { ErrorSite, PacketHost } from './repl/repl';
import type { FlashMemory, FlashOptions } from './storage/flash-memory';

/** The REPL as the board drives it (the real one is sim/board/repl/repl.ts). */
export interface BoardRepl extends Repl {
  /** End of one idle-loop pass: pending Ctrl-C, prompt redraw. */
  endLoopPass?(): void;
  /** reset()/load()/power-on: input, history and echo back to their start state. */
  resetConsoleState?(): void;
}

export interface BoardReplOptions extends ReplOptions {
  engine: ReplOptions['engine'] & { locateError?(error: unknown): ErrorSite | undefined };
  loop: 'board';
  /** Storage, events and the clock for Espruino's 2v25+ packet protocol (repl/packet-handler.ts). */
  packets: PacketHost;
}

export type ReplFactory = (options: BoardReplOptions) => BoardRepl;

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
  /** Wall-clock limit for one run of JS before it counts as a busy loop (default 1000 ms). */
  busyLoopLimitMs?: number;
  /** The firmware's clock (ms since the epoch) right after power-on (default 0: the RTC starts at the epoch, as on a Puck). */
  rtcStartMs?: number;
  /** Contact bounce of pressButton(); false for clean edges. */
  buttonBounce?: BounceOptions | false;
  /** The REPL to build (default: sim/board/repl/repl.ts createRepl). */
  createRepl?: ReplFactory;
  /** Power the board up in the constructor (default true). */
  powerOn?: boolean;
}
