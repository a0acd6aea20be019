/**
 * Seeded fuzz of the payment applet: 24,000 random and mutated APDUs on both
 * interfaces, through the test card's stand-in runtime and straight into
 * Applet.process. The applet never throws, answers only the status words it
 * documents, and never gives the same ATC to two GPO answers. Same seed,
 * same cases (a failure prints the seed and case number to replay).
 */
import { describe, expect, it } from 'vitest';
import { encodeCommandApdu, parseCommandApdu } from '../../../protocols/iso7816/apdu';
import type { CommandApdu } from '../../../protocols/iso7816/apdu';
import { findTag, parseTlv } from '../../../protocols/ber-tlv/tlv';
import { SeededRandom } from '../../clock/seeded-random';
import { deriveIccMasterKey } from '../../emv/key-derivation';
import type { SeInterface } from '../applet';
import { PPSE_AID } from './ppse-applet';
import { VISA_AID } from './payment-applet';
import { personalizationCommands } from './personalization';
import { personalizedCard, sw } from './testing/test-card';

const CASES = 24_000;
const SEED = 20261206;
/** What the applet (and the stand-in runtime's codec) may answer. */
const LEGAL = new Set([0x9000, 0x6700, 0x6a80, 0x6a82, 0x6a83, 0x6a86, 0x6a88, 0x6985, 0x6d00, 0x6e00]);

const PAN = '4761739001010010';
const PROFILE = { iccMasterKey: deriveIccMasterKey(new Uint8Array(16).fill(0x11), PAN, '00'), pan: PAN, expiry: { year: 2030, month: 1 } };
const PDOL_DATA = Uint8Array.from([0x36, 0, 0x40, 0, 0, 0, 0, 0, 0x12, 0x50, 0, 0, 0, 0, 0, 0, 0x02, 0x76, 0, 0, 0, 0, 0, 0x09, 0x78, 0x26, 0x12, 0x06, 0, 1, 2, 3, 4]);

const SEEDS: CommandApdu[] = [
  { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: PPSE_AID, ne: 256 },
  { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: VISA_AID, ne: 256 },
  { cla: 0x80, ins: 0xa8, p1: 0x00, p2: 0x00, data: Uint8Array.of(0x83, PDOL_DATA.length, ...PDOL_DATA), ne: 256 },
  { cla: 0x00, ins: 0xb2, p1: 0x01, p2: 0x0c, data: new Uint8Array(0), ne: 256 },
  { cla: 0x80, ins: 0xca, p1: 0x9f, p2: 0x36, data: new Uint8Array(0), ne: 256 },
  { cla: 0x80, ins: 0xca, p1: 0xdf, p2: 0x20, data: new Uint8Array(0), ne: 256 },
  { cla: 0x80, ins: 0xc4, p1: 0x01, p2: 0x00, data: new Uint8Array(0) },
  { cla: 0x80, ins: 0xc6, p1: 0x02, p2: 0x00, data: new Uint8Array(0) },
  { cla: 0x80, ins: 0xc6, p1: 0x01, p2: 0x00, data: new Uint8Array(0) },
  ...personalizationCommands(PROFILE),
];

function mutate(random: SeededRandom, bytes: Uint8Array): Uint8Array {
  const out = [...bytes];
  const rounds = random.int(1, 3);
  for (let r = 0; r < rounds; r++) {
    switch (random.int(0, 6)) {
      case 0: if (out.length) out[random.int(0, out.length - 1)] = random.int(0, 255); break; // a random byte
      case 1: if (out.length) out[random.int(0, out.length - 1)]! ^= 1 << random.int(0, 7); break; // a bit flip
      case 2: out.length = random.int(0, out.length); break; // truncated
      case 3: for (let n = random.int(1, 8); n > 0; n--) out.push(random.int(0, 255)); break; // extended
      case 4: if (out.length > 4) out[4] = random.int(0, 255); break; // Lc
      case 5: if (out.length > 6) out[5] = [0x83, 0x70, 0x00, 0xff, 0x9f, 0x81, 0x84][random.int(0, 6)]!; break; // the data's first tag
      default: if (out.length > 6) out[6] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff][random.int(0, 6)]!; break; // the data's first length
    }
  }
  return Uint8Array.from(out);
}

