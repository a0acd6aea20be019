/**
 * GlobalPlatform Secure Channel Protocol '03' (AES) as pure functions on
 * bytes: key derivation, cryptograms, command and response wrapping. The card
 * (sim/se's issuer security domain) and any host (the simulator's factory
 * step, a driver) use the same functions.
 *
 * Source: GlobalPlatform Card Specification v2.3 – Amendment D "Secure
 * Channel Protocol '03'" v1.1.x (S8 mode: 8-byte challenges, cryptograms and
 * MACs):
 *   4.1.5 / 6.2.1  data derivation: NIST SP 800-108 KDF in counter mode with
 *                  AES-CMAC (SP 800-38B) as PRF; the derivation data is
 *                  label (11 '00' bytes || derivation constant) || '00'
 *                  (separation indicator) || L (2 bytes, bits) || i (1-byte
 *                  counter from 1) || context
 *   4.1.5 Table 4-1 derivation constants: card cryptogram '00', host
 *                  cryptogram '01', card challenge '02', S-ENC '04',
 *                  S-MAC '06', S-RMAC '07'
 *   6.2.2          card challenge (pseudo-random): context = sequence
 *                  counter (3 bytes) || AID of the invoking application,
 *                  under the static Key-ENC; cryptograms: context = host
 *                  challenge || card challenge, under S-MAC, L = 64
 *   6.2.1          session keys: same context, under Key-ENC / Key-MAC, L = key bits
 *   6.2.4          C-MAC: CMAC(S-MAC, MAC chaining value || header || Lc ||
 *                  data), leftmost 8 bytes sent; the whole 16 bytes chain to
 *                  the next command (the chaining value starts at 16 '00' for
 *                  EXTERNAL AUTHENTICATE)
 *   6.2.5          R-MAC: CMAC(S-RMAC, MAC chaining value || data || SW)
 *   6.2.6          C-DECRYPTION: data padded '80 00..' to 16 bytes, AES-CBC
 *                  under S-ENC with ICV = AES(S-ENC, encryption counter as
 *                  16 bytes); the counter starts at 1 after EXTERNAL
 *                  AUTHENTICATE and steps once per command
 *   6.2.7          R-ENCRYPTION: response data encrypted likewise, ICV =
 *                  AES(S-ENC, '80' || counter on 15 bytes)
 *   7.1.2.1/7.1.2.2 security levels: '01' C-MAC, '02' C-DECRYPTION,
 *                  '10' R-MAC, '20' R-ENCRYPTION.
 * Checked against the published SCP03 traces of osmocom pySim
 * (tests/unittests/test_globalplatform.py), see scp03.test.ts.
 */
import { cbc, cmac, ecb } from '@noble/ciphers/aes.js';
import { concatBytes } from '../bytes';

export const DERIVATION = { cardCryptogram: 0x00, hostCryptogram: 0x01, cardChallenge: 0x02, sEnc: 0x04, sMac: 0x06, sRmac: 0x07 } as const;
export const SECURITY_LEVEL = { cMac: 0x01, cDecryption: 0x02, rMac: 0x10, rEncryption: 0x20 } as const;
const BLOCK = 16;

export interface StaticKeys {
  enc: Uint8Array;
  mac: Uint8Array;
  dek: Uint8Array;
}

export interface SessionKeys {
  sEnc: Uint8Array;
  sMac: Uint8Array;
  sRmac: Uint8Array;
}

/** One secure channel session's running state (both ends keep one). */
export interface Scp03Session {
  keys: SessionKeys;
  /** Security level of EXTERNAL AUTHENTICATE P1. */
  level: number;
  /** The 16-byte MAC chaining value. */
  chaining: Uint8Array;
  /** The encryption counter of the last command (0 before the first one after EXTERNAL AUTHENTICATE). */
  counter: number;
}

/** SP 800-108 counter-mode KDF with AES-CMAC, as GP Amendment D 4.1.5 lays out its input. */
export function scp03Kdf(key: Uint8Array, constant: number, context: Uint8Array, lengthBits: number): Uint8Array {
  const blocks = Math.ceil(lengthBits / 128);
  const out = new Uint8Array(blocks * BLOCK);
  for (let i = 1; i <= blocks; i++) {
    const input = new Uint8Array(16 + context.length);
    input[11] = constant;
    input[12] = 0x00;
    input[13] = (lengthBits >> 8) & 0xff;
    input[14] = lengthBits & 0xff;
    input[15] = i;
    input.set(context, 16);
    out.set(cmac(input, key), (i - 1) * BLOCK);
  }
  return out.slice(0, lengthBits / 8);
}

