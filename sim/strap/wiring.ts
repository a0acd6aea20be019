/**
 * The strap's wiring: which of its parts sits on which pin of the Puck.js,
 * and which device on which bus address. The simulator (sim/scenario,
 * sim/power) and the HIL rigs read it; strap-pins.test.ts proves that the
 * firmware's own pin file, firmware/board/strap-pins.ts, names the same pads.
 *
 * Pins: the strap keeps the Puck.js's button (BTN, D0) and its three LEDs
 * (LED1 red D5, LED2 green D4, LED3 blue D3), stated once as the board's own
 * description in sim/board/io/puckjs-pins.ts, and adds three parts on free
 * pads (firmware/board/strap-pins.ts says why those pads).
 *
 * Buses: no device sits on I2C1 yet. The NFC controller (NCI) and the secure
 * element (T=1) attach to the board's I2C1 at their 7-bit addresses
 * (sim/board/buses/i2c-bus.ts) once sim/nfc and sim/se model them; until
 * then a reader's field is played on NFC_IRQ alone (sim/scenario/virtual-strap.ts).
 */

/** The strap's own parts on Puck.js pads, named as the firmware names them. */
export const STRAP_PINS = {
  /** The NFC controller's interrupt line, an input: high while a reader's field is present. */
  NFC_IRQ: 7,
  /** The secure element's power enable, an output: high powers it. */
  SE_EN: 8,
  /** The haptic motor's driver, an output: high runs the motor. */
  HAPTIC: 6,
} as const;
