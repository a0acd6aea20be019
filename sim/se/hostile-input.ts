/**
 * Seeded generators of hostile input for the secure element: command APDUs
 * (valid ones from the SE's own command set, then mutated: bits, bytes, Lc/Le,
 * cut, extended, random) and T=1 blocks (valid I/R/S blocks, mutated, with the
 * CRC left broken or recomputed so the mutation reaches the protocol logic).
 * The same seed gives the same inputs. Used by sim/se/se-fuzz.test.ts and
 * available to the fuzz suite.
 */
import type { SeededRandom } from '../clock/seeded-random';
import { NAD_HOST_TO_SE, SBlockType, crc16X25, encodeBlock } from '../../protocols/t1/block';
import type { SBlockKind } from '../../protocols/t1/block';
import { concatBytes } from '../../protocols/bytes';

const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));

/** Valid commands the SE knows, on both interfaces. */
export const APDU_CORPUS: readonly Uint8Array[] = [
  '00A4040000', '00A4040008A00000015100000000', '00A4040007A000000003101000', '00A4040205A00000000300', '00A4040C07A0000000031010',
  '8050300008000102030405060700', '84820300100011223344556677889900AABBCCDDEEFF',
  '80F24002024F0000', '80F28002024F0000', '80E620000D000007A000000003101000000000', '80E2800003010203', '80F0408007A0000000031010',
  '80E40000094F07A0000000031010', '0070000001', '0070800100', '00C0000000', '01A4040007A000000003101000',
  '8001000003AABBCC00', '800201000000', '8003000000', '8004000002CAFE', '8005000000', '80060001',
  '00B2010C00', '80A8000002830000', '80AE8000', '84F2200208C9811B11F1264CF1',
].map(hex);

export function randomApdu(rng: SeededRandom): Uint8Array {
  const base = APDU_CORPUS[rng.int(0, APDU_CORPUS.length - 1)]!;
  switch (rng.int(0, 9)) {
    case 0: return base;
    case 1: return randomBytes(rng, rng.int(0, 12));
    case 2: return randomBytes(rng, rng.int(0, 300));
    case 3: { // a wrong Lc
      const out = base.slice();
      if (out.length > 4) out[4] = rng.int(0, 255);
      return out;
    }
    case 4: return base.slice(0, rng.int(0, base.length)); // cut
    case 5: return concatBytes(base, randomBytes(rng, rng.int(1, 8))); // extra bytes
    case 6: { // extended-length forms, sometimes inconsistent
      const data = randomBytes(rng, rng.int(0, 600));
      const lc = rng.next() < 0.7 ? data.length : rng.int(0, 0xffff);
      return concatBytes(base.subarray(0, 4), Uint8Array.of(0, lc >> 8, lc & 0xff), data, rng.next() < 0.5 ? Uint8Array.of(rng.int(0, 255), rng.int(0, 255)) : new Uint8Array(0));
    }
    case 7: { // CLA and INS of every value
      const out = base.slice();
      out[0] = rng.int(0, 255);
      if (rng.next() < 0.5) out[1] = rng.int(0, 255);
      return out;
    }
    default: return mutateBytes(rng, base, rng.int(1, 4));
  }
}

/** A block frame from the host: valid, mutated with the CRC broken, or mutated with the CRC recomputed. */
export function randomT1Frame(rng: SeededRandom, state: { ns: 0 | 1 }): Uint8Array {
  const valid = validBlock(rng, state);
  const roll = rng.int(0, 9);
  if (roll < 4) return valid;
  if (roll === 4) return randomBytes(rng, rng.int(0, 270));
  const mutated = mutateBytes(rng, valid, rng.int(1, 3));
  if (roll < 7 || mutated.length < 5) return mutated;
  return withCrc(mutated);
}

function validBlock(rng: SeededRandom, state: { ns: 0 | 1 }): Uint8Array {
  const kind = rng.int(0, 9);
  if (kind < 5) {
    const apdu = randomApdu(rng).subarray(0, 254);
    const more = rng.next() < 0.2;
    const ns = rng.next() < 0.9 ? state.ns : ((state.ns ^ 1) as 0 | 1);
    state.ns = (ns ^ 1) as 0 | 1;
    return encodeBlock({ type: 'I', nad: NAD_HOST_TO_SE, ns, more, inf: apdu });
  }
  if (kind < 7) return encodeBlock({ type: 'R', nad: NAD_HOST_TO_SE, nr: rng.int(0, 1) as 0 | 1, error: (['none', 'crc', 'other', 'undefined'] as const)[rng.int(0, 3)]! });
  const kinds = Object.keys(SBlockType) as SBlockKind[];
  const s = kinds[rng.int(0, kinds.length - 1)]!;
  const response = rng.next() < 0.2;
  const inf = s === 'ifs' || s === 'wtx' ? Uint8Array.of(rng.int(0, 255)) : new Uint8Array(0);
  if (s === 'resynch' || s === 'soft-reset' || s === 'chip-reset') state.ns = 0;
  return encodeBlock({ type: 'S', nad: NAD_HOST_TO_SE, kind: s, response, inf });
}

export function withCrc(frame: Uint8Array): Uint8Array {
  const out = frame.slice();
  const crc = crc16X25(out.subarray(0, out.length - 2));
  out[out.length - 2] = crc & 0xff;
  out[out.length - 1] = crc >> 8;
  return out;
}

export function mutateBytes(rng: SeededRandom, input: Uint8Array, rounds: number): Uint8Array {
  let out: Uint8Array = input.slice();
  for (let r = 0; r < rounds; r++) {
    const at = rng.int(0, Math.max(0, out.length - 1));
    switch (rng.int(0, 4)) {
      case 0: if (out.length) out[at] = out[at]! ^ (1 << rng.int(0, 7)); break;
      case 1: if (out.length) out[at] = rng.int(0, 255); break;
      case 2: out = concatBytes(out.subarray(0, at), Uint8Array.of(rng.int(0, 255)), out.subarray(at)); break;
      case 3: out = concatBytes(out.subarray(0, at), out.subarray(at + 1)); break;
      default: out = out.slice(0, at); break;
    }
  }
  return out;
}

export function randomBytes(rng: SeededRandom, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => rng.int(0, 255));
}