export function deriveSessionKeys(keys: StaticKeys, hostChallenge: Uint8Array, cardChallenge: Uint8Array): SessionKeys {
  const context = concatBytes(hostChallenge, cardChallenge);
  const bits = keys.enc.length * 8;
  return {
    sEnc: scp03Kdf(keys.enc, DERIVATION.sEnc, context, bits),
    sMac: scp03Kdf(keys.mac, DERIVATION.sMac, context, keys.mac.length * 8),
    sRmac: scp03Kdf(keys.mac, DERIVATION.sRmac, context, keys.mac.length * 8),
  };
}

export function cardCryptogram(sMac: Uint8Array, hostChallenge: Uint8Array, cardChallenge: Uint8Array): Uint8Array {
  return scp03Kdf(sMac, DERIVATION.cardCryptogram, concatBytes(hostChallenge, cardChallenge), 64);
}

export function hostCryptogram(sMac: Uint8Array, hostChallenge: Uint8Array, cardChallenge: Uint8Array): Uint8Array {
  return scp03Kdf(sMac, DERIVATION.hostCryptogram, concatBytes(hostChallenge, cardChallenge), 64);
}

/** GP Amendment D 6.2.2.1: the pseudo-random card challenge from the sequence counter and the invoking AID. */
export function pseudoRandomCardChallenge(keyEnc: Uint8Array, sequenceCounter: Uint8Array, aid: Uint8Array): Uint8Array {
  return scp03Kdf(keyEnc, DERIVATION.cardChallenge, concatBytes(sequenceCounter, aid), 64);
}

export function newSession(keys: SessionKeys, level: number): Scp03Session {
  return { keys, level, chaining: new Uint8Array(BLOCK), counter: 0 };
}

/** The header and Lc the MAC covers (Lc counting the encrypted data and the 8 MAC bytes). */
function macInput(chaining: Uint8Array, cla: number, ins: number, p1: number, p2: number, body: Uint8Array): Uint8Array {
  const lc = body.length + 8;
  const lcField = lc <= 255 ? [lc] : [0, lc >> 8, lc & 0xff];
  return concatBytes(chaining, Uint8Array.from([cla, ins, p1, p2, ...lcField]), body);
}

/**
 * Host side: EXTERNAL AUTHENTICATE ('84 82', P1 = security level), always
 * C-MAC only and before the encryption counter starts (Amendment D 7.1.2).
 */
export function externalAuthenticateCommand(session: Scp03Session, hostCryptogramBytes: Uint8Array): WrappedCommand {
  const level = session.level;
  session.level = SECURITY_LEVEL.cMac;
  const wrapped = wrapCommand(session, { cla: 0x80, ins: 0x82, p1: level, p2: 0x00, data: hostCryptogramBytes });
  session.level = level;
  session.counter = 0;
  return wrapped;
}

/** Card side of the same: checks the C-MAC (the caller then checks the host cryptogram in the returned data). */
export function unwrapExternalAuthenticate(session: Scp03Session, command: WrappedCommand): UnwrapResult {
  const level = session.level;
  session.level = SECURITY_LEVEL.cMac;
  const result = unwrapCommand(session, command);
  session.level = level;
  session.counter = 0;
  return result;
}

export interface WrappedCommand {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Data as sent: (encrypted) data || C-MAC. */
  data: Uint8Array;
  ne?: number;
}

/**
 * Host side: secure a plain command (CLA gets b3, the GP secure messaging
 * indication). Updates the session's chaining value and counter.
 */
export function wrapCommand(session: Scp03Session, command: WrappedCommand): WrappedCommand {
  const cla = command.cla | 0x04;
  session.counter++;
  let body = command.data;
  if (session.level & SECURITY_LEVEL.cDecryption && body.length > 0) {
    body = cbc(session.keys.sEnc, commandIcv(session), { disablePadding: true }).encrypt(pad(body));
  }
  const full = cmac(macInput(session.chaining, cla, command.ins, command.p1, command.p2, body), session.keys.sMac);
  session.chaining = full;
  return { cla, ins: command.ins, p1: command.p1, p2: command.p2, data: concatBytes(body, full.slice(0, 8)), ne: command.ne };
}

export type UnwrapResult = { ok: true; data: Uint8Array } | { ok: false; reason: 'no-mac' | 'bad-mac' | 'bad-padding' };