/** A mutation inside the data field, re-encoded so Lc stays right: the applet's own checks get the case. */
function mutateData(random: SeededRandom, command: CommandApdu): Uint8Array {
  const data = [...mutate(random, Uint8Array.of(0, 0, 0, 0, 0, ...command.data)).subarray(5)];
  const p = random.next();
  const head = p < 0.1 ? { p1: random.int(0, 255) } : p < 0.2 ? { p2: random.int(0, 255) } : {};
  return encodeCommandApdu({ ...command, ...head, data: Uint8Array.from(data.slice(0, 255)) });
}

function randomApdu(random: SeededRandom): Uint8Array {
  const out = [random.int(0, 255), random.int(0, 255), random.int(0, 255), random.int(0, 255)];
  if (random.next() < 0.5) out[0] = [0x00, 0x80, 0x84][random.int(0, 2)]!;
  if (random.next() < 0.5) out[1] = [0xa4, 0xa8, 0xb2, 0xca, 0xe2, 0xc4, 0xc6][random.int(0, 6)]!;
  for (let n = random.int(0, 40); n > 0; n--) out.push(random.int(0, 255));
  return Uint8Array.from(out);
}

describe('payment applet fuzz', () => {
  it(`answers ${CASES} random and mutated APDUs with documented status words, never throwing, never reusing an ATC`, () => {
    const random = new SeededRandom(SEED);
    let world = personalizedCard(PROFILE);
    let atcs = new Set<string>();
    const counts = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      if (i % 500 === 0) { world = personalizedCard(PROFILE); atcs = new Set(); }
      const { card, payment } = world;
      const via: SeInterface = random.next() < 0.75 ? 'contactless' : 'host';
      if (random.next() < 0.05) card.fieldOff();
      const seed = SEEDS[random.int(0, SEEDS.length - 1)]!;
      if (seed.ins === 0xa8 && random.next() < 0.7) card.send('contactless', encodeCommandApdu(SEEDS[1]!));
      const pick = random.next();
      const bytes = pick < 0.15 ? encodeCommandApdu(seed) : pick < 0.45 ? mutate(random, encodeCommandApdu(seed)) : pick < 0.8 ? mutateData(random, seed) : randomApdu(random);
      let status: number;
      let response: Uint8Array;
      try {
        const parsed = parseCommandApdu(bytes);
        if (random.next() < 0.3 && parsed.ok && parsed.value.ins !== 0xa4) {
          const answer = payment.process(parsed.value, { store: card.stores.get(payment)!, via, notify: () => {} });
          status = answer.sw;
          response = answer.data;
        } else {
          const raw = card.send(via, bytes);
          status = sw(raw);
          response = raw.subarray(0, raw.length - 2);
        }
      } catch (error) {
        throw new Error(`seed ${SEED} case ${i}: ${Buffer.from(bytes).toString('hex')} threw ${String(error)}`);
      }
      if (!LEGAL.has(status)) throw new Error(`seed ${SEED} case ${i}: ${Buffer.from(bytes).toString('hex')} answered ${status.toString(16)}`);
      counts.set(status, (counts.get(status) ?? 0) + 1);
      if (status === 0x9000 && response[0] === 0x77) {
        const nodes = parseTlv(response);
        const atc = nodes.ok ? findTag(nodes.value, 0x9f36)?.value : undefined;
        const key = Buffer.from(atc ?? []).toString('hex');
        if (!atc || atcs.has(key)) throw new Error(`seed ${SEED} case ${i}: ATC ${key} reused or missing`);
        atcs.add(key);
      }
    }
    // The cases reached the applet's paths, not only the codec's refusals.
    for (const expected of [0x9000, 0x6700, 0x6a80, 0x6a86, 0x6985, 0x6d00, 0x6e00]) expect(counts.get(expected) ?? 0).toBeGreaterThan(50);
  });
});
