/**
 * Every SMP command (Core v5.4 Vol 3 Part H 3.5–3.6), encoded and decoded.
 * An SMP PDU is the payload of L2CAP channel 0x0006: Code, then fixed-size
 * data (3.3). Keys, random values and confirm values are 16 octets and the
 * public key coordinates 32, all LSB first as on the wire (the specification
 * prints them MSB first).
 *
 * Decoding checks what makes a command malformed: its length, and values
 * the specification reserves (an IO capability above 0x04, an OOB flag above
 * 0x01, a Maximum Encryption Key Size outside 7–16, a reserved keypress
 * type or identity address type). Each error names the Pairing Failed reason
 * to answer with: Invalid Parameters (0x0A: "the command length is invalid
 * or a parameter is outside of the specified range"), or Command Not
 * Supported (0x07) for an unknown code. RFU bits of AuthReq and the key
 * distribution fields are kept as received; a receiver ignores them.
 *
 * A device's own stricter rules (e.g. keys shorter than 16 octets refused
 * with Encryption Key Size, 0x06) are policy: pairing-policy.ts.
 */
import { fail, ok } from '../bytes';
import type { Result } from '../bytes';
import { layout } from '../layout';
import type { ValuesOf } from '../layout';
import { IoCapability, MAX_ENCRYPTION_KEY_SIZE, MIN_ENCRYPTION_KEY_SIZE, PairingFailedReason, SmpCode } from './constants';

const pairing = layout({
  ioCapability: 'u8',
  oobDataFlag: 'u8',
  authReq: 'u8',
  maxEncryptionKeySize: 'u8',
  initiatorKeyDistribution: 'u8',
  responderKeyDistribution: 'u8',
});

/** The data after the Code octet, by command (3.5–3.6). */
const BODIES = {
  [SmpCode.PAIRING_REQUEST]: pairing,
  [SmpCode.PAIRING_RESPONSE]: pairing,
  [SmpCode.PAIRING_CONFIRM]: layout({ confirmValue: 16 }),
  [SmpCode.PAIRING_RANDOM]: layout({ randomValue: 16 }),
  [SmpCode.PAIRING_FAILED]: layout({ reason: 'u8' }),
  [SmpCode.ENCRYPTION_INFORMATION]: layout({ longTermKey: 16 }),
  [SmpCode.CENTRAL_IDENTIFICATION]: layout({ ediv: 'u16', rand: 8 }),
  [SmpCode.IDENTITY_INFORMATION]: layout({ identityResolvingKey: 16 }),
  [SmpCode.IDENTITY_ADDRESS_INFORMATION]: layout({ addressType: 'u8', bdAddr: 6 }),
  [SmpCode.SIGNING_INFORMATION]: layout({ signatureKey: 16 }),
  [SmpCode.SECURITY_REQUEST]: layout({ authReq: 'u8' }),
  [SmpCode.PAIRING_PUBLIC_KEY]: layout({ publicKeyX: 32, publicKeyY: 32 }),
  [SmpCode.PAIRING_DHKEY_CHECK]: layout({ dhKeyCheck: 16 }),
  [SmpCode.PAIRING_KEYPRESS_NOTIFICATION]: layout({ notificationType: 'u8' }),
} as const;

type Bodies = typeof BODIES;
type BodyOf<C extends keyof Bodies> = Bodies[C] extends { fields: infer F extends Record<string, 'u8' | 'i8' | 'u16' | 'u24' | 'u32' | number> } ? ValuesOf<F> : never;

export type PairingFeatures = BodyOf<typeof SmpCode.PAIRING_REQUEST>;

/** An SMP command: its code and its fields. */
export type SmpPdu = { [C in keyof Bodies]: { code: C } & BodyOf<C> }[keyof Bodies];
export type SmpPduOf<C extends SmpPdu['code']> = Extract<SmpPdu, { code: C }>;

