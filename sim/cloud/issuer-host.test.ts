import { describe, expect, it } from 'vitest';
import { encodeTlv } from '../../protocols/ber-tlv/tlv';
import { arpcMethod1, encodeArc } from '../emv/cryptograms';
import { cvn18Cryptogram, cvn18IssuerApplicationData } from '../emv/cvn18';
import { concatBytes } from '../emv/des';
import { deriveAcSessionKey, deriveIccMasterKey } from '../emv/key-derivation';
import { IssuerHost } from './issuer-host';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const IMK = h('0123456789ABCDEFFEDCBA9876543210');
const PAN = '4000123412341234';
const MK = deriveIccMasterKey(IMK, PAN, '00');

/** A card's field 55, made here with the CVN 18 functions (independently of the applet). */
function request(options: { atc?: number; amount?: string; cid?: number; cvn?: number; currency?: string; key?: Uint8Array } = {}) {
  const atc = options.atc ?? 1;
  const iad = cvn18IssuerApplicationData({ dki: 1, cryptogram: options.cid === 0 ? 'AAC' : 'ARQC' });
  if (options.cvn !== undefined) iad[2] = options.cvn;
  const terminal = {
    amountAuthorised: h(options.amount ?? '000000001000'), amountOther: h('000000000000'), terminalCountry: h('0276'), tvr: h('0000000000'),
    currency: h(options.currency ?? '0978'), date: h('261206'), type: h('00'), unpredictableNumber: h('11223344'), aip: h('0000'),
  };
  const arqc = cvn18Cryptogram(options.key ?? MK, { ...terminal, atc, iad });
  const iccData = encodeTlv([
    { tag: 0x9f26, value: arqc }, { tag: 0x9f27, value: Uint8Array.of(options.cid ?? 0x80) }, { tag: 0x9f10, value: iad },
    { tag: 0x9f37, value: terminal.unpredictableNumber }, { tag: 0x9f36, value: Uint8Array.of(atc >> 8, atc & 0xff) }, { tag: 0x95, value: terminal.tvr },
    { tag: 0x9a, value: terminal.date }, { tag: 0x9c, value: terminal.type }, { tag: 0x9f02, value: terminal.amountAuthorised },
    { tag: 0x5f2a, value: terminal.currency }, { tag: 0x82, value: terminal.aip }, { tag: 0x9f1a, value: terminal.terminalCountry },
    { tag: 0x9f03, value: terminal.amountOther },
  ]);
  return { pan: PAN, psn: '00', iccData, arqc };
}

function issuer(lastAtc = 0) {
  const host = new IssuerHost(IMK);
  host.enrol({ pan: PAN, psn: '00', currency: 978, balanceMinor: 5000, perTransactionLimitMinor: 3000 }, lastAtc);
  return host;
}

describe('issuer host: CVN 18 authorization', () => {
  it('approves a good ARQC and answers ARPC || ARC (Method 1, AC session key) as Issuer Authentication Data', () => {
    const req = request({ atc: 7 });
    const answer = issuer().authorize(req);
    const arpc = arpcMethod1(deriveAcSessionKey(MK, 7), req.arqc, encodeArc('00'));
    expect(answer).toMatchObject({ approved: true, arc: '00' });
    expect(answer.issuerAuthenticationData).toEqual(concatBytes(arpc, encodeArc('00')));
  });

  it('refuses a cryptogram made with another key, without an ARPC', () => {
    const answer = issuer().authorize(request({ key: deriveIccMasterKey(IMK, '4000123412341235', '00') }));
    expect(answer).toMatchObject({ approved: false, reason: 'bad-cryptogram', arc: '05' });
    expect(answer.arpc).toBeUndefined();
  });

  it('refuses an ATC not above the last one it accepted, even with a valid cryptogram', () => {
    const host = issuer(5);
    expect(host.authorize(request({ atc: 5 }))).toMatchObject({ approved: false, reason: 'replayed-cryptogram' });
    expect(host.authorize(request({ atc: 6 }))).toMatchObject({ approved: true });
    expect(host.authorize(request({ atc: 6 }))).toMatchObject({ approved: false, reason: 'replayed-cryptogram' });
  });

  it('declines an AAC, another cryptogram version, missing chip data and an unknown token', () => {
    expect(issuer().authorize(request({ cid: 0x00 }))).toMatchObject({ reason: 'not-an-arqc' });
    expect(issuer().authorize(request({ cvn: 0x0a }))).toMatchObject({ reason: 'unsupported-cryptogram-version' });
    expect(issuer().authorize({ ...request(), iccData: h('9F2701809F3602') })).toMatchObject({ reason: 'malformed-request' });
    expect(issuer().authorize({ ...request(), pan: '4000123412349999' })).toMatchObject({ reason: 'unknown-token', arc: '14' });
  });

  it('declines with an ARPC for a suspended account, another currency, the limit and the balance', () => {
    const host = issuer();
    host.setSuspended(PAN, '00', true);
    expect(host.authorize(request({ atc: 1 }))).toMatchObject({ reason: 'token-suspended', arc: '05' });
    host.setSuspended(PAN, '00', false);
    expect(host.authorize(request({ atc: 2, currency: '0840' }))).toMatchObject({ reason: 'currency-not-accepted' });
    expect(host.authorize(request({ atc: 3, amount: '000000004000' }))).toMatchObject({ reason: 'over-limit', arc: '61' });
    expect(host.authorize(request({ atc: 4, amount: '000000003000' }))).toMatchObject({ approved: true });
    const poor = host.authorize(request({ atc: 5, amount: '000000002500' }));
    expect(poor).toMatchObject({ reason: 'insufficient-funds', arc: '51' });
    expect(poor.arpc).toHaveLength(8);
    expect(host.account(PAN, '00')?.balanceMinor).toBe(2000);
  });
});
