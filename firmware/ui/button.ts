import { flash } from './led';

/** Edge debounce for the strap's dome button (ms). */
const DEBOUNCE_MS = 25;

export interface ButtonPress {
  heldMs: number;
  long: boolean;
}

// One button: what watchButton was given stays at module level, so the watch's callback is a top-level
// function (the cheapest closure on Espruino: firmware/ble/README.md, "Memory").
let longMs = 0;
let pressed: (press: ButtonPress) => void;

function edge(e: WatchEvent) {
  if (e.state) {
    LED3.write(true);
    return;
  }
  LED3.write(false);
  const heldMs = Math.round((e.time - e.lastTime) * 1000);
  const long = heldMs >= longMs;
  if (long) flash(LED1, 200);
  pressed({ heldMs: heldMs, long: long });
}

/** Reports each press on release, classified by how long it was held. */
export function watchButton(longPressMs: number, onPress: (press: ButtonPress) => void): number {
  longMs = longPressMs;
  pressed = onPress;
  return setWatch(edge, BTN, { edge: 'both', repeat: true, debounce: DEBOUNCE_MS });
}
