/**
 * Random console input: bytes of every value, Espruino's control sequences
 * (Ctrl-C, Ctrl-U/W/A/D/E, DLE, ESC sequences with and without their ends,
 * Alt-Enter, CR/LF mixes, XON/XOFF), starts of packets (DLE SOH and a header
 * whose data never comes or comes short) and fragments of code that open
 * brackets, strings, comments and templates. Fed in a few bursts with board
 * time between them.
 */
import { SeededRandom } from '../../sim/clock/seeded-random';
import { chance, pick, randomBytes } from '../pick';

export interface ConsoleStep {
  bytes: string;
  /** Board time after the bytes (ms). */
  thenMs: number;
}

const CONTROLS = [
  '\x03', '\x15', '\x17', '\x01', '\x04', '\x05', '\x10', '\x08', '\x7f', '\x00', '\t', '\r', '\n', '\r\n', '\n\r',
  '\x1b', '\x1b[', '\x1b[A', '\x1b[B', '\x1b[C', '\x1b[D', '\x1b[H', '\x1b[F', '\x1bO', '\x1bOF', '\x1bOH', '\x1bOM',
  '\x1b\n', '\x1b[1~', '\x1b[3~', '\x1b[4~', '\x1b[5~', '\x1b[6~', '\x1b[2H', '\x1b[12d', '\x1b[99999d', '\x1b[65535',
  '\x11', '\x13', '\x05', '\x1e',
];

const FRAGMENTS = [
  'print(', '1+1', '{', '}', '(', ')', '[', ']', '"', "'", '`', '${', '/*', '*/', '//', 'function f(){', 'var x=', 'reset()',
  'E.', 'LED1.', 'setTimeout(', 'while(', 'for(;;)', '\\', 'require("Storage")', ';', ',', 'undefined', 'new ', '=>',
];

/** A packet header (DLE SOH, type|length) with its data short, absent or long. */
function partialPacket(rng: SeededRandom): string {
  const type = rng.int(0, 7) << 13;
  const length = rng.int(0, 0x1fff);
  const header = String.fromCharCode(((type | length) >> 8) & 0xff, (type | length) & 0xff);
  const data = randomBytes(rng, Math.min(rng.int(0, 40), length + rng.int(-3, 3)));
  return '\x10\x01' + header.slice(0, rng.int(0, 2)) + (chance(rng, 0.7) ? header.slice(rng.int(0, 2)) : '') + data;
}

export function consoleBytesCase(seed: number): ConsoleStep[] {
  const rng = new SeededRandom(seed);
  const steps: ConsoleStep[] = [];
  const bursts = rng.int(1, 6);
  for (let b = 0; b < bursts; b++) {
    let bytes = '';
    const parts = rng.int(1, 8);
    for (let p = 0; p < parts; p++) {
      const what = rng.int(0, 9);
      if (what <= 2) bytes += randomBytes(rng, rng.int(1, 48));
      else if (what <= 5) bytes += pick(rng, CONTROLS);
      else if (what <= 7) bytes += pick(rng, FRAGMENTS);
      else if (what === 8) bytes += (chance(rng, 0.5) ? '\n' : '') + partialPacket(rng);
      else bytes += pick(rng, CONTROLS).repeat(rng.int(2, 30));
    }
    steps.push({ bytes, thenMs: pick(rng, [0, 0, 1, 5, 50, 500, 1100]) });
  }
  return steps;
}
