/**
 * Espruino 2v25+ packets (protocols/espruino/packet.ts: DLE SOH, a big-endian
 * type|length word, the data), valid ones first: EVAL, EVENT, FILE_SEND and
 * its DATA, FILE_RECV, RESPONSE; then mutated (bits, bytes, the length word,
 * cut short, joined, repeated, the DLE SOH lost or doubled) and sent as one
 * or more bursts, each after a newline (a packet starts on an empty line).
 */
import { encodePacket, PacketType } from '../../protocols/espruino/packet';
import { SeededRandom } from '../../sim/clock/seeded-random';
import { chance, mutate, pick, randomBytes } from '../pick';
import type { ConsoleStep } from './console-bytes';

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);
const packet = (type: number, data: string) => latin1(encodePacket(type, Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));

function validPackets(rng: SeededRandom): string[] {
  const name = pick(rng, ['f', 'app.js', '.bootcde', 'x'.repeat(rng.int(1, 40)), '', '\xff\x00', 'log']);
  const data = pick(rng, ['hello', '', 'print(1)', randomBytes(rng, rng.int(1, 300)), '\x10\x01\x03\r\n']);
  const size = pick(rng, [data.length, data.length + rng.int(1, 50), 0, -1, 1e12, 2147483645, 40960, '12', null]);
  const spec = JSON.stringify({ fn: name, s: size });
  return [
    packet(PacketType.EVAL, pick(rng, ['1+1', 'print("x")', '{a:1}', 'throw 1', 'E.getTemperature()', '"' + randomBytes(rng, 10), 'for(;;){}'])),
    packet(PacketType.EVENT, pick(rng, ['{"t":1}', 'null', '[', '{"a":' + '['.repeat(rng.int(1, 200)), '1e999'])),
    packet(PacketType.FILE_SEND, pick(rng, [spec, '{fn:"a",s:3}', '{}', '{"fn":"a","s":3,"fs":1}', '{"fn":"a","s":3,"c":1}', 'x'])),
    packet(PacketType.DATA, data),
    packet(PacketType.FILE_RECV, JSON.stringify({ fn: name })),
    packet(PacketType.RESPONSE, 'undefined'),
    packet(rng.int(0, 7) << 13, randomBytes(rng, rng.int(0, 20))),
  ];
}

export function packetFramesCase(seed: number): ConsoleStep[] {
  const rng = new SeededRandom(seed);
  const valid = validPackets(rng);
  const steps: ConsoleStep[] = [];
  const count = rng.int(1, 5);
  for (let i = 0; i < count; i++) {
    let bytes = pick(rng, valid);
    if (i === 0 && chance(rng, 0.3)) bytes = valid[2]! + valid[3]!; // a whole file transfer
    if (chance(rng, 0.8)) bytes = mutate(rng, bytes, rng.int(1, 4));
    if (chance(rng, 0.1)) bytes = bytes.repeat(rng.int(2, 5));
    steps.push({ bytes: (chance(rng, 0.85) ? '\n' : '') + bytes, thenMs: pick(rng, [0, 1, 20, 1100]) });
  }
  return steps;
}
