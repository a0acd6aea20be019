// The SMP toolbox against the specification's sample data. The
// specification prints values MSB first; fromSpecHex turns them into the
// LSB-first order the functions take (toolbox.ts).
import { cmac } from '@noble/ciphers/aes.js';
import { describe, expect, it } from 'vitest';
import { fromHex, fromSpecHex as s, toHex, toSpecHex } from '../bytes';
import { ah, c1, e, f4, f5, f6, g2, h6, h7, ioCapField, KEY_ID, SALT, s1 } from './toolbox';

// Core v5.4 Vol 3 Part H Appendix D: the values shared by D.2–D.8.
const U = s('20b003d2f297be2c5e2c83a7e9f9a5b9eff49111acf4fddbcc0301480e359de6');
const V = s('55188b3d32f6bb9a900afcfbeed4e72a59cb9ac2f19d7cfb6b4fdd49f47fc5fd');
const X = s('d5cb8454d177733effffb2ec712baeab');
const Y = s('a6e8e7cc25a75f6e216583f7ff3dc4cf');
const DHKEY = s('ec0234a357c8ad05341010a60a397d9b99796b13b4f866f1868d34f373bfa698');
const A1 = s('0056123737bfce');
const A2 = s('00a713702dcfc1');
const MAC_KEY = s('2965f176a1084a02fd3f6a20ce636e20');
const W128 = s('ec0234a357c8ad05341010a60a397d9b');
const flip = (bytes: Uint8Array, at = 0) => bytes.map((b, i) => (i === at ? b ^ 1 : b));

