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
import { SeededRandom } from '../clock/seeded-random';
import { STRAP_PINS } from '../strap/wiring';
import type { ScenarioTarget } from './scenario';
import { createStrapPayment, type StrapPayment } from './strap-payment';

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
  /** The clasp closed at start (default true: the strap is worn). */
  worn?: boolean;
  /** Where each tap's pcap and NCI log are written (none when absent). */
  traceDir?: string;
}

export interface VirtualStrap {
  clock: VirtualClock;
  board: VirtualBoard<LiPoCell>;
  payment: StrapPayment;
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
  const payment = createStrapPayment(board, { random: paymentRandom(options.seed ?? 1), traceDir: options.traceDir });
  board.pins.drive(STRAP_PINS.CLASP, options.worn ?? true);
  if (options.powerOn ?? true) board.powerOn();
  return { clock, board, payment, target: scenarioTarget(board, payment) };
}

export function scenarioTarget(board: VirtualBoard<LiPoCell>, payment: StrapPayment): ScenarioTarget {
  return {
    nowMs: () => board.clock.nowMs(),
    at: (atMs, run) => {
      board.clock.scheduleAt(atMs, run, 'scenario');
    },
    pressButton: (holdMs) => board.pressButton(holdMs),
    setBatteryPercent: (percent) => board.cell.setPercent(percent),
    typeOnConsole: (text) => board.console.input(text),
    powerCycle: (offMs) => board.powerCycle(offMs),
    // Started here; it drives the clock itself while in flight (strap-payment.ts).
    tap: (purchase) => {
      payment.tap(purchase).catch(() => undefined);
    },
    setClasp: (closed) => board.pins.drive(STRAP_PINS.CLASP, closed),
  };
}

/** The randomness the strap of this seed makes its payment parts from (its SE's token, its issuer: strap-payment.ts strapWorld). */
export function paymentRandom(seed: number | string): SeededRandom {
  return new SeededRandom(seed).fork('payment');
}
