/**
 * The issuer's authorization host for Visa CVN 18 tokens: it keeps the
 * Issuer Master Key (MK-AC) and, per token, the account and the highest ATC
 * it has accepted; it verifies each ARQC by deriving the ICC Master Key
 * (EMV Book 2 A1.4.1 Option A) and the AC session key (A1.3.1), recomputes
 * the cryptogram over the field 55 data (sim/emv/cvn18.ts) and answers.
 *
 * Order of checks: token known → request readable → CVN 18 → an ARQC →
 * cryptogram matches → ATC higher than any accepted before (a replayed or
 * stale cryptogram is refused even though it verifies) → token not suspended
 * → currency → per-transaction limit → funds. From the cryptogram check on,
 * every answer carries an ARPC over the ARC, and the ATC is remembered, so a
 * declined cryptogram cannot be replayed either.
 */
import { parseTlv, findTag } from '../../protocols/ber-tlv/tlv';
import { decodeAmount, decodeCode3 } from '../../protocols/emv/numeric';
import { decodeCryptogramInformation } from '../../protocols/emv/qualifiers';
import { arpcMethod1, encodeArc } from '../emv/cryptograms';
import { CVN18, cvn18Cryptogram, parseVisaIssuerApplicationData } from '../emv/cvn18';
import { concatBytes } from '../emv/des';
import { deriveAcSessionKey, deriveIccMasterKey } from '../emv/key-derivation';
import type { AuthorizationHost, AuthorizationRequest, AuthorizationResponse, DeclineReason } from './authorization';

export interface Account {
  pan: string;
  psn: string;
  /** ISO 4217 numeric currency of the account. */
  currency: number;
  balanceMinor: number;
  perTransactionLimitMinor?: number;
  suspended?: boolean;
}

interface AccountState extends Account {
  lastAtc: number;
}

const CODES: Record<DeclineReason, string> = {
  'unknown-token': '14',
  'malformed-request': '05',
  'unsupported-cryptogram-version': '05',
  'not-an-arqc': '05',
  'bad-cryptogram': '05',
  'replayed-cryptogram': '05',
  'token-suspended': '05',
  'currency-not-accepted': '05',
  'over-limit': '61',
  'insufficient-funds': '51',
};

export class IssuerHost implements AuthorizationHost {
  private readonly accounts = new Map<string, AccountState>();
  readonly log: { request: AuthorizationRequest; response: AuthorizationResponse }[] = [];

  constructor(private readonly issuerMasterKey: Uint8Array) {
    if (issuerMasterKey.length !== 16) throw new RangeError('the issuer master key is a 16-byte 3DES key');
  }

  /** Registers a token's account; the ATCs it accepts start above `lastAtc` (default 0). */
  enrol(account: Account, lastAtc = 0): void {
    this.accounts.set(key(account.pan, account.psn), { ...account, lastAtc });
  }

  account(pan: string, psn = '00'): Readonly<AccountState> | undefined {
    return this.accounts.get(key(pan, psn));
  }

  setSuspended(pan: string, psn: string, suspended: boolean): void {
    const account = this.accounts.get(key(pan, psn));
    if (account) account.suspended = suspended;
  }

  authorize(request: AuthorizationRequest): AuthorizationResponse {
    const response = this.decide(request);
    this.log.push({ request, response });
    return response;
  }

  private decide(request: AuthorizationRequest): AuthorizationResponse {
    const account = this.accounts.get(key(request.pan, request.psn));
    if (!account) return decline('unknown-token');
    const parsed = parseTlv(request.iccData);
    if (!parsed.ok) return decline('malformed-request');
    const get = (tag: number) => findTag(parsed.value, tag)?.value;
    const [arqc, cid, iad, atcBytes, aip] = [get(0x9f26), get(0x9f27), get(0x9f10), get(0x9f36), get(0x82)];
    const amount = get(0x9f02);
    const fields = [get(0x9f03), get(0x9f1a), get(0x95), get(0x5f2a), get(0x9a), get(0x9c), get(0x9f37)];
    if (!arqc || arqc.length !== 8 || !cid || cid.length !== 1 || !iad || !atcBytes || atcBytes.length !== 2 || !aip || !amount || fields.some((f) => !f)) {
      return decline('malformed-request');
    }
    if (parseVisaIssuerApplicationData(iad)?.cvn !== CVN18) return decline('unsupported-cryptogram-version');
    if (decodeCryptogramInformation(cid[0]!).type !== 'ARQC') return decline('not-an-arqc');
    const atc = (atcBytes[0]! << 8) | atcBytes[1]!;
    const [amountOther, terminalCountry, tvr, currency, date, type, unpredictableNumber] = fields as Uint8Array[];
    const mk = deriveIccMasterKey(this.issuerMasterKey, account.pan, account.psn);
    let expected: Uint8Array;
    try {
      expected = cvn18Cryptogram(mk, {
        amountAuthorised: amount, amountOther: amountOther!, terminalCountry: terminalCountry!, tvr: tvr!, currency: currency!,
        date: date!, type: type!, unpredictableNumber: unpredictableNumber!, aip, atc, iad,
      });
    } catch {
      return decline('malformed-request'); // a field of the wrong length
    }
    if (!equal(expected, arqc)) return decline('bad-cryptogram');

    const sessionKey = deriveAcSessionKey(mk, atc);
    const answer = (reason?: DeclineReason): AuthorizationResponse => {
      const arc = reason ? CODES[reason] : '00';
      const arcBytes = encodeArc(arc);
      const arpc = arpcMethod1(sessionKey, arqc, arcBytes);
      return { approved: !reason, arc, ...(reason ? { reason } : {}), arpc, issuerAuthenticationData: concatBytes(arpc, arcBytes) };
    };
    if (atc <= account.lastAtc) return answer('replayed-cryptogram');
    account.lastAtc = atc;
    const minor = decodeAmount(amount);
    if (account.suspended) return answer('token-suspended');
    if (minor === undefined || decodeCode3(currency!) !== account.currency) return answer('currency-not-accepted');
    if (account.perTransactionLimitMinor !== undefined && minor > account.perTransactionLimitMinor) return answer('over-limit');
    if (minor > account.balanceMinor) return answer('insufficient-funds');
    account.balanceMinor -= minor;
    return answer();
  }
}

function decline(reason: DeclineReason): AuthorizationResponse {
  return { approved: false, arc: CODES[reason], reason };
}

function key(pan: string, psn: string): string {
  return `${pan}/${psn}`;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
