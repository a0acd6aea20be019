/**
 * The strap's wiring: which of its parts sits on which pin of the Puck.js,
 * and which device on which bus address. The simulator (sim/scenario,
 * sim/power) and the HIL rigs read it; strap-pins.test.ts proves that the
 * firmware's own pin file, firmware/board/strap-pins.ts, names the same pads.
 *
 * Pins: the strap keeps the Puck.js's button (BTN, D0) and its three LEDs
 * (LED1 red D5, LED2 green D4, LED3 blue D3), stated once as the board's own
 * description in sim/board/io/puckjs-pins.ts, and adds its parts on free
 * pads (firmware/board/strap-pins.ts says why those pads).
 *
 * Buses: the NFC controller (NCI, sim/nfc) and the secure element (T=1 over
 * I2C, sim/se) share the board's I2C1 (SCL D13, SDA D14) at their 7-bit
 * addresses (STRAP_I2C); sim/scenario/virtual-strap.ts attaches them. The
 * controller's IRQ line is an input the firmware watches; the SE's power
 * enable and the controller's VEN are outputs it drives (VEN low: the
 * controller's hard power-down, while card emulation is off).
 */

/** The strap's own parts on Puck.js pads, named as the firmware names them. */
export const STRAP_PINS = {
  /** The NFC controller's interrupt line, an input: high while the controller has an NCI packet for the host. */
  NFC_IRQ: 7,
  /** The NFC controller's VEN, an output: high powers it, low holds it in hard power-down. */
  NFC_VEN: 30,
  /** The secure element's power enable, an output: high powers it. */
  SE_EN: 8,
  /** The haptic motor's driver, an output: high runs the motor. */
  HAPTIC: 6,
  /** The clasp's contact, an input (pulled down): high while the clasp is closed, the strap on a wrist. */
  CLASP: 2,
  /** I2C1's clock and data lines (the NFC controller and the SE). */
  I2C_SCL: 13,
  I2C_SDA: 14,
} as const;

/** The devices on I2C1, by 7-bit address. */
export const STRAP_I2C = {
  /** The NFC controller (PN7150 / SN1x0 class, NXP UM10936 default '28'). */
  NFCC: 0x28,
  /** The secure element's host interface (SE050 default '48', NXP UM11225). */
  SE: 0x48,
} as const;
