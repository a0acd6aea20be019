/**
 * The Security Manager's cryptographic toolbox (Core v5.4 Vol 3 Part H 2.2):
 * e, ah, c1, s1 (legacy pairing, privacy) and f4, f5, f6, g2, h6, h7 (LE
 * Secure Connections, key conversion), on @noble/ciphers' AES-128 and
 * AES-CMAC (RFC 4493).
 *
 * Byte order: every argument and result is in wire order, least significant
 * octet first, as SMP PDUs, HCI (LE_Encrypt, LTK replies) and ble-host's
 * stored keys carry them. The specification defines the functions on
 * MSB-first values and prints its sample data MSB first (Appendix D):
 * `fromSpecHex` (../bytes) converts printed values. Each function reverses
 * into the specification's order for AES, and back.
 *
 * Addresses: `ia`/`ra` (c1) are BD_ADDRs as 6 octets LSB first; `a1`/`a2`
 * (f5, f6) are 7 octets: the BD_ADDR LSB first, then its type (0 public,
 * 1 random) as the most significant octet (2.2.7). Key IDs and salts (h6,
 * h7) are LSB first too: KEY_ID and SALT below.
 */
import { cmac, ecb } from '@noble/ciphers/aes.js';

/** h6/h7 key IDs and salts as 4/16 octets LSB first (2.4.2.4, 2.4.2.5: "tmp1", "tmp2", "lebr", "brle"). */
export const KEY_ID = {
  lebr: ascii('lebr'),
  brle: ascii('brle'),
  tmp1: ascii('tmp1'),
  tmp2: ascii('tmp2'),
} as const;
export const SALT = {
  tmp1: pad16(ascii('tmp1')),
  tmp2: pad16(ascii('tmp2')),
} as const;

/** f5's SALT 0x6C888391AAF5A53860370BDB5A6083BE (2.2.7), LSB first. */
const F5_SALT = Uint8Array.from([0x6c, 0x88, 0x83, 0x91, 0xaa, 0xf5, 0xa5, 0x38, 0x60, 0x37, 0x0b, 0xdb, 0x5a, 0x60, 0x83, 0xbe]).reverse();

/** Security function e (2.2.1): AES-128 of one block. */
export function e(key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return rev(aesBlock(rev(sized(key, 16, 'key')), rev(sized(plaintext, 16, 'plaintext'))));
}

/** Random address hash ah (2.2.2): e(k, padding || r) mod 2^24. `r` is prand, 3 octets. */
export function ah(irk: Uint8Array, r: Uint8Array): Uint8Array {
  const block = new Uint8Array(16);
  block.set(sized(r, 3, 'r'));
  return e(irk, block).slice(0, 3);
}

/**
 * Confirm value generation c1 (2.2.3): e(k, e(k, r XOR p1) XOR p2) with
 * p1 = pres || preq || rat || iat and p2 = padding || ia || ra. `preq` and
 * `pres` are the Pairing Request and Response PDUs (7 octets, code first, as
 * sent); `iat`/`rat` the initiator's/responder's address types (0 or 1).
 */
export function c1(k: Uint8Array, r: Uint8Array, preq: Uint8Array, pres: Uint8Array, iat: number, ia: Uint8Array, rat: number, ra: Uint8Array): Uint8Array {
  const p1 = new Uint8Array(16);
  p1[0] = iat & 1;
  p1[1] = rat & 1;
  p1.set(sized(preq, 7, 'preq'), 2);
  p1.set(sized(pres, 7, 'pres'), 9);
  const p2 = new Uint8Array(16);
  p2.set(sized(ra, 6, 'ra'), 0);
  p2.set(sized(ia, 6, 'ia'), 6);
  return e(k, xor(e(k, xor(sized(r, 16, 'r'), p1)), p2));
}

/** Key generation s1 (2.2.4): e(k, r1' || r2'), r1' and r2' the least significant 64 bits of r1 and r2. The STK. */
export function s1(k: Uint8Array, r1: Uint8Array, r2: Uint8Array): Uint8Array {
  const r = new Uint8Array(16);
  r.set(sized(r2, 16, 'r2').subarray(0, 8), 0);
  r.set(sized(r1, 16, 'r1').subarray(0, 8), 8);
  return e(k, r);
}

/** LE Secure Connections confirm value f4 (2.2.6): AES-CMAC_X(U || V || Z). U, V: public key X coordinates (32); X: a nonce (16); Z: one octet. */
export function f4(u: Uint8Array, v: Uint8Array, x: Uint8Array, z: number): Uint8Array {
  return cmacLe(x, [Uint8Array.of(z), sized(v, 32, 'V'), sized(u, 32, 'U')]);
}

