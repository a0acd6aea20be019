import { describe, expect, it } from 'vitest';
import { encodeCommandApdu } from '../../../protocols/iso7816/apdu';
import { findTag, parseTlv } from '../../../protocols/ber-tlv/tlv';
import type { TlvNode } from '../../../protocols/ber-tlv/tlv';
import { buildDolData, parseDol } from '../../../protocols/emv/dol';
import { CTQ, hasBit } from '../../../protocols/emv/qualifiers';
import { cvn18Cryptogram, parseVisaIssuerApplicationData } from '../../emv/cvn18';
import { deriveIccMasterKey } from '../../emv/key-derivation';
import { MemoryAppletStore } from '../testing/memory-applet-store';
import { AIP } from './gpo';
import { PPSE_AID } from './ppse-applet';
import { PaymentApplet, TAG_DECLINE_REASON, VISA_AID } from './payment-applet';
import { personalizationCommands } from './personalization';
import { personalizedCard, sw } from './testing/test-card';
import type { TestCard } from './testing/test-card';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

const IMK = h('0123456789ABCDEFFEDCBA9876543210');
const PAN = '4761739001010010';
const MK = deriveIccMasterKey(IMK, PAN, '01');
const PROFILE = { iccMasterKey: MK, pan: PAN, psn: '01', expiry: { year: 2029, month: 12 } };

const TERMINAL: Record<number, Uint8Array> = {
  0x9f66: h('36000000'), // TTQ: qVSDC, contact chip, online PIN, signature; online cryptogram not forced
  0x9f02: h('000000001250'),
  0x9f03: h('000000000000'),
  0x9f1a: h('0276'),
  0x95: h('0000000000'),
  0x5f2a: h('0978'),
  0x9a: h('261206'),
  0x9c: h('00'),
  0x9f37: h('A1B2C3D4'),
};

const select = (card: TestCard, aid: Uint8Array) => card.sendCommand('contactless', { cla: 0, ins: 0xa4, p1: 4, p2: 0, data: aid, ne: 256 });
const host = (card: TestCard, cla: number, ins: number, p1: number, p2: number, data = new Uint8Array(0)) => card.sendCommand('host', { cla, ins, p1, p2, data });
const tlv = (response: Uint8Array): TlvNode[] => {
  const parsed = parseTlv(response.subarray(0, response.length - 2));
  if (!parsed.ok) throw new Error(parsed.error.detail);
  return parsed.value;
};
const value = (nodes: TlvNode[], tag: number) => findTag(nodes, tag)?.value ?? new Uint8Array(0);

function gpoCommand(fci: TlvNode[], overrides: Record<number, Uint8Array> = {}): Uint8Array {
  const pdol = parseDol(value(fci, 0x9f38));
  if (!pdol.ok) throw new Error('PDOL');
  const data = buildDolData(pdol.value, (tag) => overrides[tag] ?? TERMINAL[tag]);
  return encodeCommandApdu({ cla: 0x80, ins: 0xa8, p1: 0, p2: 0, data: Uint8Array.of(0x83, data.length, ...data), ne: 256 });
}

function tap(card: TestCard, overrides: Record<number, Uint8Array> = {}): Uint8Array {
  card.fieldOff();
  expect(sw(select(card, PPSE_AID))).toBe(0x9000);
  const fci = tlv(select(card, VISA_AID));
  return card.send('contactless', gpoCommand(fci, overrides));
}

