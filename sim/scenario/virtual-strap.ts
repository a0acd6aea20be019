/**
 * A virtual strap: a virtual board with the strap's Li-Po cell on its battery
 * connector and the firmware bundle in Storage as boot code (as the espruino
 * CLI's SAVE_ON_SEND leaves it), powered on, plus the stimuli a scenario
 * applies to it (a tap is a reader's field on the NFC controller's IRQ line,
 * sim/strap/wiring.ts NFC_IRQ, until sim/nfc models the controller itself).
 * The power model is attached by whoever wants it (sim/power/board-power.ts).
 */
import type { FlashMemory } from '../board/storage/flash-memory';
import { VirtualBoard, type VirtualBoardOptions } from '../board/virtual-board';
import { VirtualClock } from '../clock/virtual-clock';
import { LiPoCell } from '../power/cell';
import { STRAP_PINS } from '../strap/wiring';
import type { ScenarioTarget } from './scenario';

export interface VirtualStrapOptions {
  /** The firmware bundle's text (dist/strap.js). */
  firmware: string;
  seed?: number | string;
  clock?: VirtualClock;
  /** Keep Storage across straps; a fresh, erased flash when absent. */
  flash?: FlashMemory;
  /** Board options; `cell` defaults to a fresh LiPoCell. */
  board?: Partial<VirtualBoardOptions<LiPoCell>>;
  /** Power on at once (default true); false lets the caller attach listeners first and call board.powerOn(). */
  powerOn?: boolean;
}

export interface VirtualStrap {
  clock: VirtualClock;
  board: VirtualBoard<LiPoCell>;
  target: ScenarioTarget;
}

export function createVirtualStrap(options: VirtualStrapOptions): VirtualStrap {
  const clock = options.clock ?? new VirtualClock();
  const board = new VirtualBoard({
    ...options.board,
    cell: options.board?.cell ?? new LiPoCell(),
    clock,
    seed: options.seed ?? 1,
    flash: options.flash,
    powerOn: false,
  });
  board.writeFile('.bootcde', options.firmware);
  if (options.powerOn ?? true) board.powerOn();
  return { clock, board, target: scenarioTarget(board) };
}

export function scenarioTarget(board: VirtualBoard<LiPoCell>): ScenarioTarget {
  return {
    nowMs: () => board.clock.nowMs(),
    at: (atMs, run) => {
      board.clock.scheduleAt(atMs, run, 'scenario');
    },
    pressButton: (holdMs) => board.pressButton(holdMs),
    setBatteryPercent: (percent) => board.cell.setPercent(percent),
    typeOnConsole: (text) => board.console.input(text),
    powerCycle: (offMs) => board.powerCycle(offMs),
    tap: (fieldMs) => {
      board.pins.drive(STRAP_PINS.NFC_IRQ, true);
      board.clock.scheduleIn(fieldMs, () => board.pins.drive(STRAP_PINS.NFC_IRQ, false), 'scenario:field-gone');
    },
  };
}