/**
 * Key generation f5 (2.2.7): T = AES-CMAC_SALT(W), then
 * AES-CMAC_T(Counter || keyID "btle" || N1 || N2 || A1 || A2 || Length 256)
 * with Counter 0 → MacKey, 1 → LTK.
 */
export function f5(w: Uint8Array, n1: Uint8Array, n2: Uint8Array, a1: Uint8Array, a2: Uint8Array): { macKey: Uint8Array; ltk: Uint8Array } {
  const t = cmacLe(F5_SALT, [sized(w, 32, 'W')]);
  const tail = [Uint8Array.of(0x00, 0x01), sized(a2, 7, 'A2'), sized(a1, 7, 'A1'), sized(n2, 16, 'N2'), sized(n1, 16, 'N1'), ascii('btle')];
  return { macKey: cmacLe(t, [...tail, Uint8Array.of(0)]), ltk: cmacLe(t, [...tail, Uint8Array.of(1)]) };
}

/** Check value f6 (2.2.8): AES-CMAC_W(N1 || N2 || R || IOcap || A1 || A2). `ioCap` from `ioCapField`. */
export function f6(w: Uint8Array, n1: Uint8Array, n2: Uint8Array, r: Uint8Array, ioCap: Uint8Array, a1: Uint8Array, a2: Uint8Array): Uint8Array {
  return cmacLe(w, [sized(a2, 7, 'A2'), sized(a1, 7, 'A1'), sized(ioCap, 3, 'IOcap'), sized(r, 16, 'R'), sized(n2, 16, 'N2'), sized(n1, 16, 'N1')]);
}

/** IOcap of f6 (2.2.8): AuthReq (most significant), OOB data flag, IO capability — 3 octets LSB first. */
export function ioCapField(authReq: number, oobDataFlag: number, ioCapability: number): Uint8Array {
  return Uint8Array.of(ioCapability, oobDataFlag, authReq);
}

/** Numeric comparison value g2 (2.2.9): AES-CMAC_X(U || V || Y) mod 2^32, as a number; the 6 digits shown are `g2 % 1_000_000`. */
export function g2(u: Uint8Array, v: Uint8Array, x: Uint8Array, y: Uint8Array): number {
  const mac = cmacLe(x, [sized(y, 16, 'Y'), sized(v, 32, 'V'), sized(u, 32, 'U')]);
  return ((mac[3] ?? 0) * 0x1000000 + ((mac[2] ?? 0) << 16) + ((mac[1] ?? 0) << 8) + (mac[0] ?? 0)) >>> 0;
}

/** Link key conversion h6 (2.2.10): AES-CMAC_W(keyID). */
export function h6(w: Uint8Array, keyId: Uint8Array): Uint8Array {
  return cmacLe(sized(w, 16, 'W'), [sized(keyId, 4, 'keyID')]);
}

/** Link key conversion h7 (2.2.11): AES-CMAC_SALT(W). */
export function h7(salt: Uint8Array, w: Uint8Array): Uint8Array {
  return cmacLe(sized(salt, 16, 'SALT'), [sized(w, 16, 'W')]);
}

/** AES-CMAC with key and message given LSB first (the message as LSB-first parts, least significant part first), result LSB first. */
function cmacLe(keyLe: Uint8Array, partsLe: Uint8Array[]): Uint8Array {
  const total = partsLe.reduce((n, p) => n + p.length, 0);
  const messageLe = new Uint8Array(total);
  let at = 0;
  for (const p of partsLe) {
    messageLe.set(p, at);
    at += p.length;
  }
  return rev(cmac(rev(messageLe), rev(sized(keyLe, 16, 'key'))));
}

function aesBlock(keyMsb: Uint8Array, blockMsb: Uint8Array): Uint8Array {
  return ecb(keyMsb, { disablePadding: true }).encrypt(blockMsb);
}

function rev(bytes: Uint8Array): Uint8Array {
  return bytes.slice().reverse();
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  return a.map((v, i) => v ^ (b[i] ?? 0));
}

function sized(bytes: Uint8Array, length: number, name: string): Uint8Array {
  if (bytes.length !== length) throw new RangeError(`${name}: expected ${length} octets, got ${bytes.length}`);
  return bytes;
}

/** ASCII text as the specification writes key IDs: its first character is the most significant octet. */
function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0)).reverse();
}

function pad16(le: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out.set(le);
  return out;
}
