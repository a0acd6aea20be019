import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acDiversifier, applicationCryptogramAes, deriveIccMasterKeyAes, deriveSessionKeyAes, macAes } from './aes';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

/** Node's OpenSSL AES-ECB, an implementation independent of @noble's. */
const nodeAes = (key: Uint8Array, block: Uint8Array) => {
  const cipher = createCipheriv(`aes-${key.length * 8}-ecb`, key, null).setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(block), cipher.final()]));
};

describe('EMV MAC with AES (EMV Book 2 A1.2.2: ISO/IEC 9797-1 MAC Algorithm 5 = CMAC)', () => {
  // NIST SP 800-38B Appendix D.1 (AES-128) and D.3 (AES-256) examples; the AES-128 ones are also RFC 4493 section 4.
  const K128 = h('2b7e151628aed2a6abf7158809cf4f3c');
  const K256 = h('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4');
  const M16 = h('6bc1bee22e409f96e93d7e117393172a');

  it('gives the SP 800-38B example tags, truncated to the MAC length asked for', () => {
    expect(hx(macAes(K128, new Uint8Array(0), 16))).toBe('BB1D6929E95937287FA37D129B756746');
    expect(hx(macAes(K128, M16, 16))).toBe('070A16B46B4D4144F79BDD9DD04A287C');
    expect(hx(macAes(K256, new Uint8Array(0), 16))).toBe('028962F61B7BF89EFC6B551F4667D983');
    expect(hx(macAes(K128, M16))).toBe('070A16B46B4D4144');
    expect(hx(applicationCryptogramAes(K128, M16))).toBe('070A16B46B4D4144');
  });

  it('gives another tag when one message byte changes', () => {
    const mutated = M16.slice();
    mutated[15]! ^= 0x01;
    expect(hx(macAes(K128, mutated, 16))).not.toBe('070A16B46B4D4144F79BDD9DD04A287C');
  });

  it('refuses MAC lengths outside 4-16 bytes and keys that are not AES keys', () => {
    expect(() => macAes(K128, M16, 3)).toThrow(RangeError);
    expect(() => macAes(K128, M16, 17)).toThrow(RangeError);
    expect(() => macAes(h('00112233445566778899AABBCCDDEE'), M16)).toThrow(RangeError);
  });
});

describe('ICC Master Key derivation, Option A with an AES issuer key (EMV Book 2 A1.4.1)', () => {
  // Vectors: I. Dubinsky, "Cryptography for Payment Professionals" (CRC Press, 2023), companion code
  // github.com/ilya-dubinsky/cfpp, c/test/test_emv.c, emv_master_key_tests (the ALGORITHM_AES rows).
  const IMK = h('DFADBFEF0123456789866443DFADBFEF');

  it('derives the published 16-, 24- and 32-byte master keys for PAN 9012345432101232, PSN 01', () => {
    expect(hx(deriveIccMasterKeyAes(IMK, '9012345432101232', '01', 16))).toBe('3AD95FE6AD75062DFCF19D834504AC23');
    expect(hx(deriveIccMasterKeyAes(IMK, '9012345432101232', '01', 24))).toBe('3AD95FE6AD75062DFCF19D834504AC237A49822292257A16');
    expect(hx(deriveIccMasterKeyAes(IMK, '9012345432101232', '01', 32))).toBe('3AD95FE6AD75062DFCF19D834504AC237A49822292257A16F2B76168B4E2B574');
  });

  it('derives another key when one PAN digit changes, and refuses what is not a PAN', () => {
    expect(hx(deriveIccMasterKeyAes(IMK, '9012345432101233', '01'))).not.toBe('3AD95FE6AD75062DFCF19D834504AC23');
    expect(() => deriveIccMasterKeyAes(IMK, '9012-3454', '01')).toThrow(RangeError);
    expect(() => deriveIccMasterKeyAes(IMK, '9012345432101232', '1')).toThrow(RangeError);
  });
});

describe('Common Session Key derivation with AES (EMV Book 2 A1.3.1)', () => {
  const MK128 = h('3AD95FE6AD75062DFCF19D834504AC23');
  const MK256 = h('3AD95FE6AD75062DFCF19D834504AC237A49822292257A16F2B76168B4E2B574');

  it('builds R = ATC || 00 × 14 for the AC session key', () => {
    expect(hx(acDiversifier(0x001c))).toBe('001C0000000000000000000000000000');
    expect(hx(acDiversifier(h('0102')))).toBe('01020000000000000000000000000000');
    expect(() => acDiversifier(0x10000)).toThrow(RangeError);
  });

  it('is AES(MK)[R] for a 128-bit master key, equal to an independent AES (Node/OpenSSL)', () => {
    const r = acDiversifier(0x001c);
    expect(hx(deriveSessionKeyAes(MK128, r))).toBe(hx(nodeAes(MK128, r)));
  });

  it("is the leftmost k bits of AES(MK)[R with 'F0'] || AES(MK)[R with '0F'] for longer keys, equal to an independent AES", () => {
    const r = acDiversifier(0x001c);
    const f1 = nodeAes(MK256, h('001CF000000000000000000000000000'));
    const f2 = nodeAes(MK256, h('001C0F00000000000000000000000000'));
    expect(hx(deriveSessionKeyAes(MK256, r))).toBe(hx(f1) + hx(f2));
    expect(hx(deriveSessionKeyAes(MK256.slice(0, 24), r))).toBe(hx(nodeAes(MK256.slice(0, 24), h('001CF000000000000000000000000000'))) + hx(nodeAes(MK256.slice(0, 24), h('001C0F00000000000000000000000000'))).slice(0, 16));
  });

  it('gives a new key for every ATC and refuses an R that is not one AES block', () => {
    expect(hx(deriveSessionKeyAes(MK128, acDiversifier(1)))).not.toBe(hx(deriveSessionKeyAes(MK128, acDiversifier(2))));
    expect(() => deriveSessionKeyAes(MK128, h('001C000000000000'))).toThrow(RangeError);
  });
});