describe('payment applet: a qVSDC tap', () => {
  it('lists the token in the PPSE and answers SELECT AID with a PDOL of the terminal data CVN 18 covers', () => {
    const { card } = personalizedCard(PROFILE);
    const ppse = tlv(select(card, PPSE_AID));
    expect(hx(value(ppse, 0x4f))).toBe(hx(VISA_AID));
    const fci = tlv(select(card, VISA_AID));
    expect(hx(value(fci, 0x84))).toBe('A0000000031010');
    expect(hx(value(fci, 0x9f38))).toBe('9F66049F02069F03069F1A0295055F2A029A039C019F3704');
  });

  it('answers GPO with format 2: AIP, AFL, ATC, an ARQC the issuer master key verifies, CID, IAD, CTQ, track 2', () => {
    const { card } = personalizedCard(PROFILE);
    const response = tap(card);
    expect(sw(response)).toBe(0x9000);
    const nodes = tlv(response);
    expect(nodes[0]!.tag).toBe(0x77);
    expect(hx(value(nodes, 0x9f27))).toBe('80');
    expect(hx(value(nodes, 0x9f36))).toBe('0001');
    expect(hx(value(nodes, 0x94))).toBe('08010100');
    expect(hx(value(nodes, 0x57)).startsWith(`${PAN}D2912201`)).toBe(true);
    const iad = value(nodes, 0x9f10);
    expect(parseVisaIssuerApplicationData(iad)).toEqual({ dki: 1, cvn: 0x12, cryptogram: 'ARQC' });
    const expected = cvn18Cryptogram(deriveIccMasterKey(IMK, PAN, '01'), {
      amountAuthorised: TERMINAL[0x9f02]!, amountOther: TERMINAL[0x9f03]!, terminalCountry: TERMINAL[0x9f1a]!, tvr: TERMINAL[0x95]!,
      currency: TERMINAL[0x5f2a]!, date: TERMINAL[0x9a]!, type: TERMINAL[0x9c]!, unpredictableNumber: TERMINAL[0x9f37]!, aip: AIP, atc: 1, iad,
    });
    expect(hx(value(nodes, 0x9f26))).toBe(hx(expected));
  });

  it('reads the AFL records', () => {
    const { card } = personalizedCard(PROFILE);
    tap(card);
    const record = card.sendCommand('contactless', { cla: 0, ins: 0xb2, p1: 1, p2: (1 << 3) | 4, data: new Uint8Array(0), ne: 256 });
    expect(sw(record)).toBe(0x9000);
    expect(hx(value(tlv(record), 0x5a))).toBe(PAN);
  });

  it('raises a transaction event with amount, currency, ATC and outcome', () => {
    const { card } = personalizedCard(PROFILE);
    tap(card);
    const event = card.events.at(-1)!;
    expect(hx(event.aid)).toBe(hx(VISA_AID));
    const data = parseTlv(event.data);
    if (!data.ok) throw new Error('event TLV');
    expect(hx(value(data.value, 0x9f02))).toBe('000000001250');
    expect(hx(value(data.value, 0x5f2a))).toBe('0978');
    expect(hx(value(data.value, 0x9f36))).toBe('0001');
    expect(hx(value(data.value, 0x9f27))).toBe('80');
    expect(findTag(data.value, TAG_DECLINE_REASON)).toBeUndefined();
  });
});

describe('payment applet: the transaction counter', () => {
  it('increases by one per GPO, across taps, and GET DATA reads it', () => {
    const { card } = personalizedCard(PROFILE);
    const atcs = [1, 2, 3].map(() => hx(value(tlv(tap(card)), 0x9f36)));
    expect(atcs).toEqual(['0001', '0002', '0003']);
    expect(hx(value(tlv(host(card, 0x80, 0xca, 0x9f, 0x36)), 0x9f36))).toBe('0003');
  });

  it('is committed before the cryptogram: a power cut right after the commit loses that value, never reuses it', () => {
    const { card, payment } = personalizedCard(PROFILE);
    tap(card); // ATC 1
    const store = card.stores.get(payment)!;
    const commit = store.transaction.bind(store);
    store.transaction = (fn) => { commit(fn); throw new Error('power cut'); };
    expect(() => tap(card)).toThrow('power cut');
    store.transaction = commit;
    expect(hx(store.get('atc')!)).toBe('0002');
    expect(hx(value(tlv(tap(card)), 0x9f36))).toBe('0003');
  });

  it('stops at FFFF: no cryptogram once the counter is exhausted (it never wraps)', () => {
    const { card, payment } = personalizedCard(PROFILE);
    card.stores.get(payment)!.records.set('atc', h('FFFE'));
    expect(hx(value(tlv(tap(card)), 0x9f36))).toBe('FFFF');
    expect(sw(tap(card))).toBe(0x6985);
    expect(hx(card.stores.get(payment)!.get('atc')!)).toBe('FFFF');
  });
});

