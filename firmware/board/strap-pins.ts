/**
 * The strap's own parts on Puck.js pads (pin names from Espruino's
 * boards/PUCKJS.py). Free pads only: not the button (D0), the LEDs (D3-D5),
 * the NFC antenna (D9/D10), capacitive sense (D11/D12), the magnetometer
 * (D17-D20), IR (D25/D26), the serial console (D28/D29), nor D1 (XL2, the
 * 32 kHz crystal pin on the nRF52832). D6-D8 are the SMD pads next to each
 * other on the board's edge ('left2'), left free for the NFC controller's I2C
 * (D13/D14) beside them. The virtual board maps the same numbers to its
 * power model (sim/power/board-power.ts, STRAP_PINS).
 */

/** The NFC controller's interrupt line: high while a reader's field is present (input). */
export const NFC_IRQ = D7;
/** The secure element's power enable: high powers it (output). */
export const SE_EN = D8;
/** The haptic motor's driver: high runs the motor (output). */
export const HAPTIC = D6;
