import type { StrapTap } from './strap-payment';

/** ISO 4217 codes the simulator's terminals use, by number. */
export const CURRENCY_CODES: Readonly<Record<string, number>> = { EUR: 978, USD: 840, GBP: 826, CHF: 756, JPY: 392 };

export function currencyName(numeric: number): string {
  return Object.keys(CURRENCY_CODES).find((code) => CURRENCY_CODES[code] === numeric) ?? String(numeric).padStart(3, '0');
}

/** One line a person reads for a tap: the terminal's outcome, ATC, cryptogram, the issuer's answer, the tap's virtual time, the traces. */
export function describeTap(tap: StrapTap, request: { amountMinor: number; currency: number }): string {
  const amount = `${(request.amountMinor / 100).toFixed(2)} ${currencyName(request.currency)}`;
  const r = tap.result;
  const parts = [`POS ${tap.outcome === 'no-card' ? 'found no card' : tap.outcome} for ${amount}`];
  if (r?.reason) parts.push(`(${r.reason})`);
  if (r?.atc !== undefined) parts.push(`ATC ${r.atc}`);
  if (r?.cryptogram) parts.push(`${r.cid === 0x80 ? 'ARQC' : r.cid === 0x00 ? 'AAC' : 'AC'} ${hex(r.cryptogram)}`);
  if (tap.issuer) parts.push(`issuer ${tap.issuer.approved ? 'approved' : `declined ${tap.issuer.reason ?? ''}`.trim()} ARC ${tap.issuer.arc}${tap.issuer.arpc ? ` ARPC ${hex(tap.issuer.arpc)}` : ''}`);
  parts.push(`in ${tap.tapMs.toFixed(1)} ms`);
  let line = parts.join(', ').replace(/, \(/, ' (');
  if (tap.traces) line += `; traces ${tap.traces.pcap}, ${tap.traces.nciLog}`;
  return line;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
}