describe('AES-CMAC (RFC 4493 section 4; also Vol 3 Part H D.1)', () => {
  // @noble/ciphers exports cmac; these are RFC 4493's four examples, key 2b7e1516 28aed2a6 abf71588 09cf4f3c.
  const key = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
  const m = fromHex(
    '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
  );
  it.each([
    [0, 'bb1d6929e95937287fa37d129b756746'],
    [16, '070a16b46b4d4144f79bdd9dd04a287c'],
    [40, 'dfa66747de9ae63030ca32611497c827'],
    [64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('gives the example MAC for a %i-octet message', (length, mac) => {
    expect(toHex(cmac(m.slice(0, length), key))).toBe(mac);
  });
});

describe('legacy toolbox functions', () => {
  it('e is AES-128 on LSB-first values (FIPS-197 Appendix C.1)', () => {
    const out = e(s('000102030405060708090a0b0c0d0e0f'), s('00112233445566778899aabbccddeeff'));
    expect(toSpecHex(out)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
    expect(toSpecHex(e(flip(s('000102030405060708090a0b0c0d0e0f')), s('00112233445566778899aabbccddeeff')))).not.toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });

  it('ah gives the sample hash (D.7)', () => {
    expect(toSpecHex(ah(W128, s('708194')))).toBe('0dfbaa');
    expect(toSpecHex(ah(W128, s('708195')))).not.toBe('0dfbaa');
  });

  it('c1 gives the example confirm value (2.2.3)', () => {
    const args = [new Uint8Array(16), s('5783d52156ad6f0e6388274ec6702ee0'), s('07071000000101'), s('05000800000302'), 1, s('a1a2a3a4a5a6'), 0, s('b1b2b3b4b5b6')] as const;
    expect(toSpecHex(c1(...args))).toBe('1e1e3fef878988ead2a74dc5bef13b86');
    // preq as sent on the wire: 01 01 00 00 10 07 07 (a Pairing Request).
    expect(toHex(args[2])).toBe('01010000100707');
    expect(toSpecHex(c1(args[0], args[1], args[2], args[3], 0, args[5], args[6], args[7]))).not.toBe('1e1e3fef878988ead2a74dc5bef13b86');
  });

  it('s1 gives the example STK (2.2.4)', () => {
    const r1 = s('000f0e0d0c0b0a091122334455667788');
    const r2 = s('010203040506070899aabbccddeeff00');
    expect(toSpecHex(s1(new Uint8Array(16), r1, r2))).toBe('9a1fe1f0e8b0f49b5b4216ae796da062');
    expect(toSpecHex(s1(new Uint8Array(16), r2, r1))).not.toBe('9a1fe1f0e8b0f49b5b4216ae796da062');
  });
});

describe('LE Secure Connections toolbox functions (Appendix D)', () => {
  it('f4 gives the sample confirm value (D.2)', () => {
    expect(toSpecHex(f4(U, V, X, 0))).toBe('f2c916f107a9bd1cf1eda1bea974872d');
    expect(toSpecHex(f4(U, V, X, 1))).not.toBe('f2c916f107a9bd1cf1eda1bea974872d');
  });

  it('f5 gives the sample MacKey and LTK (D.3)', () => {
    const keys = f5(DHKEY, X, Y, A1, A2);
    expect(toSpecHex(keys.macKey)).toBe('2965f176a1084a02fd3f6a20ce636e20');
    expect(toSpecHex(keys.ltk)).toBe('6986791169d7cd23980522b594750a38');
    expect(toSpecHex(f5(flip(DHKEY, 31), X, Y, A1, A2).ltk)).not.toBe('6986791169d7cd23980522b594750a38');
  });

  it('f6 gives the sample check value (D.4), IOcap being AuthReq, OOB, IO capability', () => {
    const ioCap = ioCapField(0x01, 0x01, 0x02);
    expect(toSpecHex(ioCap)).toBe('010102');
    const r = s('12a3343bb453bb5408da42d20c2d0fc8');
    expect(toSpecHex(f6(MAC_KEY, X, Y, r, ioCap, A1, A2))).toBe('e3c473989cd0e8c5d26c0b09da958f61');
    expect(toSpecHex(f6(MAC_KEY, X, Y, r, ioCapField(0x01, 0x01, 0x03), A1, A2))).not.toBe('e3c473989cd0e8c5d26c0b09da958f61');
  });

  it('g2 gives the sample numeric comparison value (D.5)', () => {
    expect(g2(U, V, X, Y)).toBe(0x2f9ed5ba);
    expect(g2(U, V, X, Y) % 1_000_000).toBe(0x2f9ed5ba % 1_000_000);
    expect(g2(U, V, Y, X)).not.toBe(0x2f9ed5ba);
  });

  it('h6 and h7 give the sample outputs (D.6, D.8)', () => {
    expect(toHex(KEY_ID.lebr)).toBe('7262656c');
    expect(toSpecHex(h6(W128, KEY_ID.lebr))).toBe('2d9ae102e76dc91ce8d3a9e280b16399');
    expect(toSpecHex(SALT.tmp1)).toBe('000000000000000000000000746d7031');
    expect(toSpecHex(h7(SALT.tmp1, W128))).toBe('fb173597c6a3c0ecd2998c2a75a57011');
    expect(toSpecHex(h6(W128, KEY_ID.brle))).not.toBe('2d9ae102e76dc91ce8d3a9e280b16399');
  });

  it('converts an LTK to a BR/EDR link key and back as the samples do (D.9–D.12)', () => {
    const ltk = s('368df9bce3264b58bd066c33334fbf64');
    expect(toSpecHex(h6(h7(SALT.tmp1, ltk), KEY_ID.lebr))).toBe('287ad379dca402530a39f1f43047b835');
    expect(toSpecHex(h6(h6(ltk, KEY_ID.tmp1), KEY_ID.lebr))).toBe('bc1ca4ef633fc1bd0d8230afee388fb0');
    const linkKey = s('05040302010009080706050403020100');
    expect(toSpecHex(h6(h7(SALT.tmp2, linkKey), KEY_ID.brle))).toBe('e85e09eb5eccb3e269418a133211bc79');
    expect(toSpecHex(h6(h6(linkKey, KEY_ID.tmp2), KEY_ID.brle))).toBe('a813fb72f1a3dfa18a2c9a43f10d0a30');
  });

  it('refuses arguments of the wrong size', () => {
    expect(() => f4(U.slice(1), V, X, 0)).toThrow(/U: expected 32 octets/);
    expect(() => ah(W128, s('7081'))).toThrow(RangeError);
  });
});
