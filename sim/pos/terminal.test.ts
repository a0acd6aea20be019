import { describe, expect, it } from 'vitest';
import { encodeTlv, parseTlv } from '../../protocols/ber-tlv/tlv';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { IssuerHost } from '../cloud/issuer-host';
import { arpcMethod1, encodeArc } from '../emv/cryptograms';
import { deriveAcSessionKey, deriveIccMasterKey } from '../emv/key-derivation';
import { FieldLost } from '../nfc/contactless';
import { personalizedCard, sw } from '../se/payment/testing/test-card';
import type { TestCard } from '../se/payment/testing/test-card';
import { PosTerminal } from './terminal';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

const IMK = h('0123456789ABCDEFFEDCBA9876543210');
const PAN = '4761739001010010';
const EUR = 978;
const EPOCH_MS = Date.UTC(2026, 11, 6, 12, 0, 0);

function world(options: { balanceMinor?: number; enrol?: boolean; seed?: number } = {}) {
  const { card } = personalizedCard({ iccMasterKey: deriveIccMasterKey(IMK, PAN, '01'), pan: PAN, psn: '01', expiry: { year: 2029, month: 12 } });
  const issuer = new IssuerHost(IMK);
  if (options.enrol !== false) issuer.enrol({ pan: PAN, psn: '01', currency: EUR, balanceMinor: options.balanceMinor ?? 100_000, perTransactionLimitMinor: 50_000 });
  const clock = new VirtualClock();
  const terminal = new PosTerminal({ country: 276, currency: EUR, cvmLimitMinor: 5_000 }, { random: new SeededRandom(options.seed ?? 7), clock, epochMs: EPOCH_MS, issuer });
  const tap = (amountMinor: number) => {
    card.fieldOff();
    return terminal.tap(card.readerLink(), { amountMinor });
  };
  return { card, issuer, terminal, tap };
}

const host = (card: TestCard, ins: number, p1: number) => sw(card.sendCommand('host', { cla: 0x80, ins, p1, p2: 0, data: new Uint8Array(0) }));

describe('a tap from terminal to applet to issuer', () => {
  it('is approved end to end, with an ARPC over the ARC under the AC session key', async () => {
    const { issuer, tap } = world();
    const result = await tap(1250);
    expect(result.outcome).toBe('approved');
    expect(result.arc).toBe('00');
    expect(result.atc).toBe(1);
    expect(result.pan).toBe(PAN);
    const sessionKey = deriveAcSessionKey(deriveIccMasterKey(IMK, PAN, '01'), 1);
    expect(hx(result.arpc!)).toBe(hx(arpcMethod1(sessionKey, result.cryptogram!, encodeArc('00'))));
    expect(issuer.account(PAN, '01')?.balanceMinor).toBe(100_000 - 1250);
    expect(result.exchanges.map((e) => hx(e.command.subarray(0, 2)))).toEqual(['00A4', '00A4', '80A8', '00B2']);
  });

  it('is declined offline when the token is suspended: the card answers an AAC and the issuer is not asked', async () => {
    const { card, issuer, tap } = world();
    expect(host(card, 0xc6, 0x02)).toBe(0x9000);
    const result = await tap(1250);
    expect(result).toMatchObject({ outcome: 'declined', reason: 'card-declined', cid: 0x00 });
    expect(issuer.log).toHaveLength(0);
  });

  it('is refused by the issuer for an unknown token, insufficient funds and an amount over the limit', async () => {
    expect(await world({ enrol: false }).tap(1250)).toMatchObject({ outcome: 'declined', reason: 'unknown-token', arc: '14' });
    const poor = world({ balanceMinor: 1000 });
    expect(await poor.tap(1250)).toMatchObject({ outcome: 'declined', reason: 'insufficient-funds', arc: '51' });
    const { card, tap } = world();
    host(card, 0xc4, 0x01);
    const over = await tap(60_000);
    expect(over).toMatchObject({ outcome: 'declined', reason: 'over-limit', arc: '61' });
    expect(over.arpc).toBeDefined();
  });

  it('refuses a replayed cryptogram and a cryptogram whose data was altered', async () => {
    const { issuer, tap } = world();
    await tap(1250);
    const request = issuer.log[0]!.request;
    expect(issuer.authorize(request)).toMatchObject({ approved: false, reason: 'replayed-cryptogram' });
    await tap(700);
    const altered = issuer.log[2]!.request;
    const fields = parseTlv(altered.iccData);
    if (!fields.ok) throw new Error('field 55');
    const data = encodeTlv(fields.value.map((n) => ({ tag: n.tag, value: n.tag === 0x9f02 ? h('000000000701') : n.value })));
    expect(issuer.authorize({ ...altered, iccData: data })).toMatchObject({ approved: false, reason: 'bad-cryptogram' });
  });

  it('needs the consumer device CVM above the CVM limit, which the card reports only while the wearer is verified', async () => {
    const { card, tap } = world();
    expect(await tap(8000)).toMatchObject({ outcome: 'declined', reason: 'cvm-required', cdcvm: false });
    host(card, 0xc4, 0x01);
    expect(await tap(8000)).toMatchObject({ outcome: 'approved', cdcvm: true });
    host(card, 0xc4, 0x00);
    expect(await tap(1000)).toMatchObject({ outcome: 'approved', cdcvm: false });
  });

  it('sees the ATC strictly increase across taps, declined ones included', async () => {
    const { card, tap } = world();
    const atcs: number[] = [];
    for (let i = 0; i < 3; i++) atcs.push((await tap(100)).atc!);
    host(card, 0xc6, 0x02);
    atcs.push((await tap(100)).atc!);
    host(card, 0xc6, 0x01);
    atcs.push((await tap(100)).atc!);
    expect(atcs).toEqual([1, 2, 3, 4, 5]);
  });

  it('ends with field-lost when the card leaves mid-tap; nothing reaches the issuer and the next tap goes on', async () => {
    const { card, issuer, terminal, tap } = world();
    const cut = card.readerLink((apdu) => {
      if (apdu[1] === 0xb2) throw new FieldLost();
    });
    expect((await terminal.tap(cut, { amountMinor: 100 })).outcome).toBe('field-lost');
    expect(issuer.log).toHaveLength(0);
    expect(await tap(100)).toMatchObject({ outcome: 'approved', atc: 2 });
  });

  it('gives the same unpredictable numbers and cryptograms for the same seed', async () => {
    const a = await world({ seed: 3 }).tap(1250);
    const b = await world({ seed: 3 }).tap(1250);
    const c = await world({ seed: 4 }).tap(1250);
    expect(hx(a.cryptogram!)).toBe(hx(b.cryptogram!));
    expect(hx(a.cryptogram!)).not.toBe(hx(c.cryptogram!));
  });
});
