/**
 * The board on its supply rail: the seam a power model attaches to. A Puck.js
 * runs straight off its battery, so the nRF52's VDD is the cell's terminal
 * voltage, which NRF.getBattery() and E.getAnalogVRef() read. The board
 * reports what draws current (boots, each run of JavaScript, pin levels,
 * hosts on the UART console, watches); a model of the rail switches it off
 * when the rail browns out and on again when it recovers. sim/power is that
 * model (sim/power/board-power.ts, with sim/power/cell.ts as the cell).
 */
import type { VirtualClock } from '../../clock/virtual-clock';
import type { BoardEventMap, Listener, PowerOffReason } from '../board-events';
import type { PinBus } from './pin-bus';

/** The cell on the board's battery connector, as the board reads it. */
export interface BoardCell {
  /** Volts at the cell's terminals under the present load. */
  terminalVolts(): number;
}

/** The board as a load on its rail: what it reports, and the switch the rail works. */
export interface BoardLoad {
  readonly clock: VirtualClock;
  readonly powered: boolean;
  readonly pins: PinBus;
  powerOn(): void;
  powerOff(reason: PowerOffReason): void;
  /** 'boot', 'powerOff', 'js' (each run of JavaScript) and 'link' (hosts on a console link). */
  on<K extends keyof BoardEventMap>(event: K, listener: Listener<BoardEventMap[K]>): () => void;
  link(name: 'Serial1'): { readonly listenerCount: number };
  stats(): { readonly watches: number };
}
