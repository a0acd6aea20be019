/**
 * The board's pins as the parts around the chip see them: the seam where a
 * model outside sim/board attaches at a pin, as a part soldered to a pad. It
 * drives the pins wired to its outputs (the firmware reads them as inputs)
 * and watches the levels on the pins wired to its inputs (what the firmware
 * drives). The chip's own side, modes and output latches, is io/pin-bank.ts.
 */
import type { PinListener } from '../board-events';

export interface PinBus {
  /** The level the pin shows now, as a probe on it would read it. */
  level(pin: number): boolean;
  /** Drives the pin from outside the chip; undefined lets go of it. */
  drive(pin: number, level: boolean | undefined): void;
  /** Every change of a pin's level, with its board time. Returns the unsubscribe. */
  onChange(listener: PinListener): () => void;
}