/**
 * Card side: check the C-MAC of a received command (and decrypt its data
 * under C-DECRYPTION). On success the chaining value and counter move on.
 */
export function unwrapCommand(session: Scp03Session, command: WrappedCommand): UnwrapResult {
  if (command.data.length < 8) return { ok: false, reason: 'no-mac' };
  const body = command.data.subarray(0, command.data.length - 8);
  const mac = command.data.subarray(command.data.length - 8);
  const full = cmac(macInput(session.chaining, command.cla, command.ins, command.p1, command.p2, body), session.keys.sMac);
  if (!equal(full.subarray(0, 8), mac)) return { ok: false, reason: 'bad-mac' };
  session.chaining = full;
  session.counter++;
  if (!(session.level & SECURITY_LEVEL.cDecryption) || body.length === 0) return { ok: true, data: body.slice() };
  if (body.length % BLOCK !== 0) return { ok: false, reason: 'bad-padding' };
  const plain = cbc(session.keys.sEnc, commandIcv(session), { disablePadding: true }).decrypt(body);
  const data = unpad(plain);
  return data ? { ok: true, data } : { ok: false, reason: 'bad-padding' };
}

/** Card side: R-ENCRYPTION then R-MAC of a response, as the session's level asks. */
export function wrapResponse(session: Scp03Session, data: Uint8Array, sw: number): Uint8Array {
  let body = data;
  if (session.level & SECURITY_LEVEL.rEncryption && body.length > 0) {
    body = cbc(session.keys.sEnc, responseIcv(session), { disablePadding: true }).encrypt(pad(body));
  }
  if (!(session.level & SECURITY_LEVEL.rMac)) return body;
  const mac = cmac(concatBytes(session.chaining, body, Uint8Array.of(sw >> 8, sw & 0xff)), session.keys.sRmac).slice(0, 8);
  return concatBytes(body, mac);
}

/** Host side: check the R-MAC and decrypt. `undefined` when the R-MAC or the padding is wrong. */
export function unwrapResponse(session: Scp03Session, data: Uint8Array, sw: number): Uint8Array | undefined {
  let body = data;
  if (session.level & SECURITY_LEVEL.rMac) {
    if (data.length < 8) return undefined;
    body = data.subarray(0, data.length - 8);
    const mac = cmac(concatBytes(session.chaining, body, Uint8Array.of(sw >> 8, sw & 0xff)), session.keys.sRmac).subarray(0, 8);
    if (!equal(mac, data.subarray(data.length - 8))) return undefined;
  }
  if (!(session.level & SECURITY_LEVEL.rEncryption) || body.length === 0) return body.slice();
  if (body.length % BLOCK !== 0) return undefined;
  return unpad(cbc(session.keys.sEnc, responseIcv(session), { disablePadding: true }).decrypt(body));
}

/** ISO/IEC 9797-1 padding method 2: '80' then '00' to a block boundary. */
export function pad(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / BLOCK) + 1) * BLOCK);
  out.set(data, 0);
  out[data.length] = 0x80;
  return out;
}

export function unpad(data: Uint8Array): Uint8Array | undefined {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0) i--;
  if (i < 0 || data[i] !== 0x80 || data.length - i > BLOCK) return undefined;
  return data.slice(0, i);
}

/** AES-ECB of one block under the session's S-ENC or a DEK (GP CS 2.3 11.1.8 key data; Amendment D 6.2.8 sensitive data). */
export function encryptBlocks(key: Uint8Array, data: Uint8Array): Uint8Array {
  return ecb(key, { disablePadding: true }).encrypt(data);
}

export function decryptBlocks(key: Uint8Array, data: Uint8Array): Uint8Array {
  return ecb(key, { disablePadding: true }).decrypt(data);
}

// ---------------------------------------------------------------------------

function commandIcv(session: Scp03Session): Uint8Array {
  return encryptBlocks(session.keys.sEnc, counterBlock(session.counter, 0x00));
}

function responseIcv(session: Scp03Session): Uint8Array {
  return encryptBlocks(session.keys.sEnc, counterBlock(session.counter, 0x80));
}

function counterBlock(counter: number, first: number): Uint8Array {
  const block = new Uint8Array(BLOCK);
  let n = counter;
  for (let i = BLOCK - 1; i >= 1 && n > 0; i--) {
    block[i] = n & 0xff;
    n = Math.floor(n / 256);
  }
  block[0] = first;
  return block;
}


/** Compares in time independent of where the first difference is. */
export function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
