/**
 * A virtual strap: a virtual board with the firmware bundle in Storage as boot
 * code (as the espruino CLI's SAVE_ON_SEND leaves it), powered on, plus the
 * stimuli a scenario applies to it (a tap is a reader's field on the NFC
 * controller's IRQ line, sim/power/board-power.ts STRAP_PINS, until sim/nfc
 * models the controller itself).
 */
import { VirtualClock } from '../clock/virtual-clock';
import { FlashMemory } from '../board/storage/flash-memory';
import { VirtualBoard, type VirtualBoardOptions } from '../board/virtual-board';
import { STRAP_PINS } from '../power/board-power';
import type { ScenarioTarget } from './scenario';

export interface VirtualStrapOptions {
  /** The firmware bundle's text (dist/strap.js). */
  firmware: string;
  seed?: number | string;
  clock?: VirtualClock;
  /** Keep Storage across straps; a fresh, erased flash when absent. */
  flash?: FlashMemory;
  board?: Partial<VirtualBoardOptions>;
  /** Power on at once (default true); false lets the caller attach listeners first and call board.powerOn(). */
  powerOn?: boolean;
}

export interface VirtualStrap {
  clock: VirtualClock;
  board: VirtualBoard;
  target: ScenarioTarget;
}

export function createVirtualStrap(options: VirtualStrapOptions): VirtualStrap {
  const clock = options.clock ?? new VirtualClock();
  const board = new VirtualBoard({
    ...options.board,
    clock,
    seed: options.seed ?? 1,
    flash: options.flash,
    powerOn: false,
  });
  board.writeFile('.bootcde', options.firmware);
  if (options.powerOn ?? true) board.powerOn();
  return { clock, board, target: scenarioTarget(board) };
}

export function scenarioTarget(board: VirtualBoard): ScenarioTarget {
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
