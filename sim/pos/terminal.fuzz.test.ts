/**
 * The terminal against hostile cards: seeded random and mutated answers to
 * each of its commands. The kernel never throws and always ends the tap with
 * an outcome (a tap whose mutation missed every checked byte may still be approved).
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { IssuerHost } from '../cloud/issuer-host';
import { deriveIccMasterKey } from '../emv/key-derivation';
import { personalizedCard } from '../se/payment/testing/test-card';
import { PosTerminal } from './terminal';
import type { Outcome } from './terminal';

const CASES = 1000;
const SEED = 1206;
const IMK = new Uint8Array(16).fill(0x22);
const PAN = '4761739001010010';

function mutate(random: SeededRandom, bytes: Uint8Array): Uint8Array {
  const out = [...bytes];
  switch (random.int(0, 4)) {
    case 0: if (out.length) out[random.int(0, out.length - 1)] = random.int(0, 255); break;
    case 1: out.length = random.int(0, out.length); break;
    case 2: for (let n = random.int(1, 30); n > 0; n--) out.splice(random.int(0, out.length), 0, random.int(0, 255)); break;
    case 3: return Uint8Array.from({ length: random.int(0, 300) }, () => random.int(0, 255));
    default: if (out.length > 2) out[out.length - 2] = [0x61, 0x6c, 0x69, 0x90][random.int(0, 3)]!; break;
  }
  return Uint8Array.from(out);
}

describe('terminal fuzz: hostile cards', () => {
  it(`ends each of ${CASES} taps on a card with mutated answers with an outcome, never a throw`, async () => {
    const random = new SeededRandom(SEED);
    const outcomes = new Map<Outcome, number>();
    for (let i = 0; i < CASES; i++) {
      const issuer = new IssuerHost(IMK); // a new card each case starts its ATC again
      issuer.enrol({ pan: PAN, psn: '00', currency: 978, balanceMinor: 1e9 });
      const { card } = personalizedCard({ iccMasterKey: deriveIccMasterKey(IMK, PAN), pan: PAN, expiry: { year: 2030, month: 1 } });
      const victim = random.int(0, 5);
      let index = 0;
      const terminal = new PosTerminal({ country: 276, currency: 978, cvmLimitMinor: 1e6 }, { random: random.fork(`t${i}`), clock: new VirtualClock(), epochMs: 1.7e12, issuer });
      const link = {
        transceive: async (apdu: Uint8Array) => {
          const answer = card.send('contactless', apdu);
          return index++ === victim || random.next() < 0.05 ? mutate(random, answer) : answer;
        },
      };
      try {
        const result = await terminal.tap(link, { amountMinor: random.int(1, 9999) });
        outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
      } catch (error) {
        throw new Error(`seed ${SEED} case ${i} threw ${String(error)}`);
      }
    }
    expect(outcomes.get('card-error') ?? 0).toBeGreaterThan(100);
    expect(outcomes.get('approved') ?? 0).toBeGreaterThan(100);
  });
});