describe('payment applet: token states and the wearer-verified flag', () => {
  it('declines with an AAC while suspended, and says why in the event', () => {
    const { card } = personalizedCard(PROFILE);
    expect(sw(host(card, 0x80, 0xc6, 0x02, 0x00))).toBe(0x9000);
    const nodes = tlv(tap(card));
    expect(hx(value(nodes, 0x9f27))).toBe('00');
    expect(parseVisaIssuerApplicationData(value(nodes, 0x9f10))?.cryptogram).toBe('AAC');
    const data = parseTlv(card.events.at(-1)!.data);
    expect(data.ok && hx(value(data.value, TAG_DECLINE_REASON))).toBe('01');
    expect(sw(host(card, 0x80, 0xc6, 0x01, 0x00))).toBe(0x9000);
    expect(hx(value(tlv(tap(card)), 0x9f27))).toBe('80');
  });

  it('is not found on the contactless side once deleted, with its keys erased, and stays deleted', () => {
    const { card, payment } = personalizedCard(PROFILE);
    expect(sw(host(card, 0x80, 0xc6, 0x03, 0x00))).toBe(0x9000);
    expect(sw(select(card, VISA_AID))).toBe(0x6a82);
    expect(card.stores.get(payment)!.get('dgi:8000')).toBeUndefined();
    expect(sw(host(card, 0x80, 0xc6, 0x01, 0x00))).toBe(0x6985);
    expect(hx(value(tlv(host(card, 0x80, 0xca, 0xdf, 0x20)), 0xdf20))).toBe('03');
  });

  it('reports the consumer device CVM in the CTQ only while the host has set the flag', () => {
    const { card } = personalizedCard(PROFILE);
    const cdcvm = () => hasBit(value(tlv(tap(card)), 0x9f6c), CTQ.CONSUMER_DEVICE_CVM_PERFORMED);
    expect(cdcvm()).toBe(false);
    expect(sw(host(card, 0x80, 0xc4, 0x01, 0x00))).toBe(0x9000);
    expect(cdcvm()).toBe(true);
    expect(sw(host(card, 0x80, 0xc4, 0x00, 0x00))).toBe(0x9000);
    expect(cdcvm()).toBe(false);
  });
});

describe('payment applet: personalization', () => {
  it('takes STORE DATA forwarded by the security domain without a SELECT, and becomes selectable on the contactless side', () => {
    const applet = new PaymentApplet();
    const store = new MemoryAppletStore();
    const ctx = { store, via: 'host' as const, notify: () => {} };
    const answers = personalizationCommands(PROFILE).map((command) => applet.process(command, ctx).sw);
    expect(answers).toEqual([0x9000, 0x9000, 0x9000]);
    expect(store.get('state')).toEqual(Uint8Array.of(1));
    expect(applet.select({ ...ctx, via: 'contactless' }).sw).toBe(0x9000);
  });

  it('refuses a block out of sequence', () => {
    const applet = new PaymentApplet();
    const ctx = { store: new MemoryAppletStore(), via: 'host' as const, notify: () => {} };
    const [first, second] = personalizationCommands(PROFILE);
    expect(applet.process(first!, ctx).sw).toBe(0x9000);
    expect(applet.process({ ...second!, p2: 5 }, ctx).sw).toBe(0x6a86);
  });
});

