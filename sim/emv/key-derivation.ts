/**
 * EMV key derivation with two-key triple DES: the ICC Master Key from the
 * Issuer Master Key (Option A) and the common session key from the ATC.
 *
 * ICC Master Key, Option A (EMV 4.3 Book 2 Annex A1.4.1): take the decimal
 * digits of PAN || PAN Sequence Number ('00' when the card has none), keep
 * the rightmost 16 (left-pad with '0' when fewer) and pack them as 8 BCD
 * bytes Y. Then ZL := 3DES(IMK)[Y], ZR := 3DES(IMK)[Y ⊕ 'FF'×8] and
 * MK := ZL || ZR, each byte set to odd parity (DES keys; parity does not
 * change any result, DES ignores those bits).
 *
 * Common Session Key Derivation (Book 2 A1.3.1) for an 8-byte block cipher
 * and a 16-byte MK, with the 8-byte diversification value R = R0 … R7:
 *   F1 := 3DES(MK)[R0 || R1 || 'F0' || R3 || … || R7]
 *   F2 := 3DES(MK)[R0 || R1 || '0F' || R3 || … || R7]
 *   SK := F1 || F2
 * For the Application Cryptogram session key R := ATC || '00'×6 (Book 2
 * 8.1.2), which is what Visa's CVN 18 uses.
 */
import { concatBytes, tdesEncrypt, withOddParity } from './des';

/** The ICC Master Key (Book 2 A1.4.1 Option A). `pan` and `psn` are decimal digit strings. */
export function deriveIccMasterKey(issuerMasterKey: Uint8Array, pan: string, psn = '00'): Uint8Array {
  if (!/^\d{1,19}$/.test(pan)) throw new RangeError(`PAN '${pan}' is not 1-19 digits`);
  if (!/^\d{2}$/.test(psn)) throw new RangeError(`PAN sequence number '${psn}' is not 2 digits`);
  const digits = `${pan}${psn}`.slice(-16).padStart(16, '0');
  const y = Uint8Array.from(digits.match(/../g)!, (pair) => parseInt(pair, 16));
  const zl = tdesEncrypt(issuerMasterKey, y);
  const zr = tdesEncrypt(issuerMasterKey, y.map((b) => b ^ 0xff));
  return withOddParity(concatBytes(zl, zr));
}

/** A session key from an ICC Master Key and an 8-byte diversification value R (Book 2 A1.3.1). */
export function deriveCommonSessionKey(iccMasterKey: Uint8Array, r: Uint8Array): Uint8Array {
  if (r.length !== 8) throw new RangeError(`R is 8 bytes for a DES key, got ${r.length}`);
  const f1 = r.slice();
  const f2 = r.slice();
  f1[2] = 0xf0;
  f2[2] = 0x0f;
  return concatBytes(tdesEncrypt(iccMasterKey, f1), tdesEncrypt(iccMasterKey, f2));
}

/** R for the Application Cryptogram session key: ATC || '00'×6 (Book 2 8.1.2). */
export function acDiversificationValue(atc: number): Uint8Array {
  if (!Number.isInteger(atc) || atc < 0 || atc > 0xffff) throw new RangeError(`ATC ${atc} is not 2 bytes`);
  return Uint8Array.of(atc >> 8, atc & 0xff, 0, 0, 0, 0, 0, 0);
}

/** The AC session key for a transaction: common session key derivation with R = ATC || '00'×6. */
export function deriveAcSessionKey(iccMasterKey: Uint8Array, atc: number): Uint8Array {
  return deriveCommonSessionKey(iccMasterKey, acDiversificationValue(atc));
}
