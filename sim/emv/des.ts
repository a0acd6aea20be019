/**
 * DES and two-key triple DES block operations for EMV, on Node's OpenSSL.
 *
 * EMV's DES-based functions (EMV 4.3 Book 2 Annex A1.1) use single DES for
 * the chained part of the MAC and two-key triple DES (EDE, keys KL || KR,
 * ISO/IEC 18033-3) for key derivation, the MAC's last block and the ARPC.
 * OpenSSL 3 moved plain DES into its legacy provider, which Node does not
 * load; single DES is therefore run as des-ede with K || K, which is the same
 * permutation (E_K ∘ D_K ∘ E_K = E_K).
 *
 * Host-side only (sim/): the @noble packages carry no DES.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

/** Two-key triple DES, ECB, encrypting whole 8-byte blocks. `key` is KL || KR (16 bytes). */
export function tdesEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(createCipheriv('des-ede-ecb', check(key, 16), null), data);
}

/** Two-key triple DES, ECB, decrypting whole 8-byte blocks. */
export function tdesDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  return run(createDecipheriv('des-ede-ecb', check(key, 16), null), data);
}

/** Single DES, ECB encrypt (as des-ede with K || K). */
export function desEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = check(key, 8);
  return tdesEncrypt(concatBytes(k, k), data);
}

/** Single DES, ECB decrypt. */
export function desDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = check(key, 8);
  return tdesDecrypt(concatBytes(k, k), data);
}

/** Key check value: the leftmost `length` bytes of the key encrypting a zero block (ANSI X9.24 convention). */
export function keyCheckValue(key: Uint8Array, length = 3): Uint8Array {
  const zero = new Uint8Array(8);
  return (key.length === 8 ? desEncrypt(key, zero) : tdesEncrypt(key, zero)).slice(0, length);
}

/** Sets each byte's least significant bit so the byte has odd parity (DES key convention, FIPS 46-3). */
export function withOddParity(key: Uint8Array): Uint8Array {
  return key.map((b) => {
    let ones = 0;
    for (let v = b >> 1; v; v >>= 1) ones += v & 1;
    return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  });
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new RangeError(`xor of ${a.length} and ${b.length} bytes`);
  return a.map((x, i) => x ^ b[i]!);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

// ---------------------------------------------------------------------------

function check(key: Uint8Array, length: number): Uint8Array {
  if (key.length !== length) throw new RangeError(`a ${length}-byte DES key was expected, got ${key.length} bytes`);
  return key;
}

function run(cipher: ReturnType<typeof createCipheriv>, data: Uint8Array): Uint8Array {
  if (data.length % 8 !== 0) throw new RangeError(`DES works on 8-byte blocks, got ${data.length} bytes`);
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}
