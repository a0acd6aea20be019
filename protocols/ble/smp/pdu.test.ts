import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fromHex, fromSpecHex, toHex } from '../bytes';
import { authReqByte, authReqFlags, PairingFailedReason, pairingFailedReasonName, SmpCode } from './constants';
import { judgePairingFeatures, judgePairingOutcome, STRICT_POLICY } from './pairing-policy';
import { associationModel } from './association';
import { decodeSmp, encodeSmp } from './pdu';
import type { SmpPdu } from './pdu';

const k16 = fromHex('00112233445566778899aabbccddeeff');
// The Pairing Request and Response of the c1 example (Vol 3 Part H 2.2.3), as sent.
const PREQ = fromSpecHex('07071000000101');
const PRES = fromSpecHex('05000800000302');

const EXAMPLES: SmpPdu[] = [
  { code: SmpCode.PAIRING_REQUEST, ioCapability: 1, oobDataFlag: 0, authReq: 0x2d, maxEncryptionKeySize: 16, initiatorKeyDistribution: 0x0b, responderKeyDistribution: 0x0b },
  { code: SmpCode.PAIRING_RESPONSE, ioCapability: 3, oobDataFlag: 0, authReq: 0x09, maxEncryptionKeySize: 16, initiatorKeyDistribution: 0x02, responderKeyDistribution: 0x03 },
  { code: SmpCode.PAIRING_CONFIRM, confirmValue: k16 },
  { code: SmpCode.PAIRING_RANDOM, randomValue: k16 },
  { code: SmpCode.PAIRING_FAILED, reason: PairingFailedReason.ENCRYPTION_KEY_SIZE },
  { code: SmpCode.ENCRYPTION_INFORMATION, longTermKey: k16 },
  { code: SmpCode.CENTRAL_IDENTIFICATION, ediv: 0x1234, rand: fromHex('0102030405060708') },
  { code: SmpCode.IDENTITY_INFORMATION, identityResolvingKey: k16 },
  { code: SmpCode.IDENTITY_ADDRESS_INFORMATION, addressType: 1, bdAddr: fromHex('5544332211c0') },
  { code: SmpCode.SIGNING_INFORMATION, signatureKey: k16 },
  { code: SmpCode.SECURITY_REQUEST, authReq: 0x0d },
  { code: SmpCode.PAIRING_PUBLIC_KEY, publicKeyX: new Uint8Array(32).fill(1), publicKeyY: new Uint8Array(32).fill(2) },
  { code: SmpCode.PAIRING_DHKEY_CHECK, dhKeyCheck: k16 },
  { code: SmpCode.PAIRING_KEYPRESS_NOTIFICATION, notificationType: 4 },
];

describe('SMP commands (Core v5.4 Vol 3 Part H 3.5–3.6)', () => {
  it.each(EXAMPLES.map((p) => [p.code, p] as const))('code 0x%s round-trips', (_, pdu) => {
    expect(decodeSmp(encodeSmp(pdu))).toEqual({ ok: true, value: pdu });
  });

  it('covers every code and has the specified lengths', () => {
    expect(EXAMPLES.map((p) => p.code)).toEqual(Object.values(SmpCode));
    expect(EXAMPLES.map((p) => encodeSmp(p).length)).toEqual([7, 7, 17, 17, 2, 17, 11, 17, 8, 17, 2, 65, 17, 2]);
    expect(toHex(encodeSmp(EXAMPLES[6]!))).toBe('0734120102030405060708');
  });

  it('reads the c1 example Pairing Request as the specification means it', () => {
    expect(decodeSmp(PREQ)).toEqual({
      ok: true,
      value: { code: 1, ioCapability: 1, oobDataFlag: 0, authReq: 0, maxEncryptionKeySize: 16, initiatorKeyDistribution: 7, responderKeyDistribution: 7 },
    });
  });

  it('splits AuthReq into its bits and back (3.5.1)', () => {
    expect(authReqFlags(0x2d)).toEqual({ bondingFlags: 1, mitm: true, secureConnections: true, keypress: false, ct2: true });
    expect(authReqByte(authReqFlags(0x3d))).toBe(0x3d);
    expect(authReqFlags(0xc0).mitm).toBe(false); // RFU bits ignored
  });

  it('refuses a malformed command, naming the Pairing Failed reason to send', () => {
    const expectFailure = (hex: string, reason: string, failure: number, field?: string) =>
      expect(decodeSmp(fromHex(hex))).toMatchObject({ ok: false, error: { reason, failure, ...(field ? { field } : {}) } });
    expectFailure('01010000060707', 'invalid-field', PairingFailedReason.INVALID_PARAMETERS, 'maxEncryptionKeySize');
    expectFailure('01010000110707', 'invalid-field', PairingFailedReason.INVALID_PARAMETERS, 'maxEncryptionKeySize');
    expectFailure('01050000100707', 'invalid-field', PairingFailedReason.INVALID_PARAMETERS, 'ioCapability');
    expectFailure('01010200100707', 'invalid-field', PairingFailedReason.INVALID_PARAMETERS, 'oobDataFlag');
    expectFailure('0e05', 'invalid-field', PairingFailedReason.INVALID_PARAMETERS, 'notificationType');
    expectFailure('09025544332211c0', 'invalid-field', PairingFailedReason.INVALID_PARAMETERS, 'addressType');
    expectFailure('010100001007', 'length', PairingFailedReason.INVALID_PARAMETERS);
    expectFailure('0c' + '01'.repeat(63), 'length', PairingFailedReason.INVALID_PARAMETERS);
    expectFailure('0f00', 'unknown-code', PairingFailedReason.COMMAND_NOT_SUPPORTED);
    expectFailure('', 'empty', PairingFailedReason.INVALID_PARAMETERS);
  });
});

