/**
 * Application Cryptograms and the issuer's answer to them (ARPC), with
 * two-key triple DES.
 *
 * Sources: EMV 4.3 Book 2 8.1.2 (the AC is the A1.2.1 MAC, 8 bytes, under
 * the AC session key), 8.2.1 (ARPC Method 1) and 8.2.2 (ARPC Method 2).
 *
 *   Method 1: ARPC := 3DES(K)[ARQC ⊕ (ARC || '00'×6)], 8 bytes; the issuer
 *             sends ARPC || ARC as Issuer Authentication Data ('91').
 *   Method 2: ARPC := MAC(K)[ARQC || CSU || Proprietary Authentication Data],
 *             the A1.2.1 MAC truncated to 4 bytes; '91' carries ARPC || CSU
 *             || Proprietary Authentication Data.
 *
 * K is the key the scheme names: Book 2 uses the AC session key; Visa's
 * CVN 10 uses the ICC Master Key itself. The functions take it as a parameter.
 */
import { concatBytes, tdesEncrypt } from './des';
import { emvMac } from './mac';

/** The 8-byte Application Cryptogram (ARQC, TC or AAC) over the data the scheme names (Book 2 8.1.2). */
export function applicationCryptogram(sessionKey: Uint8Array, data: Uint8Array): Uint8Array {
  return emvMac(sessionKey, data, 8);
}

/** ARPC Method 1 (Book 2 8.2.1). `arc` is the 2-byte Authorisation Response Code ('8A', e.g. '00' → 3030). */
export function arpcMethod1(key: Uint8Array, arqc: Uint8Array, arc: Uint8Array): Uint8Array {
  if (arqc.length !== 8) throw new RangeError(`an ARQC is 8 bytes, got ${arqc.length}`);
  if (arc.length !== 2) throw new RangeError(`an ARC is 2 bytes, got ${arc.length}`);
  const x = arqc.slice();
  x[0]! ^= arc[0]!;
  x[1]! ^= arc[1]!;
  return tdesEncrypt(key, x);
}

/** ARPC Method 2 (Book 2 8.2.2): 4 bytes over ARQC || CSU (4 bytes) || proprietary data (0-8 bytes). */
export function arpcMethod2(sessionKey: Uint8Array, arqc: Uint8Array, csu: Uint8Array, proprietary: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (arqc.length !== 8) throw new RangeError(`an ARQC is 8 bytes, got ${arqc.length}`);
  if (csu.length !== 4) throw new RangeError(`a Card Status Update is 4 bytes, got ${csu.length}`);
  if (proprietary.length > 8) throw new RangeError('proprietary authentication data is at most 8 bytes');
  return emvMac(sessionKey, concatBytes(arqc, csu, proprietary), 4);
}

/** The two ASCII characters of an Authorisation Response Code ('00' approved, '51' insufficient funds). */
export function encodeArc(code: string): Uint8Array {
  if (!/^[\x20-\x7e]{2}$/.test(code)) throw new RangeError(`ARC '${code}' is not two printable characters`);
  return Uint8Array.of(code.charCodeAt(0), code.charCodeAt(1));
}
