/**
 * EMV DES crypto against published vectors.
 *
 * Source of every vector below: the HSM-checked test files of pyemv, an
 * open-source EMV crypto library (github.com/knovichikhin/pyemv,
 * tests/test_kd_hsm.py, tests/test_ac_hsm.py, tests/test_cvn_hsm.py; the
 * "_hsm" files hold values the author checked against a payment HSM). Keys
 * are published there as 2-byte key check values (3DES of a zero block), so
 * derived keys are compared by KCV. Only the vectors are taken, not code.
 */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { applicationCryptogram, arpcMethod1, arpcMethod2, encodeArc } from './cryptograms';
import { CVN18, cvn18Cryptogram, cvn18CryptogramInput, cvn18IssuerApplicationData, parseVisaIssuerApplicationData } from './cvn18';
import { keyCheckValue, withOddParity } from './des';
import { acDiversificationValue, deriveAcSessionKey, deriveCommonSessionKey, deriveIccMasterKey } from './key-derivation';
import { emvMac, padMethod2 } from './mac';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
const kcv = (key: Uint8Array) => hx(keyCheckValue(key, 2));

const IMK = h('0123456789ABCDEFFEDCBA9876543210');
const DATA16 = h('0123456789ABCDEF0123456789ABCDEF');

describe('ICC Master Key derivation, Option A (EMV Book 2 A1.4.1)', () => {
  it('gives the published key check values', () => {
    expect(kcv(IMK)).toBe('08D7'); // test_kd_hsm.py: issuer master key check digits
    expect(kcv(deriveIccMasterKey(IMK, '12345678901234567', '45'))).toBe('FF08'); // test_derive_icc_mk_a_psn
    expect(kcv(deriveIccMasterKey(IMK, '9901234567890123', '45'))).toBe('1DA5'); // test_ac_hsm.py
    expect(kcv(deriveIccMasterKey(IMK, '1234567890123456', '00'))).toBe('BAB0'); // test_cvn_hsm.py, Visa CVN 10/18
  });

  it('treats an absent PAN sequence number as 00, and keeps odd parity', () => {
    const mk = deriveIccMasterKey(IMK, '1234567890123456');
    expect(kcv(mk)).toBe('BAB0');
    expect(hx(withOddParity(mk))).toBe(hx(mk));
  });

  it('refuses a PAN or sequence number that is not digits', () => {
    expect(() => deriveIccMasterKey(IMK, '1234abcd')).toThrow(RangeError);
    expect(() => deriveIccMasterKey(IMK, '1234567890123456', '1')).toThrow(RangeError);
  });
});

describe('common session key derivation (EMV Book 2 A1.3.1)', () => {
  it('gives the published key check values', () => {
    const r = h('1234567890123456');
    expect(kcv(deriveCommonSessionKey(deriveIccMasterKey(IMK, '12345678901234567', '45'), r))).toBe('DF82');
    expect(kcv(deriveCommonSessionKey(deriveIccMasterKey(IMK, '12345678901234567'), r))).toBe('3F4F'); // test_derive_icc_mk_a_no_psn
    expect(kcv(deriveCommonSessionKey(deriveIccMasterKey(IMK, '9901234567890123', '45'), r))).toBe('0995');
  });

  it('derives the AC session key from the ATC as R = ATC || 00×6 (Visa CVN 18, test_cvn_hsm.py: 22C8)', () => {
    expect(hx(acDiversificationValue(0x001c))).toBe('001C000000000000');
    expect(kcv(deriveAcSessionKey(deriveIccMasterKey(IMK, '1234567890123456', '00'), 0x001c))).toBe('22C8');
  });
});

describe('the EMV MAC (EMV Book 2 A1.2.1: ISO/IEC 9797-1 MAC algorithm 3, padding method 2)', () => {
  it('gives the published Application Cryptograms', () => {
    const sk1 = deriveCommonSessionKey(deriveIccMasterKey(IMK, '12345678901234567', '45'), h('1234567890123456'));
    expect(hx(applicationCryptogram(sk1, DATA16))).toBe('19C1FBC83EBDC0D5');
    const sk2 = deriveCommonSessionKey(deriveIccMasterKey(IMK, '12345678901234567'), h('1234567890123456'));
    expect(hx(applicationCryptogram(sk2, DATA16))).toBe('8698A7319324FD93');
    const sk3 = deriveCommonSessionKey(deriveIccMasterKey(IMK, '9901234567890123', '45'), h('1234567890123456'));
    expect(hx(applicationCryptogram(sk3, DATA16))).toBe('4B46013359B7A58B');
  });

  it('pads with 80 then 00s, always adding the 80', () => {
    expect(hx(padMethod2(h('0102')))).toBe('0102800000000000');
    expect(hx(padMethod2(new Uint8Array(8)))).toBe('00000000000000008000000000000000');
  });

  it('agrees with an independent formulation: DES-CBC-MAC under KL, then 3DES on the last block', () => {
    const key = h('0123456789ABCDEFFEDCBA9876543210');
    const data = h('00112233445566778899AABBCCDDEEFF0102');
    const padded = padMethod2(data);
    const kl = key.slice(0, 8);
    const cbc = createCipheriv('des-ede-cbc', Buffer.concat([kl, kl]), Buffer.alloc(8)).setAutoPadding(false);
    const chained = Buffer.concat([cbc.update(padded.slice(0, padded.length - 8)), cbc.final()]);
    const last = padded.slice(padded.length - 8).map((b, i) => b ^ chained[chained.length - 8 + i]!);
    const ede = createCipheriv('des-ede-ecb', key, null).setAutoPadding(false);
    const expected = Buffer.concat([ede.update(last), ede.final()]);
    expect(hx(emvMac(key, data))).toBe(hx(new Uint8Array(expected)));
  });

  it('refuses keys and MAC lengths EMV does not define', () => {
    expect(() => emvMac(new Uint8Array(8), DATA16)).toThrow(RangeError);
    expect(() => emvMac(IMK, DATA16, 3)).toThrow(RangeError);
  });
});

