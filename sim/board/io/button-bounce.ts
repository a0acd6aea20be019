/**
 * Contact bounce of a dome button, seeded: on press and on release the
 * contact chatters for a few milliseconds before it settles (typical tactile
 * switches settle within 1–5 ms; Espruino's 25 ms default debounce for
 * built-in buttons covers it). The model gives the times (ms after the
 * nominal edge) at which the level toggles; the last toggle leaves the
 * contact in its new state.
 */
import type { SeededRandom } from '../../clock/seeded-random';
import type { BoardClock } from '../runtime/board-clock';

export interface BounceOptions {
  /** Largest number of extra toggle pairs (0 disables bounce). */
  maxBounces?: number;
  /** Range of one bounce interval in ms. */
  minIntervalMs?: number;
  maxIntervalMs?: number;
}

/** Offsets (ms) of each toggle; there is always an odd count, starting at 0. */
export function bounceOffsets(random: SeededRandom, options: BounceOptions = {}): number[] {
  const maxBounces = options.maxBounces ?? 3;
  const minMs = options.minIntervalMs ?? 0.1;
  const maxMs = options.maxIntervalMs ?? 1.5;
  const pairs = maxBounces > 0 ? random.int(0, maxBounces) : 0;
  const offsets = [0];
  let t = 0;
  for (let i = 0; i < pairs * 2; i++) {
    t += minMs + random.next() * (maxMs - minMs);
    offsets.push(Math.round(t * 1000) / 1000);
  }
  return offsets;
}

/**
 * Schedules the contact's toggles for a press (`down`) or a release at `atMs`
 * on the virtual clock; `bounce` false gives one clean edge.
 */
export function scheduleContact(
  clock: BoardClock,
  random: SeededRandom,
  bounce: BounceOptions | false,
  atMs: number,
  down: boolean,
  drive: (level: boolean) => void,
): void {
  const offsets = bounce === false ? [0] : bounceOffsets(random, bounce);
  offsets.forEach((offset, i) => {
    const level = i % 2 === 0 ? down : !down;
    clock.scheduleAt(atMs + offset, () => drive(level), 'board:button');
  });
}
