// P-256 checks against the specification's ECDH sample data (Core v5.4
// Vol 2 Part G, P-256 sample data, data set 1), whose private key A and public
// key A are also SMP's debug key pair (Vol 3 Part H 2.3.5.6.1). MSB first in
// the specification; fromSpecHex turns them LSB first.
import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromSpecHex as s, toSpecHex } from '../bytes';
import { DEBUG_KEY_PAIR, dhKey, isOnP256, judgePeerPublicKey, publicKeyOf } from './p256';

const privateA = s('3f49f6d4a3c55f3874c9b3e3d2103f504aff607beb40b7995899b8a6cd3c1abd');
const privateB = s('55188b3d32f6bb9a900afcfbeed4e72a59cb9ac2f19d7cfb6b4fdd49f47fc5fd');
const publicA = { x: s('20b003d2f297be2c5e2c83a7e9f9a5b9eff49111acf4fddbcc0301480e359de6'), y: s('dc809c49652aeb6d63329abf5a52155c766345c28fed3024741c8ed01589d28b') };
const publicB = { x: s('1ea1f0f01faf1d9609592284f19e4c0047b58afd8615a69f559077b22faaa190'), y: s('4c55f33e429dad377356703a9ab85160472d1130e28e36765f89aff915b1214a') };
const DHKEY = 'ec0234a357c8ad05341010a60a397d9b99796b13b4f866f1868d34f373bfa698';

describe('P-256 for LE Secure Connections', () => {
  it('derives the sample public keys from the sample private keys', () => {
    expect(publicKeyOf(privateA)).toEqual(publicA);
    expect(publicKeyOf(privateB)).toEqual(publicB);
    expect(DEBUG_KEY_PAIR.publicKey).toEqual(publicA);
    expect(DEBUG_KEY_PAIR.privateKey).toEqual(privateA);
  });

  it('computes the sample DHKey from either side', () => {
    expect(toSpecHex(dhKey(privateA, publicB)!)).toBe(DHKEY);
    expect(toSpecHex(dhKey(privateB, publicA)!)).toBe(DHKEY);
  });

  it('agrees with Node crypto on a key pair of its own', () => {
    const node = createECDH('prime256v1');
    node.generateKeys();
    const raw = node.getPublicKey();
    const peer = { x: Uint8Array.from(raw.subarray(1, 33)).reverse(), y: Uint8Array.from(raw.subarray(33, 65)).reverse() };
    const ours = dhKey(privateA, peer)!;
    const theirs = node.computeSecret(Buffer.from([0x04, ...publicA.x.slice().reverse(), ...publicA.y.slice().reverse()]));
    expect(Buffer.from(ours).reverse().toString('hex')).toBe(theirs.toString('hex'));
  });

  it('tells a point off the curve (CVE-2018-5383) and derives no key from it', () => {
    expect(isOnP256(publicB)).toBe(true);
    const offCurve = { x: publicB.x, y: publicB.y.map((b, i) => (i === 0 ? b ^ 1 : b)) };
    expect(isOnP256(offCurve)).toBe(false);
    expect(dhKey(privateA, offCurve)).toBeUndefined();
    expect(judgePeerPublicKey(offCurve, publicA)).toBe('not-on-curve');
    // The invalid-curve attack's favourite: y = 0, and coordinates ≥ p, and wrong sizes.
    expect(isOnP256({ x: publicB.x, y: new Uint8Array(32) })).toBe(false);
    expect(isOnP256({ x: new Uint8Array(32).fill(0xff), y: publicB.y })).toBe(false);
    expect(isOnP256({ x: publicB.x.slice(1), y: publicB.y })).toBe(false);
  });

  it('tells a reflected key (CVE-2020-26558): the peer sends our own X back', () => {
    expect(judgePeerPublicKey(publicA, publicA)).toBe('reflected');
    expect(judgePeerPublicKey(publicB, publicA)).toBe('valid');
  });

  it('refuses a private key that is not a P-256 scalar', () => {
    expect(() => publicKeyOf(new Uint8Array(32))).toThrow(RangeError);
  });
});
