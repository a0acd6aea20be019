import { flash } from './led';

/** Edge debounce for the strap's dome button (ms). */
const DEBOUNCE_MS = 25;

export interface ButtonPress {
  heldMs: number;
  long: boolean;
}

/**
 * Calls `onEdge` on each edge of the dome button. The caller's function is the watch's callback itself, and
 * reads the press with `pressOf`: one function kept for the button rather than a watch callback that calls
 * the caller's (each function kept costs RAM for as long as the strap runs).
 */
export function watchButton(onEdge: (e: WatchEvent) => void): number {
  return setWatch(onEdge, BTN, { edge: 'both', repeat: true, debounce: DEBOUNCE_MS });
}

/**
 * One edge of the button: LED3 lights while it is held; on release, the press, classified by how long it
 * was held (a long one flashes LED1). Undefined on the press edge.
 */
export function pressOf(e: WatchEvent, longPressMs: number): ButtonPress | undefined {
  if (e.state) {
    LED3.write(true);
    return undefined;
  }
  LED3.write(false);
  const heldMs = Math.round((e.time - e.lastTime) * 1000);
  const long = heldMs >= longPressMs;
  if (long) flash(LED1, 200);
  return { heldMs: heldMs, long: long };
}
