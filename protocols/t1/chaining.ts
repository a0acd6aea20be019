/**
 * T=1 chaining as pure functions: an APDU cut into I-blocks no larger than the
 * receiver's IFS, and a chain of I-blocks joined back into one APDU.
 *
 * Sources: NXP UM11225 rev 1.2 2.1.1.2.1 (the M bit: "more data" follows in
 * the next I-block) and 2.1.2.1 (IFS: the largest INF a receiver accepts; the
 * host's IFSD and the SE's IFSC, changed with S(IFS)); ISO/IEC 7816-3:2006
 * 11.4.2 (IFSC/IFSD, 1-254) and 11.6.2.1 (chaining: every I-block but the last
 * has M = 1; N(S) alternates 0, 1, 0, ... from block to block, continuing
 * from the sender's previous I-block across APDUs; each chained block is
 * acknowledged by an R-block carrying the next N(S) expected, which is the
 * driver's business, not this module's).
 */
import { MAX_INF } from './block';

/** One I-block of a chain, before NAD and CRC are added (block.ts encodes it). */
export interface ChainBlock {
  type: 'I';
  nad: number;
  ns: 0 | 1;
  more: boolean;
  inf: Uint8Array;
}

/**
 * Cut `apdu` into I-blocks of at most `ifs` INF bytes, the first carrying
 * `firstNs`. An empty APDU gives one I-block with an empty INF.
 */
export function segmentApdu(apdu: Uint8Array, ifs: number, firstNs: 0 | 1, nad: number): ChainBlock[] {
  if (!Number.isInteger(ifs) || ifs < 1 || ifs > MAX_INF) throw new RangeError(`IFS ${ifs} is not 1-${MAX_INF}`);
  const blocks: ChainBlock[] = [];
  let ns = firstNs;
  for (let at = 0; at < apdu.length || blocks.length === 0; at += ifs) {
    const end = Math.min(at + ifs, apdu.length);
    blocks.push({ type: 'I', nad, ns, more: end < apdu.length, inf: apdu.slice(at, end) });
    ns = (ns ^ 1) as 0 | 1;
  }
  return blocks;
}

/** The N(S) the sender uses after a chain that started with `firstNs` and had `count` blocks. */
export function nextSendSequence(firstNs: 0 | 1, count: number): 0 | 1 {
  return ((firstNs + count) % 2) as 0 | 1;
}

export type ChainErrorKind = 'empty' | 'not-ended' | 'ended-early' | 'sequence' | 'too-long';
export type ChainResult = { ok: true; value: Uint8Array } | { ok: false; error: { kind: ChainErrorKind; index: number; detail: string } };

/**
 * Join a received chain: every block but the last must have M = 1, the last
 * M = 0, and N(S) must alternate. `maxLength` bounds the result (an extended
 * APDU is at most 65544 bytes).
 */
export function reassembleChain(blocks: readonly Pick<ChainBlock, 'ns' | 'more' | 'inf'>[], maxLength = 65544): ChainResult {
  if (blocks.length === 0) return { ok: false, error: { kind: 'empty', index: 0, detail: 'no I-block' } };
  let total = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const last = i === blocks.length - 1;
    if (!last && !block.more) return { ok: false, error: { kind: 'ended-early', index: i, detail: `block ${i} has M = 0 but ${blocks.length - 1 - i} follow` } };
    if (last && block.more) return { ok: false, error: { kind: 'not-ended', index: i, detail: 'the last block has M = 1' } };
    if (i > 0 && block.ns === blocks[i - 1]!.ns) return { ok: false, error: { kind: 'sequence', index: i, detail: `N(S) ${block.ns} repeated` } };
    total += block.inf.length;
    if (total > maxLength) return { ok: false, error: { kind: 'too-long', index: i, detail: `more than ${maxLength} bytes` } };
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const block of blocks) {
    out.set(block.inf, at);
    at += block.inf.length;
  }
  return { ok: true, value: out };
}
