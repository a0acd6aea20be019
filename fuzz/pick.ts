/** Small helpers over the seeded generator for the fuzz generators. */
import type { SeededRandom } from '../sim/clock/seeded-random';

export function pick<T>(rng: SeededRandom, items: readonly T[]): T {
  return items[rng.int(0, items.length - 1)]!;
}

export function chance(rng: SeededRandom, p: number): boolean {
  return rng.next() < p;
}

/** `length` random bytes (latin1). */
export function randomBytes(rng: SeededRandom, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(rng.int(0, 255));
  return s;
}

/** One of a few mutations of `text` (latin1): flip a bit, replace, insert, delete, duplicate or cut a slice. */
export function mutate(rng: SeededRandom, text: string, rounds = 1): string {
  let s = text;
  for (let r = 0; r < rounds; r++) {
    const at = rng.int(0, Math.max(0, s.length - 1));
    switch (rng.int(0, 6)) {
      case 0:
        if (s.length) s = s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << rng.int(0, 7))) + s.slice(at + 1);
        break;
      case 1:
        s = s.slice(0, at) + String.fromCharCode(rng.int(0, 255)) + s.slice(at + 1);
        break;
      case 2:
        s = s.slice(0, at) + randomBytes(rng, rng.int(1, 4)) + s.slice(at);
        break;
      case 3:
        s = s.slice(0, at) + s.slice(at + rng.int(1, 4));
        break;
      case 4: {
        const len = rng.int(1, 8);
        s = s.slice(0, at) + s.slice(at, at + len).repeat(rng.int(2, 5)) + s.slice(at + len);
        break;
      }
      case 5:
        s = s.slice(0, rng.int(0, s.length));
        break;
      default: {
        // an interesting byte: a console control or a frame separator
        const special = pick(rng, ['\x00', '\x03', '\x10', '\x01', '\x1b', '\r', '\n', '\x15', '|', '"', '\\', '\xff', '\x1e']);
        s = s.slice(0, at) + special + s.slice(at);
      }
    }
  }
  return s;
}