describe('malformed versus refused by policy', () => {
  const request = (maxEncryptionKeySize: number, authReq = 0x2d) =>
    ({ ioCapability: 4, oobDataFlag: 0, authReq, maxEncryptionKeySize, initiatorKeyDistribution: 0, responderKeyDistribution: 0 }) as const;

  it('refuses key size 7 by policy (Encryption Key Size) but 6 as malformed (Invalid Parameters)', () => {
    expect(decodeSmp(encodeSmp({ code: 1, ...request(7) })).ok).toBe(true);
    expect(judgePairingFeatures(request(7), STRICT_POLICY)).toMatchObject({ accept: false, reason: PairingFailedReason.ENCRYPTION_KEY_SIZE });
    expect(judgePairingFeatures(request(6), STRICT_POLICY)).toMatchObject({ accept: false, reason: PairingFailedReason.INVALID_PARAMETERS });
    expect(judgePairingFeatures(request(7), { ...STRICT_POLICY, minEncryptionKeySize: 7 })).toEqual({ accept: true });
    expect(judgePairingFeatures(request(16), STRICT_POLICY)).toEqual({ accept: true });
  });

  it('takes the c1 example Pairing Response (key size 8) as well-formed, and the strict policy refuses it', () => {
    const response = decodeSmp(PRES);
    expect(response).toMatchObject({ ok: true, value: { code: SmpCode.PAIRING_RESPONSE, maxEncryptionKeySize: 8 } });
    if (response.ok && response.value.code === SmpCode.PAIRING_RESPONSE) {
      expect(judgePairingFeatures(response.value, STRICT_POLICY)).toMatchObject({ accept: false, reason: PairingFailedReason.ENCRYPTION_KEY_SIZE });
    }
  });

  it('refuses legacy pairing and Just Works under the strict policy (Authentication Requirements)', () => {
    expect(judgePairingFeatures(request(16, 0x05), STRICT_POLICY)).toMatchObject({ accept: false, reason: PairingFailedReason.AUTHENTICATION_REQUIREMENTS });
    const justWorks = associationModel({ ioCapability: 3, oobDataFlag: 0, authReq: 0x2d }, { ioCapability: 4, oobDataFlag: 0, authReq: 0x2d });
    expect(judgePairingOutcome(justWorks, STRICT_POLICY)).toMatchObject({ accept: false, reason: PairingFailedReason.AUTHENTICATION_REQUIREMENTS });
  });
});

describe('SMP tables agree with ble-host 1.0.3', () => {
  const require = createRequire(import.meta.url);
  it('has its command codes (lib/internal/smp.js) and failure reasons (lib/smp-errors.js)', () => {
    const source = readFileSync(require.resolve('ble-host/lib/internal/smp.js'), 'utf8');
    const codes = [...source.matchAll(/const SMP_\w+ = (0x[0-9a-f]+);/gi)].map((m) => Number(m[1]));
    expect(codes).toEqual(Object.values(SmpCode));
    const reasons = require('ble-host/lib/smp-errors.js') as Record<string, unknown>;
    for (const [name, code] of Object.entries(reasons)) if (typeof code === 'number') expect(pairingFailedReasonName(code), name).toBeDefined();
  });
});
