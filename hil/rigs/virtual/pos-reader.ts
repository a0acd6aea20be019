/** The virtual strap's POS tap as a rig reports it (hil/rig/rig.ts PosTap): JSON-friendly, the cryptogram in hex. */
import type { StrapTap } from '../../../sim/scenario/strap-payment';
import type { PosTap } from '../../rig/rig';

export function posTap(tap: StrapTap): PosTap {
  const r = tap.result;
  return {
    outcome: tap.outcome,
    ...(r?.reason === undefined ? {} : { reason: r.reason }),
    ...(r?.atc === undefined ? {} : { atc: r.atc }),
    ...(r?.cryptogram === undefined ? {} : { cryptogram: Buffer.from(r.cryptogram).toString('hex').toUpperCase() }),
    ...(tap.issuer === undefined ? {} : { arc: tap.issuer.arc }),
    tapMs: tap.tapMs,
  };
}
