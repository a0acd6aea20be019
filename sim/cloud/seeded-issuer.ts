/**
 * An issuer for the simulator's world, from a seed: its Issuer Master Key,
 * one token (a Visa test-range PAN with a seeded account number and its Luhn
 * check digit) enrolled with a euro account, and the token's profile as the
 * factory step personalizes it into the strap's secure element (MK-AC
 * derived from the IMK, EMV Book 2 A1.4.1 Option A).
 */
import type { SeededRandom } from '../clock/seeded-random';
import { deriveIccMasterKey } from '../emv/key-derivation';
import type { TokenProfile } from '../se/payment/personalization';
import { IssuerHost } from './issuer-host';

export interface SeededIssuer {
  issuer: IssuerHost;
  issuerMasterKey: Uint8Array;
  token: TokenProfile & { psn: string };
  /** ISO 4217 numeric currency of the token's account (978, EUR). */
  currency: number;
}

export const EUR = 978;

export function seededIssuer(random: SeededRandom, options: { balanceMinor?: number; perTransactionLimitMinor?: number } = {}): SeededIssuer {
  const issuerMasterKey = Uint8Array.from({ length: 16 }, () => random.int(0, 255));
  let body = '476173';
  while (body.length < 15) body += String(random.int(0, 9));
  const pan = body + luhnDigit(body);
  const psn = '01';
  const issuer = new IssuerHost(issuerMasterKey);
  issuer.enrol({ pan, psn, currency: EUR, balanceMinor: options.balanceMinor ?? 100_000, perTransactionLimitMinor: options.perTransactionLimitMinor ?? 50_000 });
  const token = { iccMasterKey: deriveIccMasterKey(issuerMasterKey, pan, psn), pan, psn, expiry: { year: 2029, month: 12 }, label: 'STRAP VISA' };
  return { issuer, issuerMasterKey, token, currency: EUR };
}

/** The Luhn check digit (ISO/IEC 7812-1 Annex B) of a number without it. */
export function luhnDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
