/**
 * The SE's transaction events as the NFC controller forwards them: an
 * RF_NFCEE_ACTION_NTF with trigger '10' (application initiation) whose data
 * is the EVT_TRANSACTION layout of ETSI TS 102 622 12.3.2, '81' AID and '82'
 * parameters; the payment applet's parameters are BER-TLV (EMV Book 3 Annex
 * A): '9F02' amount authorised (n12), '5F2A' currency (n3), '9F36' ATC,
 * '9F27' cryptogram information ('80' ARQC, '00' AAC), '9A' date, 'DF31'
 * why it declined. Kept for the phone: the last few, newest first.
 */
import type { Transaction } from '../console/rpc-types';

/** RF_NFCEE_ACTION_NTF trigger: an application's own event (NCI 2.0 Table 56). */
export const TRIGGER_APPLICATION = 0x10;
/** How many transactions the strap keeps (`payments.last`). */
export const KEPT_TRANSACTIONS = 5;

/** A transaction from an NFCEE action's data; undefined when it carries no ATC (not a payment's event) or is malformed. */
export function readTransaction(data: Uint8Array, upS: number): Transaction | undefined {
  const params = field(data, 0, data.length, 0x82);
  if (!params) return undefined;
  const atc = field(data, params[0], params[1], 0x9f36);
  const cid = field(data, params[0], params[1], 0x9f27);
  if (!atc || atc[1] - atc[0] !== 2 || !cid) return undefined;
  const amount = field(data, params[0], params[1], 0x9f02);
  const currency = field(data, params[0], params[1], 0x5f2a);
  return {
    atc: (data[atc[0]]! << 8) | data[atc[0] + 1]!,
    amount: amount ? bcd(data, amount[0], amount[1]) : 0,
    currency: currency ? bcd(data, currency[0], currency[1]) : 0,
    // b8-b7 of the CID: '10' ARQC goes online; '00' AAC is the card's decline (EMV Book 3 Table 15).
    outcome: (data[cid[0]]! & 0xc0) === 0x80 ? 'online' : 'declined',
    upS: upS,
  };
}

/** A transaction as `keep` keeps it: `atc,amount,currency,outcome,upS` (~20 characters hold a few variables on Espruino where an object holds ~10). */
export function record(tx: Transaction): string {
  return [tx.atc, tx.amount, tx.currency, tx.outcome, tx.upS].join(',');
}

/** The kept transactions as one string: newest first, each a `record`, `;` between them. `log` with `newest` first, at most KEPT_TRANSACTIONS. */
export function keep(log: string, newest: string): string {
  const all = log ? log.split(';') : [];
  all.unshift(newest);
  return all.slice(0, KEPT_TRANSACTIONS).join(';');
}

/** The transactions `keep` wrote into `log`, newest first. */
export function kept(log: string): Transaction[] {
  if (!log) return [];
  return log.split(';').map(function (record) {
    const f = record.split(',');
    return { atc: +f[0]!, amount: +f[1]!, currency: +f[2]!, outcome: f[3] as Transaction['outcome'], upS: +f[4]! };
  });
}

/** `12.50 EUR`: the amount in major units (two decimals, as the euro's) and the currency, EUR or its ISO 4217 number. */
export function money(tx: Pick<Transaction, 'amount' | 'currency'>): string {
  return (tx.amount / 100).toFixed(2) + ' ' + (tx.currency === 978 ? 'EUR' : tx.currency);
}

/** [start, end) of the value of the first `tag` among the BER-TLV objects in data[from, to) (one level; ISO/IEC 8825-1 tag and length forms). */
function field(data: Uint8Array, from: number, to: number, tag: number): [number, number] | undefined {
  let i = from;
  while (i < to) {
    let t = data[i++]!;
    // A multi-byte tag: subsequent bytes while b8 is set (ISO/IEC 8825-1 8.1.2.4).
    if ((t & 0x1f) === 0x1f) {
      let more = true;
      while (more && i < to) {
        more = (data[i]! & 0x80) !== 0;
        t = (t << 8) | data[i++]!;
      }
    }
    let len = data[i++]!;
    if (len === 0x81) len = data[i++]!;
    else if (len > 0x81 || i > to) return undefined;
    if (i + len > to) return undefined;
    if (t === tag) return [i, i + len];
    i += len;
  }
  return undefined;
}

/** Packed BCD digits as a number (EMV format n). */
function bcd(data: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 100 + (data[i]! >> 4) * 10 + (data[i]! & 15);
  return n;
}
