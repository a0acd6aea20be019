/**
 * The strap's own parts on Puck.js pads (pin names from Espruino's
 * boards/PUCKJS.py). Free pads only: not the button (D0), the LEDs (D3-D5),
 * the NFC antenna (D9/D10), capacitive sense (D11/D12), the magnetometer
 * (D17-D20), IR (D25/D26), the serial console (D28/D29), nor D1 (XL2, the
 * 32 kHz crystal pin on the nRF52832). D6-D8 are the SMD pads next to each
 * other on the board's edge ('left2'); I2C1 takes D13/D14 beside them, the
 * two pads of the same row that are neither the NFC antenna nor capacitive
 * sense, so the NFC controller and SE sit on one short bus with their IRQ
 * and enable lines. D2 (P0.02, an analog-capable pad on the other edge) is
 * free of all of those and takes the clasp contact. D30 (P0.30, on the
 * edge beside the console's D28/D29, neither of their lines) takes the NFC
 * controller's VEN: low holds it in hard power-down while card emulation
 * is off (a pull-down on the strap keeps it there while the pin floats at
 * reset). The virtual board maps
 * the same numbers to its parts (sim/strap/wiring.ts, STRAP_PINS).
 */

/** The NFC controller's interrupt line: high while the controller has an NCI packet for us (input). */
export const NFC_IRQ = D7;
/** The NFC controller's VEN: high powers it, low is its hard power-down (output). */
export const NFC_VEN = D30;
/** The secure element's power enable: high powers it (output). */
export const SE_EN = D8;
/** The haptic motor's driver: high runs the motor (output). */
export const HAPTIC = D6;
/** The clasp's contact: high while the clasp is closed, the strap worn (input, pulled down). */
export const CLASP = D2;
/** I2C1: the NFC controller ('28') and the secure element ('48'). */
export const I2C_SCL = D13;
export const I2C_SDA = D14;
