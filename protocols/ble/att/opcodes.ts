/**
 * ATT opcodes and error codes (Core v5.4 Vol 3 Part F 3.3 and 3.4).
 *
 * An opcode is a method (bits 0–5), the Command Flag (bit 6: no response
 * follows) and the Authentication Signature Flag (bit 7: a 12-octet signature
 * ends the PDU) (3.3.1). Each PDU is one of six kinds (3.3): a request is
 * answered by its response or an Error Response; an indication by a
 * confirmation; commands and notifications by nothing.
 */

/** Attribute opcodes (3.4.8 Table 3.37), with the section of each PDU. */
export const AttOpcode = {
  /** 3.4.1.1 */
  ERROR_RSP: 0x01,
  /** 3.4.2.1 */
  EXCHANGE_MTU_REQ: 0x02,
  /** 3.4.2.2 */
  EXCHANGE_MTU_RSP: 0x03,
  /** 3.4.3.1 */
  FIND_INFORMATION_REQ: 0x04,
  /** 3.4.3.2 */
  FIND_INFORMATION_RSP: 0x05,
  /** 3.4.3.3 */
  FIND_BY_TYPE_VALUE_REQ: 0x06,
  /** 3.4.3.4 */
  FIND_BY_TYPE_VALUE_RSP: 0x07,
  /** 3.4.4.1 */
  READ_BY_TYPE_REQ: 0x08,
  /** 3.4.4.2 */
  READ_BY_TYPE_RSP: 0x09,
  /** 3.4.4.3 */
  READ_REQ: 0x0a,
  /** 3.4.4.4 */
  READ_RSP: 0x0b,
  /** 3.4.4.5 */
  READ_BLOB_REQ: 0x0c,
  /** 3.4.4.6 */
  READ_BLOB_RSP: 0x0d,
  /** 3.4.4.7 */
  READ_MULTIPLE_REQ: 0x0e,
  /** 3.4.4.8 */
  READ_MULTIPLE_RSP: 0x0f,
  /** 3.4.4.9 */
  READ_BY_GROUP_TYPE_REQ: 0x10,
  /** 3.4.4.10 */
  READ_BY_GROUP_TYPE_RSP: 0x11,
  /** 3.4.5.1 */
  WRITE_REQ: 0x12,
  /** 3.4.5.2 */
  WRITE_RSP: 0x13,
  /** 3.4.6.1 */
  PREPARE_WRITE_REQ: 0x16,
  /** 3.4.6.2 */
  PREPARE_WRITE_RSP: 0x17,
  /** 3.4.6.3 */
  EXECUTE_WRITE_REQ: 0x18,
  /** 3.4.6.4 */
  EXECUTE_WRITE_RSP: 0x19,
  /** 3.4.7.1 */
  HANDLE_VALUE_NTF: 0x1b,
  /** 3.4.7.2 */
  HANDLE_VALUE_IND: 0x1d,
  /** 3.4.7.3 */
  HANDLE_VALUE_CFM: 0x1e,
  /** 3.4.4.11 */
  READ_MULTIPLE_VARIABLE_REQ: 0x20,
  /** 3.4.4.12 */
  READ_MULTIPLE_VARIABLE_RSP: 0x21,
  /** 3.4.7.4 */
  MULTIPLE_HANDLE_VALUE_NTF: 0x23,
  /** 3.4.5.3 */
  WRITE_CMD: 0x52,
  /** 3.4.5.4 */
  SIGNED_WRITE_CMD: 0xd2,
} as const;
export type AttOpcode = (typeof AttOpcode)[keyof typeof AttOpcode];
export type AttOpcodeName = keyof typeof AttOpcode;

/** ATT error codes (3.4.1.1 Table 3.4; 0xE0–0xFF from the Core Specification Supplement Part B). */
export const AttError = {
  INVALID_HANDLE: 0x01,
  READ_NOT_PERMITTED: 0x02,
  WRITE_NOT_PERMITTED: 0x03,
  INVALID_PDU: 0x04,
  INSUFFICIENT_AUTHENTICATION: 0x05,
  REQUEST_NOT_SUPPORTED: 0x06,
  INVALID_OFFSET: 0x07,
  INSUFFICIENT_AUTHORIZATION: 0x08,
  PREPARE_QUEUE_FULL: 0x09,
  ATTRIBUTE_NOT_FOUND: 0x0a,
  ATTRIBUTE_NOT_LONG: 0x0b,
  ENCRYPTION_KEY_SIZE_TOO_SHORT: 0x0c,
  INVALID_ATTRIBUTE_VALUE_LENGTH: 0x0d,
  UNLIKELY_ERROR: 0x0e,
  INSUFFICIENT_ENCRYPTION: 0x0f,
  UNSUPPORTED_GROUP_TYPE: 0x10,
  INSUFFICIENT_RESOURCES: 0x11,
  DATABASE_OUT_OF_SYNC: 0x12,
  VALUE_NOT_ALLOWED: 0x13,
  /** CSS Part B 1.2 */
  WRITE_REQUEST_REJECTED: 0xfc,
  /** CSS Part B 1.3 */
  CCCD_IMPROPERLY_CONFIGURED: 0xfd,
  /** CSS Part B 1.4 */
  PROCEDURE_ALREADY_IN_PROGRESS: 0xfe,
  /** CSS Part B 1.5 */
  OUT_OF_RANGE: 0xff,
} as const;
export type AttErrorName = keyof typeof AttError;

/** 0x80–0x9F: defined by a higher layer (the application's own errors). */
export const isApplicationError = (code: number): boolean => code >= 0x80 && code <= 0x9f;

export type AttPduKind = 'request' | 'response' | 'command' | 'notification' | 'indication' | 'confirmation';

/** The command flag (3.3.1): set on commands, never answered. */
export const isCommandOpcode = (opcode: number): boolean => (opcode & 0x40) !== 0;
/** The authentication signature flag (3.3.1). */
export const isSignedOpcode = (opcode: number): boolean => (opcode & 0x80) !== 0;

export function attOpcodeName(opcode: number): AttOpcodeName | undefined {
  return (Object.keys(AttOpcode) as AttOpcodeName[]).find((k) => AttOpcode[k] === opcode);
}

export function attErrorName(code: number): AttErrorName | undefined {
  return (Object.keys(AttError) as AttErrorName[]).find((k) => AttError[k] === code);
}

/** The kind of a known opcode, or undefined for one the table lacks. */
export function attPduKind(opcode: number): AttPduKind | undefined {
  const name = attOpcodeName(opcode);
  if (name === undefined) return undefined;
  if (name.endsWith('_REQ')) return 'request';
  if (name.endsWith('_RSP')) return 'response';
  if (name.endsWith('_CMD')) return 'command';
  if (name.endsWith('_NTF')) return 'notification';
  return name === 'HANDLE_VALUE_IND' ? 'indication' : 'confirmation';
}

/** The response opcode that answers a request (an Error Response may answer any request instead). */
export function responseOpcodeFor(request: number): number | undefined {
  return attPduKind(request) === 'request' ? request + 1 : undefined;
}
