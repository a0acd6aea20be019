/**
 * Every ATT PDU as a value (Core v5.4 Vol 3 Part F 3.4), discriminated by its
 * opcode. Field names follow the specification's parameter tables. Handles
 * and offsets are numbers; attribute types (UUIDs) are their 2 or 16 octets
 * LSB first, as on the wire (../gatt/uuid.ts converts them); values are
 * octet strings.
 */
import type { AttOpcode } from './opcodes';

type Op<K extends keyof typeof AttOpcode> = (typeof AttOpcode)[K];

export interface HandleValue {
  handle: number;
  value: Uint8Array;
}

export type AttPdu =
  | { opcode: Op<'ERROR_RSP'>; requestOpcodeInError: number; attributeHandleInError: number; errorCode: number }
  | { opcode: Op<'EXCHANGE_MTU_REQ'>; clientRxMtu: number }
  | { opcode: Op<'EXCHANGE_MTU_RSP'>; serverRxMtu: number }
  | { opcode: Op<'FIND_INFORMATION_REQ'>; startingHandle: number; endingHandle: number }
  /** Format 0x01: 16-bit UUIDs; 0x02: 128-bit UUIDs (all entries one size). */
  | { opcode: Op<'FIND_INFORMATION_RSP'>; format: number; information: { handle: number; uuid: Uint8Array }[] }
  /** Attribute Type is a 16-bit UUID only (3.4.3.3). */
  | { opcode: Op<'FIND_BY_TYPE_VALUE_REQ'>; startingHandle: number; endingHandle: number; attributeType: number; attributeValue: Uint8Array }
  | { opcode: Op<'FIND_BY_TYPE_VALUE_RSP'>; handlesInformation: { foundAttributeHandle: number; groupEndHandle: number }[] }
  | { opcode: Op<'READ_BY_TYPE_REQ'>; startingHandle: number; endingHandle: number; attributeType: Uint8Array }
  /** Every value the same length (3.4.4.2); the Length field is derived. */
  | { opcode: Op<'READ_BY_TYPE_RSP'>; attributeDataList: HandleValue[] }
  | { opcode: Op<'READ_REQ'>; attributeHandle: number }
  | { opcode: Op<'READ_RSP'>; attributeValue: Uint8Array }
  | { opcode: Op<'READ_BLOB_REQ'>; attributeHandle: number; valueOffset: number }
  | { opcode: Op<'READ_BLOB_RSP'>; partAttributeValue: Uint8Array }
  | { opcode: Op<'READ_MULTIPLE_REQ'>; setOfHandles: number[] }
  | { opcode: Op<'READ_MULTIPLE_RSP'>; setOfValues: Uint8Array }
  | { opcode: Op<'READ_BY_GROUP_TYPE_REQ'>; startingHandle: number; endingHandle: number; attributeGroupType: Uint8Array }
  /** Every value the same length (3.4.4.10); the Length field is derived. */
  | { opcode: Op<'READ_BY_GROUP_TYPE_RSP'>; attributeDataList: { attributeHandle: number; endGroupHandle: number; attributeValue: Uint8Array }[] }
  | { opcode: Op<'WRITE_REQ'>; attributeHandle: number; attributeValue: Uint8Array }
  | { opcode: Op<'WRITE_RSP'> }
  | { opcode: Op<'PREPARE_WRITE_REQ'>; attributeHandle: number; valueOffset: number; partAttributeValue: Uint8Array }
  | { opcode: Op<'PREPARE_WRITE_RSP'>; attributeHandle: number; valueOffset: number; partAttributeValue: Uint8Array }
  /** Flags 0x00: cancel all prepared writes; 0x01: write them all (3.4.6.3). */
  | { opcode: Op<'EXECUTE_WRITE_REQ'>; flags: number }
  | { opcode: Op<'EXECUTE_WRITE_RSP'> }
  | { opcode: Op<'HANDLE_VALUE_NTF'>; attributeHandle: number; attributeValue: Uint8Array }
  | { opcode: Op<'HANDLE_VALUE_IND'>; attributeHandle: number; attributeValue: Uint8Array }
  | { opcode: Op<'HANDLE_VALUE_CFM'> }
  | { opcode: Op<'READ_MULTIPLE_VARIABLE_REQ'>; setOfHandles: number[] }
  /** Length Value Tuples; the last value may be cut short at ATT_MTU, its length field stays whole (3.4.4.12). */
  | { opcode: Op<'READ_MULTIPLE_VARIABLE_RSP'>; lengthValueTuples: { valueLength: number; attributeValue: Uint8Array }[] }
  | { opcode: Op<'MULTIPLE_HANDLE_VALUE_NTF'>; handleLengthValueTuples: HandleValue[] }
  | { opcode: Op<'WRITE_CMD'>; attributeHandle: number; attributeValue: Uint8Array }
  /** The signature: SignCounter (4) and the CMAC's 8 most significant octets (Vol 3 Part H 2.4.5). */
  | { opcode: Op<'SIGNED_WRITE_CMD'>; attributeHandle: number; attributeValue: Uint8Array; authenticationSignature: Uint8Array };

export type AttPduOf<O extends AttPdu['opcode']> = Extract<AttPdu, { opcode: O }>;

/** Why bytes are not a well-formed ATT PDU. */
export type AttDecodeError =
  | { reason: 'empty'; message: string }
  | { reason: 'unknown-opcode'; opcode: number; message: string }
  /** Wrong length, or a length field inconsistent with the octets. */
  | { reason: 'length'; opcode: number; message: string }
  /** A field holds a value the specification does not allow (a Find Information format, Execute Write flags). */
  | { reason: 'invalid-field'; opcode: number; field: string; message: string };
