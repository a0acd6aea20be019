/**
 * The EMV MAC with an 8-byte block cipher: ISO/IEC 9797-1 MAC Algorithm 3
 * ("retail MAC") with DES, padding method 2.
 *
 * Source: EMV 4.3 Book 2 Annex A1.2.1. The data is padded with '80' then as
 * few '00' bytes as make its length a multiple of 8 (ISO/IEC 9797-1 padding
 * method 2; the '80' is always added). With the MAC key K = KL || KR:
 *   H1 := DES(KL)[D1];  Hi := DES(KL)[Hi-1 ⊕ Di]  (i = 2..q)
 *   MAC := DES(KL)[DES⁻¹(KR)[Hq]], truncated to s bytes (4 ≤ s ≤ 8).
 * The Application Cryptogram (Book 2 8.1.2) is this MAC with s = 8 under the
 * AC session key; ARPC Method 2 (8.2.2) is it with s = 4.
 */
import { desDecrypt, desEncrypt, xorBytes } from './des';

/** ISO/IEC 9797-1 padding method 2: '80' then '00's to a multiple of 8 bytes. */
export function padMethod2(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / 8) + 1) * 8);
  out.set(data, 0);
  out[data.length] = 0x80;
  return out;
}

/** The EMV MAC (Book 2 A1.2.1) of `data` under the 16-byte key KL || KR, `length` bytes long. */
export function emvMac(key: Uint8Array, data: Uint8Array, length = 8): Uint8Array {
  if (key.length !== 16) throw new RangeError(`the EMV MAC takes a 16-byte key, got ${key.length}`);
  if (!Number.isInteger(length) || length < 4 || length > 8) throw new RangeError(`MAC length ${length} is not 4-8 bytes`);
  return retailMac(key, padMethod2(data)).slice(0, length);
}

/** ISO/IEC 9797-1 MAC Algorithm 3 over data already padded to whole blocks. */
export function retailMac(key: Uint8Array, padded: Uint8Array): Uint8Array {
  if (padded.length === 0 || padded.length % 8 !== 0) throw new RangeError('MAC Algorithm 3 needs one or more whole blocks');
  const kl = key.slice(0, 8);
  const kr = key.slice(8, 16);
  let h: Uint8Array = new Uint8Array(8);
  for (let at = 0; at < padded.length; at += 8) h = desEncrypt(kl, xorBytes(h, padded.slice(at, at + 8)));
  return desEncrypt(kl, desDecrypt(kr, h));
}

