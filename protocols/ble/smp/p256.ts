/**
 * P-256 for LE Secure Connections (Core v5.4 Vol 3 Part H 2.3.5.6.1), on
 * @noble/curves. Keys as the Pairing Public Key PDU carries them (3.5.6):
 * X then Y, each 32 octets LSB first; the DHKey (the shared point's X) LSB
 * first as f5 takes it; private keys LSB first too, so that every value here
 * is converted from the specification's printed form by one `fromSpecHex`.
 *
 * A peer's public key must be checked before use: a point not on the curve
 * lets an attacker learn the DHKey (CVE-2018-5383; the specification's
 * erratum for it made checking the peer's key mandatory); a key whose X equals our
 * own (a reflected key, CVE-2020-26558) lets an attacker pass Passkey Entry's
 * authentication stage by mirroring us. Neither case has its own Pairing
 * Failed reason; `PEER_KEY_FAILURE` says which one we send (Invalid
 * Parameters: "a parameter is outside of the specified range").
 */
import { p256 } from '@noble/curves/nist.js';
import { PairingFailedReason } from './constants';

export interface PublicKey {
  /** 32 octets, LSB first. */
  x: Uint8Array;
  /** 32 octets, LSB first. */
  y: Uint8Array;
}

export type PeerKeyVerdict = 'valid' | 'not-on-curve' | 'reflected';

/** The Pairing Failed reason a device sends for a refused peer key (our choice, see above). */
export const PEER_KEY_FAILURE = PairingFailedReason.INVALID_PARAMETERS;

/**
 * The debug key pair (2.3.5.6.1): a device in Debug mode uses it so that
 * air traces can be decrypted; a production device refuses a peer using it
 * (Wireshark and sniffers know it). Values LSB first.
 */
export const DEBUG_KEY_PAIR = {
  privateKey: le('3f49f6d4a3c55f3874c9b3e3d2103f504aff607beb40b7995899b8a6cd3c1abd'),
  publicKey: {
    x: le('20b003d2f297be2c5e2c83a7e9f9a5b9eff49111acf4fddbcc0301480e359de6'),
    y: le('dc809c49652aeb6d63329abf5a52155c766345c28fed3024741c8ed01589d28b'),
  },
} as const;

/** Whether (X, Y) is a point on P-256 (coordinates below p, on the curve, not the point at infinity). Never throws. */
export function isOnP256(key: PublicKey): boolean {
  if (key.x.length !== 32 || key.y.length !== 32) return false;
  return p256.utils.isValidPublicKey(sec1(key), false);
}

/** The checks a device applies to a received Pairing Public Key before computing the DHKey. */
export function judgePeerPublicKey(peer: PublicKey, own: PublicKey): PeerKeyVerdict {
  if (!isOnP256(peer)) return 'not-on-curve';
  if (peer.x.every((b, i) => b === own.x[i])) return 'reflected';
  return 'valid';
}

/** Our public key for a private key (32 octets LSB first). Throws RangeError on an invalid private key. */
export function publicKeyOf(privateKey: Uint8Array): PublicKey {
  const point = p256.getPublicKey(scalar(privateKey), false);
  return { x: rev(point.slice(1, 33)), y: rev(point.slice(33, 65)) };
}

/**
 * DHKey = X coordinate of privateKey · peer (2.3.5.6.1), LSB first, or
 * undefined when the peer's key is not on the curve (no key is derived from
 * an invalid point). Throws RangeError on an invalid private key.
 */
export function dhKey(privateKey: Uint8Array, peer: PublicKey): Uint8Array | undefined {
  if (!isOnP256(peer)) return undefined;
  const shared = p256.getSharedSecret(scalar(privateKey), sec1(peer), true);
  return rev(shared.slice(1, 33));
}

function sec1(key: PublicKey): Uint8Array {
  const out = new Uint8Array(65);
  out[0] = 0x04;
  out.set(rev(key.x), 1);
  out.set(rev(key.y), 33);
  return out;
}

function scalar(privateKey: Uint8Array): Uint8Array {
  const be = rev(privateKey);
  if (privateKey.length !== 32 || !p256.utils.isValidSecretKey(be)) throw new RangeError('not a P-256 private key');
  return be;
}

function rev(bytes: Uint8Array): Uint8Array {
  return bytes.slice().reverse();
}

function le(msbFirstHex: string): Uint8Array {
  const out = new Uint8Array(msbFirstHex.length / 2);
  for (let i = 0; i < out.length; i++) out[out.length - 1 - i] = parseInt(msbFirstHex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
