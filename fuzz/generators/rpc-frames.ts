/**
 * The strap's console RPC (protocols/strap-rpc/frame.ts): valid request
 * frames built with encodeRequest for every method of the contract, with odd
 * params, then mutated: the frame inside the string literal (bytes, the CRC,
 * the separators, the id, its length past MAX_REQUEST_BYTES) and, sometimes,
 * the `strap.rpc(...)` statement around it (an unbalanced quote or bracket,
 * a raw byte). Sent as the console client sends them: one DLE line each.
 */
import { METHODS } from '../../protocols/strap-rpc/contract';
import { MAX_REQUEST_BYTES, encodeRequest, requestStatement, sealFrame } from '../../protocols/strap-rpc/frame';
import { SeededRandom } from '../../sim/clock/seeded-random';
import { chance, mutate, pick, randomBytes } from '../pick';
import type { ConsoleStep } from './console-bytes';

const METHOD_NAMES = Object.keys(METHODS);
const PARAMS: unknown[] = [
  undefined, null, {}, [], 0, -1, 1e308, 'x', { from: -1 }, { from: 1e12 }, { name: '.bootcde' }, { name: '' }, { name: 'x'.repeat(60) },
  { pattern: '(a+)+$' }, { pattern: '[' }, { pattern: '.*' }, { delayMs: -5 }, { delayMs: 1e9 }, { a: { b: { c: [1, 2, 3] } } },
  { __proto__: { x: 1 } }, { constructor: 'x' },
];

function validFrame(rng: SeededRandom): string {
  const id = pick(rng, ['1', 'a1', 'fz_' + rng.int(0, 99999), 'x'.repeat(24)]);
  let method = pick(rng, METHOD_NAMES);
  if (method === 'reboot' && chance(rng, 0.8)) method = 'ping'; // a reboot now and then, not every tenth case
  const encoded = encodeRequest(id, method, pick(rng, PARAMS));
  return 'frame' in encoded ? encoded.frame : sealFrame(`${id}|ping|null`);
}

export function rpcFramesCase(seed: number): ConsoleStep[] {
  const rng = new SeededRandom(seed);
  const steps: ConsoleStep[] = [];
  const count = rng.int(1, 3);
  for (let i = 0; i < count; i++) {
    let frame = validFrame(rng);
    switch (rng.int(0, 5)) {
      case 0:
        break; // a valid frame among the mutants
      case 1:
        frame = mutate(rng, frame, rng.int(1, 3));
        break;
      case 2:
        frame = frame.replace(/\|[0-9a-f]{8}$/, '|' + randomBytes(rng, 8)); // a wrong CRC
        break;
      case 3:
        frame = sealFrame(mutate(rng, frame.slice(0, frame.lastIndexOf('|')), rng.int(1, 3))); // a mutant with a right CRC
        break;
      case 4:
        frame = sealFrame(`${rng.int(0, 9)}|${pick(rng, METHOD_NAMES)}|${'['.repeat(rng.int(1, 300))}`).padEnd(rng.int(0, 2 * MAX_REQUEST_BYTES), 'x');
        break;
      default:
        frame = frame.split('|').reverse().join('|');
    }
    let statement = requestStatement(frame);
    if (chance(rng, 0.2)) statement = mutate(rng, statement, rng.int(1, 2));
    steps.push({ bytes: '\x10' + statement + '\n', thenMs: pick(rng, [5, 20, 200]) });
  }
  return steps;
}
