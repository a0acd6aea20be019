/**
 * The Puck.js's own parts on the nRF52832's pins, as Espruino names them
 * (boards/PUCKJS.py): LED1 = D5 red, LED2 = D4 green, LED3 = D3 blue, lit
 * when high; BTN = BTN1 = D0, high while pressed (input_pulldown). The one
 * statement of these facts: the firmware's pin globals (api/install-io.ts),
 * the board's button, the power model's LEDs and the rigs' LED probes read
 * them here.
 */
export const PUCKJS_LEDS = { LED1: 5, LED2: 4, LED3: 3 } as const;

export type PuckjsLed = keyof typeof PUCKJS_LEDS;

export const PUCKJS_BUTTON = 0;

/** The names Espruino gives Puck.js pins besides D0-D31. */
export const PUCKJS_PIN_NAMES: Readonly<Record<string, number>> = { ...PUCKJS_LEDS, BTN1: PUCKJS_BUTTON, BTN: PUCKJS_BUTTON };

/** Built-in buttons: setWatch gives them other defaults, and they idle pulled down. */
export const BUTTON_PINS: readonly number[] = [PUCKJS_BUTTON];
