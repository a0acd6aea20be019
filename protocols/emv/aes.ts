/**
 * EMV's AES-based key derivation and MAC, as pure functions of bytes, on
 * @noble/ciphers (no hand-written AES or CMAC).
 *
 * Sources: EMV 4.3 Book 2 Annex A1.2.2 (MAC with a 16-byte block cipher:
 * ISO/IEC 9797-1 MAC Algorithm 5, i.e. CMAC of NIST SP 800-38B, truncated to
 * s bytes, 4 ≤ s ≤ 16), A1.3.1 (Common Session Key Derivation), A1.4.1
 * (ICC Master Key Derivation, Option A) and 8.1.2 (the Application Cryptogram
 * is that MAC, 8 bytes, under the AC session key).
 *
 * A1.3.1, for a block cipher of n-byte blocks (AES: n = 16), a k-bit ICC
 * Master Key MK and an n-byte diversification value R = R0 || ... || Rn-1:
 *   k = 8n:  SK := AES(MK)[R]
 *   k > 8n:  F1 := AES(MK)[R0 || R1 || 'F0' || R3 || ... || Rn-1]
 *            F2 := AES(MK)[R0 || R1 || '0F' || R3 || ... || Rn-1]
 *            SK := the leftmost k bits of F1 || F2
 * For the AC session key R := ATC || '00' × (n-2) (Book 2 8.1.2).
 *
 * A1.4.1 Option A with an AES Issuer Master Key: the digits of PAN || PAN
 * Sequence Number ('00' when absent), left-padded with zero nibbles to 16
 * bytes, give Y; ZL := AES(IMK)[Y], ZR := AES(IMK)[Y ⊕ 'FF' × 16]; the
 * k-bit MK is the leftmost k bits of ZL || ZR (no parity adjustment: that is
 * for DES keys only).
 *
 * Triple-DES variants (Option A with a 3DES IMK, the 3DES MAC of A1.2.1,
 * ARPC Method 1, Visa CVN 18's cryptogram) need DES, which @noble does not
 * provide; they stay with the simulator on Node's crypto.
 */
import { cmac, ecb } from '@noble/ciphers/aes.js';

const BLOCK = 16;

/** EMV Book 2 A1.3.1: the session key from an AES ICC master key (16, 24 or 32 bytes) and a 16-byte R. */
export function deriveSessionKeyAes(masterKey: Uint8Array, r: Uint8Array): Uint8Array {
  checkAesKey(masterKey);
  if (r.length !== BLOCK) throw new RangeError(`R must be ${BLOCK} bytes for AES, got ${r.length}`);
  if (masterKey.length === BLOCK) return encryptBlock(masterKey, r);
  const f1 = r.slice();
  f1[2] = 0xf0;
  const f2 = r.slice();
  f2[2] = 0x0f;
  const both = new Uint8Array(2 * BLOCK);
  both.set(encryptBlock(masterKey, f1), 0);
  both.set(encryptBlock(masterKey, f2), BLOCK);
  return both.slice(0, masterKey.length);
}

/** R for the Application Cryptogram session key: ATC || '00' × 14 (EMV Book 2 8.1.2, A1.3.1). */
export function acDiversifier(atc: Uint8Array | number): Uint8Array {
  const r = new Uint8Array(BLOCK);
  if (typeof atc === 'number') {
    if (!Number.isInteger(atc) || atc < 0 || atc > 0xffff) throw new RangeError(`ATC ${atc} is not 2 bytes`);
    r[0] = atc >> 8;
    r[1] = atc & 0xff;
  } else {
    if (atc.length !== 2) throw new RangeError(`ATC must be 2 bytes, got ${atc.length}`);
    r.set(atc, 0);
  }
  return r;
}

/** EMV Book 2 A1.2.2: CMAC (ISO/IEC 9797-1 MAC Algorithm 5) under `key`, truncated to `size` bytes (4-16). */
export function macAes(key: Uint8Array, message: Uint8Array, size = 8): Uint8Array {
  checkAesKey(key);
  if (!Number.isInteger(size) || size < 4 || size > BLOCK) throw new RangeError(`a MAC is 4-16 bytes, not ${size}`);
  return cmac(message, key).slice(0, size);
}

/** EMV Book 2 8.1.2: the 8-byte Application Cryptogram over the CDOL-selected data, under the AC session key. */
export function applicationCryptogramAes(sessionKey: Uint8Array, data: Uint8Array): Uint8Array {
  return macAes(sessionKey, data, 8);
}

/**
 * EMV Book 2 A1.4.1 Option A with an AES Issuer Master Key: the ICC Master
 * Key of `keyLength` bytes (16, 24 or 32) for a PAN and PAN Sequence Number.
 */
export function deriveIccMasterKeyAes(issuerMasterKey: Uint8Array, pan: string, panSequenceNumber = '00', keyLength = 16): Uint8Array {
  checkAesKey(issuerMasterKey);
  if (!/^\d{1,19}$/.test(pan)) throw new RangeError(`PAN '${pan}' is not 1-19 digits`);
  if (!/^\d{2}$/.test(panSequenceNumber)) throw new RangeError(`PAN sequence number '${panSequenceNumber}' is not 2 digits`);
  if (keyLength !== 16 && keyLength !== 24 && keyLength !== 32) throw new RangeError(`an AES key is 16, 24 or 32 bytes, not ${keyLength}`);
  const digits = (pan + panSequenceNumber).padStart(2 * BLOCK, '0');
  const y = Uint8Array.from({ length: BLOCK }, (_, i) => parseInt(digits.slice(2 * i, 2 * i + 2), 16));
  const zl = encryptBlock(issuerMasterKey, y);
  if (keyLength === BLOCK) return zl;
  const zr = encryptBlock(issuerMasterKey, y.map((b) => b ^ 0xff));
  const z = new Uint8Array(2 * BLOCK);
  z.set(zl, 0);
  z.set(zr, BLOCK);
  return z.slice(0, keyLength);
}

// ---------------------------------------------------------------------------

function encryptBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  return ecb(key, { disablePadding: true }).encrypt(block);
}

function checkAesKey(key: Uint8Array): void {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) throw new RangeError(`an AES key is 16, 24 or 32 bytes, not ${key.length}`);
}