describe('payment applet: bad input gets its status word', () => {
  it('6985 for GPO without SELECT, GPO twice, and a reader without qVSDC', () => {
    const { card } = personalizedCard(PROFILE);
    const fci = tlv(select(card, VISA_AID));
    const gpo = gpoCommand(fci);
    expect(sw(card.send('contactless', gpo))).toBe(0x9000);
    expect(sw(card.send('contactless', gpo))).toBe(0x6985);
    card.fieldOff();
    expect(sw(card.send('contactless', gpo))).toBe(0x6985);
    expect(sw(tap(card, { 0x9f66: h('80000000') }))).toBe(0x6985);
  });

  it('6A80 for PDOL data of the wrong length or tag, 6700 for TLV cut short, 6A86 for P1-P2', () => {
    const { card } = personalizedCard(PROFILE);
    select(card, VISA_AID);
    const send = (data: Uint8Array, p1 = 0) => sw(card.sendCommand('contactless', { cla: 0x80, ins: 0xa8, p1, p2: 0, data, ne: 256 }));
    expect(send(h('8300'))).toBe(0x6a80);
    expect(send(Uint8Array.of(0x84, 33, ...new Uint8Array(33)))).toBe(0x6a80);
    expect(send(h('8321 0000'))).toBe(0x6700);
    expect(send(h('8300'), 1)).toBe(0x6a86);
    const pdol = new Uint8Array(33);
    pdol[0] = 0x20;
    pdol[9] = 0x1a; // amount, authorised: not BCD
    expect(send(Uint8Array.of(0x83, 33, ...pdol))).toBe(0x6a80);
  });

  it('6E00 for a wrong class, 6D00 for an unknown instruction or a host command on the contactless side', () => {
    const { card } = personalizedCard(PROFILE);
    select(card, VISA_AID);
    expect(sw(card.sendCommand('contactless', { cla: 0x00, ins: 0xa8, p1: 0, p2: 0, data: h('8300'), ne: 256 }))).toBe(0x6e00);
    expect(sw(card.sendCommand('contactless', { cla: 0x80, ins: 0x12, p1: 0, p2: 0, data: new Uint8Array(0) }))).toBe(0x6d00);
    expect(sw(card.sendCommand('contactless', { cla: 0x80, ins: 0xc4, p1: 1, p2: 0, data: new Uint8Array(0) }))).toBe(0x6d00);
    expect(sw(card.sendCommand('contactless', { cla: 0x80, ins: 0xe2, p1: 0x80, p2: 0, data: h('8000021122') }))).toBe(0x6d00);
  });

  it('6A82 for an SFI not in the card, 6A83 for a record not in the file', () => {
    const { card } = personalizedCard(PROFILE);
    select(card, VISA_AID);
    const read = (record: number, sfi: number) => sw(card.sendCommand('contactless', { cla: 0, ins: 0xb2, p1: record, p2: (sfi << 3) | 4, data: new Uint8Array(0), ne: 256 }));
    expect(read(1, 2)).toBe(0x6a82);
    expect(read(2, 1)).toBe(0x6a83);
    expect(read(0, 1)).toBe(0x6a86);
  });

  it('refuses STORE DATA once personalized, unknown DGIs and malformed DGI streams', () => {
    const { card } = personalizedCard(PROFILE);
    expect(sw(host(card, 0x80, 0xe2, 0x80, 0x03, h('A0010100')))).toBe(0x6985);
    const fresh = personalizedCard(PROFILE).card;
    fresh.stores.forEach((s) => s.records.clear());
    fresh.sendCommand('host', { cla: 0, ins: 0xa4, p1: 4, p2: 0, data: VISA_AID });
    expect(sw(host(fresh, 0x80, 0xe2, 0x00, 0x00, h('7777020102')))).toBe(0x6a88);
    expect(sw(host(fresh, 0x80, 0xe2, 0x00, 0x00, h('800010')))).toBe(0x6a80);
    expect(sw(host(fresh, 0x80, 0xe2, 0x00, 0x00, h('8000021122')))).toBe(0x6a80);
    expect(sw(host(fresh, 0x80, 0xe2, 0x80, 0x00, h('800010 00112233445566778899AABBCCDDEEFF')))).toBe(0x6985); // last block, incomplete
  });
});