export type SmpDecodeError = {
  reason: 'empty' | 'unknown-code' | 'length' | 'invalid-field';
  code?: number;
  field?: string;
  /** The Pairing Failed reason a device answers this with. */
  failure: number;
  message: string;
};

/** Throws RangeError on a field that does not fit (encodes reserved values as given: a test peer may send them). */
export function encodeSmp(pdu: SmpPdu): Uint8Array {
  const { code, ...fields } = pdu;
  const body = (BODIES[code] as { encode(v: unknown): Uint8Array }).encode(fields);
  const out = new Uint8Array(1 + body.length);
  out[0] = code;
  out.set(body, 1);
  return out;
}

/** One SMP command, or why it is malformed and the Pairing Failed reason to answer. Never throws. */
export function decodeSmp(bytes: Uint8Array): Result<SmpPdu, SmpDecodeError> {
  const code = bytes[0];
  if (code === undefined) return fail({ reason: 'empty', failure: PairingFailedReason.INVALID_PARAMETERS, message: 'SMP: empty PDU' });
  if (!isKnownCode(code)) {
    return fail({ reason: 'unknown-code', code, failure: PairingFailedReason.COMMAND_NOT_SUPPORTED, message: `SMP: unknown code 0x${code.toString(16).padStart(2, '0')}` });
  }
  const body = (BODIES[code] as { decode(b: Uint8Array): Result<Record<string, number | Uint8Array>, { message: string }> }).decode(bytes.subarray(1));
  if (!body.ok) return fail({ reason: 'length', code, failure: PairingFailedReason.INVALID_PARAMETERS, message: `SMP code 0x${code.toString(16)}: ${body.error.message}` });
  const pdu = { code, ...body.value } as SmpPdu;
  const invalid = invalidField(pdu);
  if (invalid) return fail({ reason: 'invalid-field', code, field: invalid.field, failure: PairingFailedReason.INVALID_PARAMETERS, message: `SMP code 0x${code.toString(16)}: ${invalid.message}` });
  return ok(pdu);
}

/** A reserved value in a field the specification ranges (3.5.1, 3.5.8, 3.6.5), or undefined. */
export function invalidField(pdu: SmpPdu): { field: string; message: string } | undefined {
  switch (pdu.code) {
    case SmpCode.PAIRING_REQUEST:
    case SmpCode.PAIRING_RESPONSE:
      return invalidFeatures(pdu);
    case SmpCode.PAIRING_KEYPRESS_NOTIFICATION:
      return pdu.notificationType > 0x04 ? { field: 'notificationType', message: `notification type 0x${pdu.notificationType.toString(16)} is reserved` } : undefined;
    case SmpCode.IDENTITY_ADDRESS_INFORMATION:
      return pdu.addressType > 0x01 ? { field: 'addressType', message: `address type 0x${pdu.addressType.toString(16)} is reserved` } : undefined;
    default:
      return undefined;
  }
}

/** Pairing Request/Response fields outside what the specification allows (3.5.1): malformed, Invalid Parameters. */
export function invalidFeatures(features: PairingFeatures): { field: string; message: string } | undefined {
  if (features.ioCapability > IoCapability.KEYBOARD_DISPLAY) return { field: 'ioCapability', message: `IO capability 0x${features.ioCapability.toString(16)} is reserved` };
  if (features.oobDataFlag > 0x01) return { field: 'oobDataFlag', message: `OOB data flag 0x${features.oobDataFlag.toString(16)} is reserved` };
  const size = features.maxEncryptionKeySize;
  if (size < MIN_ENCRYPTION_KEY_SIZE || size > MAX_ENCRYPTION_KEY_SIZE) {
    return { field: 'maxEncryptionKeySize', message: `maximum encryption key size ${size} is outside ${MIN_ENCRYPTION_KEY_SIZE}–${MAX_ENCRYPTION_KEY_SIZE}` };
  }
  return undefined;
}

function isKnownCode(code: number): code is keyof Bodies {
  return Object.prototype.hasOwnProperty.call(BODIES, code);
}
