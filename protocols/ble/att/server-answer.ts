/**
 * What an ATT server owes a peer's PDU before looking at its database
 * (Core v5.4 Vol 3 Part F 3.3 and 3.4): handle it, answer with an Error
 * Response, or ignore it.
 *
 * - A request it does not support: Error Response "Request Not Supported"
 *   (0x06), Attribute Handle In Error 0x0000 (3.3 "If a server receives a
 *   request that it does not support ..."); an unsupported command (command
 *   flag set) is ignored (3.3, 3.3.1).
 * - A malformed request: Error Response "Invalid PDU" (0x04), handle 0x0000
 *   (3.4.1.1: "The attribute PDU was invalid").
 * - A handle range with Starting Handle 0x0000 or above the Ending Handle:
 *   "Invalid Handle" (0x01) naming the Starting Handle (3.4.3.1, 3.4.3.3,
 *   3.4.4.1, 3.4.4.9).
 * - Read By Group Type on a type that is not a grouping type: "Unsupported
 *   Group Type" (0x10) naming the Starting Handle (3.4.4.9); GATT's grouping
 *   types are «Primary Service» and «Secondary Service» (Vol 3 Part G 2.5.3).
 * - Malformed commands, notifications, indications, confirmations and
 *   responses get no Error Response (only requests are answered, 3.3).
 */
import { GattDeclaration } from '../gatt/uuid';
import { AttError, AttOpcode, attPduKind, isCommandOpcode } from './opcodes';
import { decodeAtt, encodeAtt } from './pdu';
import type { AttDecodeError, AttPdu, AttPduOf } from './pdu-types';

export type ErrorResponse = AttPduOf<typeof AttOpcode.ERROR_RSP>;

export type AttServerVerdict =
  | { action: 'handle'; pdu: AttPdu }
  /** Send `response` (encodeAtt gives its bytes) and do nothing else with the PDU. */
  | { action: 'respond'; response: ErrorResponse; why: AttDecodeError | { reason: 'invalid-handle-range' | 'unsupported-group-type'; message: string } }
  /** Drop it silently. */
  | { action: 'ignore'; why: AttDecodeError };

export interface AttServerOptions {
  /** 16-bit attribute types Read By Group Type accepts (default: GATT's primary and secondary service). */
  groupingTypes?: readonly number[];
}

/** The verdict on one received ATT PDU. Never throws. */
export function judgeAttPdu(bytes: Uint8Array, options: AttServerOptions = {}): AttServerVerdict {
  const decoded = decodeAtt(bytes);
  if (!decoded.ok) return onMalformed(decoded.error);
  const pdu = decoded.value;
  const range = rangeError(pdu, options.groupingTypes ?? [GattDeclaration.PRIMARY_SERVICE, GattDeclaration.SECONDARY_SERVICE]);
  return range ?? { action: 'handle', pdu };
}

/** The bytes of an Error Response. */
export function errorResponse(requestOpcodeInError: number, attributeHandleInError: number, errorCode: number): Uint8Array {
  return encodeAtt({ opcode: AttOpcode.ERROR_RSP, requestOpcodeInError, attributeHandleInError, errorCode });
}

function onMalformed(why: AttDecodeError): AttServerVerdict {
  if (why.reason === 'empty') return { action: 'ignore', why };
  const opcode = why.opcode;
  if (why.reason === 'unknown-opcode') {
    return isCommandOpcode(opcode) ? { action: 'ignore', why } : respond(opcode, 0, AttError.REQUEST_NOT_SUPPORTED, why);
  }
  return attPduKind(opcode) === 'request' ? respond(opcode, 0, AttError.INVALID_PDU, why) : { action: 'ignore', why };
}

function rangeError(pdu: AttPdu, groupingTypes: readonly number[]): AttServerVerdict | undefined {
  switch (pdu.opcode) {
    case AttOpcode.FIND_INFORMATION_REQ:
    case AttOpcode.FIND_BY_TYPE_VALUE_REQ:
    case AttOpcode.READ_BY_TYPE_REQ:
    case AttOpcode.READ_BY_GROUP_TYPE_REQ: {
      const { startingHandle, endingHandle } = pdu;
      if (startingHandle === 0 || startingHandle > endingHandle) {
        const message = `handle range 0x${startingHandle.toString(16)}–0x${endingHandle.toString(16)} is invalid`;
        return respond(pdu.opcode, startingHandle, AttError.INVALID_HANDLE, { reason: 'invalid-handle-range', message });
      }
      if (pdu.opcode === AttOpcode.READ_BY_GROUP_TYPE_REQ) {
        const type = pdu.attributeGroupType;
        const short = type.length === 2 ? (type[0] ?? 0) | ((type[1] ?? 0) << 8) : -1;
        if (!groupingTypes.includes(short)) {
          return respond(pdu.opcode, startingHandle, AttError.UNSUPPORTED_GROUP_TYPE, { reason: 'unsupported-group-type', message: 'not a grouping attribute type' });
        }
      }
      return undefined;
    }
    case AttOpcode.EXECUTE_WRITE_REQ:
      if (pdu.flags > 1) {
        const why: AttDecodeError = { reason: 'invalid-field', opcode: pdu.opcode, field: 'flags', message: `Execute Write flags 0x${pdu.flags.toString(16)} are reserved` };
        return respond(pdu.opcode, 0, AttError.INVALID_PDU, why);
      }
      return undefined;
    default:
      return undefined;
  }
}

function respond(requestOpcodeInError: number, attributeHandleInError: number, errorCode: number, why: Extract<AttServerVerdict, { action: 'respond' }>['why']): AttServerVerdict {
  return { action: 'respond', response: { opcode: AttOpcode.ERROR_RSP, requestOpcodeInError, attributeHandleInError, errorCode }, why };
}
