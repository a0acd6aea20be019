import { flash } from './led';

/** Edge debounce for the strap's dome button (ms). */
const DEBOUNCE_MS = 25;

export interface ButtonPress {
  heldMs: number;
  long: boolean;
}

/** Reports each press on release, classified by how long it was held. */
export function watchButton(longPressMs: number, onPress: (press: ButtonPress) => void): number {
  return setWatch(
    function (e) {
      if (e.state) {
        LED3.write(true);
        return;
      }
      LED3.write(false);
      const heldMs = Math.round((e.time - e.lastTime) * 1000);
      const long = heldMs >= longPressMs;
      if (long) flash(LED1, 200);
      onPress({ heldMs: heldMs, long: long });
    },
    BTN,
    { edge: 'both', repeat: true, debounce: DEBOUNCE_MS },
  );
}