describe('ARPC (EMV Book 2 8.2)', () => {
  it('Method 1 gives the published ARPCs, under the ICC master key or the session key', () => {
    const mk = deriveIccMasterKey(IMK, '12345678901234567', '45');
    const sk = deriveCommonSessionKey(mk, h('1234567890123456'));
    expect(hx(arpcMethod1(mk, h('19C1FBC83EBDC0D5'), h('0000')))).toBe('78A372523FA35A03');
    expect(hx(arpcMethod1(sk, h('19C1FBC83EBDC0D5'), h('0000')))).toBe('C3620580668E5B65');
    const mk2 = deriveIccMasterKey(IMK, '9901234567890123', '45');
    expect(hx(arpcMethod1(mk2, h('4B46013359B7A58B'), h('0000')))).toBe('F8C9CECAABD55AD1');
  });

  it('Method 2 gives the published 4-byte ARPCs', () => {
    const sk = deriveCommonSessionKey(deriveIccMasterKey(IMK, '9901234567890123', '45'), h('1234567890123456'));
    expect(hx(arpcMethod2(sk, h('4B46013359B7A58B'), h('00000000'), h('1234567890ABCDEF')))).toBe('4962B76C');
    expect(hx(arpcMethod2(sk, h('4B46013359B7A58B'), h('00000000')))).toBe('7DFB1188');
  });

  it('encodes the ARC as two ASCII characters', () => {
    expect(hx(encodeArc('00'))).toBe('3030');
    expect(hx(encodeArc('51'))).toBe('3531');
    expect(() => encodeArc('0')).toThrow(RangeError);
  });
});

describe('Visa CVN 18', () => {
  // test_cvn_hsm.py, test_visa_cvn18.
  const data = {
    amountAuthorised: h('000000004000'), amountOther: h('000000000000'), terminalCountry: h('0124'), tvr: h('8000048000'),
    currency: h('0124'), date: h('191105'), type: h('01'), unpredictableNumber: h('52BF4585'), aip: h('1800'), atc: 0x001c,
    iad: h('06011203A0B800'),
  };

  it('gives the published ARQC and ARPC (Method 2, CSU 00000000)', () => {
    const mk = deriveIccMasterKey(IMK, '1234567890123456', '00');
    const arqc = cvn18Cryptogram(mk, data);
    expect(hx(arqc)).toBe('7A788EA6B8A3E733');
    expect(hx(arpcMethod2(deriveAcSessionKey(mk, 0x001c), arqc, h('00000000')))).toBe('9AF514C1');
  });

  it('covers the terminal data, AIP, ATC and the whole IAD in that order', () => {
    expect(hx(cvn18CryptogramInput(data))).toBe('000000004000' + '000000000000' + '0124' + '8000048000' + '0124' + '191105' + '01' + '52BF4585' + '1800' + '001C' + '06011203A0B800');
    expect(() => cvn18CryptogramInput({ ...data, tvr: h('80') })).toThrow(RangeError);
  });

  it('writes and reads the format 0/1/3 Issuer Application Data', () => {
    const iad = cvn18IssuerApplicationData({ dki: 1, cryptogram: 'ARQC' });
    expect(hx(iad)).toBe('06011203200000');
    expect(parseVisaIssuerApplicationData(iad)).toEqual({ dki: 1, cvn: CVN18, cryptogram: 'ARQC' });
    expect(parseVisaIssuerApplicationData(cvn18IssuerApplicationData({ dki: 1, cryptogram: 'AAC' }))?.cryptogram).toBe('AAC');
    expect(parseVisaIssuerApplicationData(h('1F4201'))).toBeUndefined();
  });
});
