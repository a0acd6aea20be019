/**
 * Encode and decode every ATT PDU (Core v5.4 Vol 3 Part F 3.4; types in
 * pdu-types.ts). All multi-octet fields are LSB first (3.3). The decoder
 * never throws: it answers the PDU or why its bytes are malformed; what a
 * server must answer to a malformed PDU is server-answer.ts's job.
 */
import { ByteReader, ByteWriter, fail, ok } from '../bytes';
import type { Result } from '../bytes';
import { AttOpcode, attOpcodeName } from './opcodes';
import type { AttDecodeError, AttPdu, HandleValue } from './pdu-types';

/** Throws RangeError on a value that cannot be encoded (unequal list entry lengths, a field out of range). */
export function encodeAtt(pdu: AttPdu): Uint8Array {
  const w = new ByteWriter().u8(pdu.opcode);
  switch (pdu.opcode) {
    case AttOpcode.ERROR_RSP:
      return w.u8(pdu.requestOpcodeInError).u16(pdu.attributeHandleInError).u8(pdu.errorCode).finish();
    case AttOpcode.EXCHANGE_MTU_REQ:
      return w.u16(pdu.clientRxMtu).finish();
    case AttOpcode.EXCHANGE_MTU_RSP:
      return w.u16(pdu.serverRxMtu).finish();
    case AttOpcode.FIND_INFORMATION_REQ:
      return w.u16(pdu.startingHandle).u16(pdu.endingHandle).finish();
    case AttOpcode.FIND_INFORMATION_RSP: {
      const uuidLength = pdu.format === 1 ? 2 : pdu.format === 2 ? 16 : -1;
      if (uuidLength < 0) throw new RangeError(`Find Information format ${pdu.format} is neither 1 nor 2`);
      w.u8(pdu.format);
      for (const e of pdu.information) w.u16(e.handle).bytes(e.uuid, uuidLength);
      return w.finish();
    }
    case AttOpcode.FIND_BY_TYPE_VALUE_REQ:
      return w.u16(pdu.startingHandle).u16(pdu.endingHandle).u16(pdu.attributeType).bytes(pdu.attributeValue).finish();
    case AttOpcode.FIND_BY_TYPE_VALUE_RSP:
      for (const e of pdu.handlesInformation) w.u16(e.foundAttributeHandle).u16(e.groupEndHandle);
      return w.finish();
    case AttOpcode.READ_BY_TYPE_REQ:
      return w.u16(pdu.startingHandle).u16(pdu.endingHandle).bytes(uuidField(pdu.attributeType)).finish();
    case AttOpcode.READ_BY_TYPE_RSP: {
      w.u8(2 + sameLength(pdu.attributeDataList.map((e) => e.value)));
      for (const e of pdu.attributeDataList) w.u16(e.handle).bytes(e.value);
      return w.finish();
    }
    case AttOpcode.READ_REQ:
      return w.u16(pdu.attributeHandle).finish();
    case AttOpcode.READ_RSP:
      return w.bytes(pdu.attributeValue).finish();
    case AttOpcode.READ_BLOB_REQ:
      return w.u16(pdu.attributeHandle).u16(pdu.valueOffset).finish();
    case AttOpcode.READ_BLOB_RSP:
      return w.bytes(pdu.partAttributeValue).finish();
    case AttOpcode.READ_MULTIPLE_REQ:
    case AttOpcode.READ_MULTIPLE_VARIABLE_REQ:
      for (const h of pdu.setOfHandles) w.u16(h);
      return w.finish();
    case AttOpcode.READ_MULTIPLE_RSP:
      return w.bytes(pdu.setOfValues).finish();
    case AttOpcode.READ_BY_GROUP_TYPE_REQ:
      return w.u16(pdu.startingHandle).u16(pdu.endingHandle).bytes(uuidField(pdu.attributeGroupType)).finish();
    case AttOpcode.READ_BY_GROUP_TYPE_RSP: {
      w.u8(4 + sameLength(pdu.attributeDataList.map((e) => e.attributeValue)));
      for (const e of pdu.attributeDataList) w.u16(e.attributeHandle).u16(e.endGroupHandle).bytes(e.attributeValue);
      return w.finish();
    }
    case AttOpcode.WRITE_REQ:
    case AttOpcode.WRITE_CMD:
    case AttOpcode.HANDLE_VALUE_NTF:
    case AttOpcode.HANDLE_VALUE_IND:
      return w.u16(pdu.attributeHandle).bytes(pdu.attributeValue).finish();
    case AttOpcode.PREPARE_WRITE_REQ:
    case AttOpcode.PREPARE_WRITE_RSP:
      return w.u16(pdu.attributeHandle).u16(pdu.valueOffset).bytes(pdu.partAttributeValue).finish();
    case AttOpcode.EXECUTE_WRITE_REQ:
      return w.u8(pdu.flags).finish();
    case AttOpcode.WRITE_RSP:
    case AttOpcode.EXECUTE_WRITE_RSP:
    case AttOpcode.HANDLE_VALUE_CFM:
      return w.finish();
    case AttOpcode.READ_MULTIPLE_VARIABLE_RSP:
      for (const t of pdu.lengthValueTuples) w.u16(t.valueLength).bytes(t.attributeValue);
      return w.finish();
    case AttOpcode.MULTIPLE_HANDLE_VALUE_NTF:
      for (const t of pdu.handleLengthValueTuples) w.u16(t.handle).u16(t.value.length).bytes(t.value);
      return w.finish();
    case AttOpcode.SIGNED_WRITE_CMD:
      return w.u16(pdu.attributeHandle).bytes(pdu.attributeValue).bytes(pdu.authenticationSignature, 12).finish();
  }
}

/** One ATT PDU (an L2CAP payload on channel 0x0004), or why it is malformed. */
export function decodeAtt(bytes: Uint8Array): Result<AttPdu, AttDecodeError> {
  const opcode = bytes[0];
  if (opcode === undefined) return fail({ reason: 'empty', message: 'ATT: empty PDU' });
  const r = new ByteReader(bytes.subarray(1));
  const n = bytes.length - 1;
  const bad = (message: string) => fail<AttDecodeError>({ reason: 'length', opcode, message: `ATT ${attOpcodeName(opcode) ?? opcode}: ${message}` });
  const exactly = (size: number) => (n === size ? undefined : bad(`expected ${size} parameter octets, got ${n}`));
  const atLeast = (size: number) => (n >= size ? undefined : bad(`expected at least ${size} parameter octets, got ${n}`));
  const handlePairOrUuid = () => (n === 6 || n === 20 ? undefined : bad(`expected 6 or 20 parameter octets (16- or 128-bit UUID), got ${n}`));
  const handleList = () => (n >= 4 && n % 2 === 0 ? undefined : bad(`expected two or more handles, got ${n} octets`));
  switch (opcode) {
    case AttOpcode.ERROR_RSP:
      return exactly(4) ?? ok({ opcode, requestOpcodeInError: r.u8(), attributeHandleInError: r.u16(), errorCode: r.u8() });
    case AttOpcode.EXCHANGE_MTU_REQ:
      return exactly(2) ?? ok({ opcode, clientRxMtu: r.u16() });
    case AttOpcode.EXCHANGE_MTU_RSP:
      return exactly(2) ?? ok({ opcode, serverRxMtu: r.u16() });
    case AttOpcode.FIND_INFORMATION_REQ:
      return exactly(4) ?? ok({ opcode, startingHandle: r.u16(), endingHandle: r.u16() });
    case AttOpcode.FIND_INFORMATION_RSP: {
      const format = r.u8();
      const size = format === 1 ? 4 : format === 2 ? 18 : 0;
      if (size === 0) return fail({ reason: 'invalid-field', opcode, field: 'format', message: `ATT FIND_INFORMATION_RSP: format ${format} is neither 1 nor 2` });
      if (n < 1 + size || (n - 1) % size !== 0) return bad(`${n - 1} octets of information data is not a whole number of ${size}-octet entries`);
      return ok({ opcode, format, information: entries(r, size, () => ({ handle: r.u16(), uuid: r.take(size - 2) })) });
    }
    case AttOpcode.FIND_BY_TYPE_VALUE_REQ:
      return atLeast(6) ?? ok({ opcode, startingHandle: r.u16(), endingHandle: r.u16(), attributeType: r.u16(), attributeValue: r.rest() });
    case AttOpcode.FIND_BY_TYPE_VALUE_RSP:
      if (n < 4 || n % 4 !== 0) return bad(`${n} octets is not one or more 4-octet handle pairs`);
      return ok({ opcode, handlesInformation: entries(r, 4, () => ({ foundAttributeHandle: r.u16(), groupEndHandle: r.u16() })) });
    case AttOpcode.READ_BY_TYPE_REQ:
      return handlePairOrUuid() ?? ok({ opcode, startingHandle: r.u16(), endingHandle: r.u16(), attributeType: r.rest() });
    case AttOpcode.READ_BY_TYPE_RSP: {
      const size = r.u8();
      if (size < 2 || n < 1 + size || (n - 1) % size !== 0) return bad(`length ${size} does not divide ${n - 1} octets of attribute data`);
      return ok({ opcode, attributeDataList: entries(r, size, (): HandleValue => ({ handle: r.u16(), value: r.take(size - 2) })) });
    }
    case AttOpcode.READ_REQ:
      return exactly(2) ?? ok({ opcode, attributeHandle: r.u16() });
    case AttOpcode.READ_RSP:
      return ok({ opcode, attributeValue: r.rest() });
    case AttOpcode.READ_BLOB_REQ:
      return exactly(4) ?? ok({ opcode, attributeHandle: r.u16(), valueOffset: r.u16() });
    case AttOpcode.READ_BLOB_RSP:
      return ok({ opcode, partAttributeValue: r.rest() });
    case AttOpcode.READ_MULTIPLE_REQ:
    case AttOpcode.READ_MULTIPLE_VARIABLE_REQ:
      return handleList() ?? ok({ opcode, setOfHandles: entries(r, 2, () => r.u16()) });
    case AttOpcode.READ_MULTIPLE_RSP:
      return ok({ opcode, setOfValues: r.rest() });
    case AttOpcode.READ_BY_GROUP_TYPE_REQ:
      return handlePairOrUuid() ?? ok({ opcode, startingHandle: r.u16(), endingHandle: r.u16(), attributeGroupType: r.rest() });
    case AttOpcode.READ_BY_GROUP_TYPE_RSP: {
      const size = r.u8();
      if (size < 4 || n < 1 + size || (n - 1) % size !== 0) return bad(`length ${size} does not divide ${n - 1} octets of attribute data`);
      return ok({ opcode, attributeDataList: entries(r, size, () => ({ attributeHandle: r.u16(), endGroupHandle: r.u16(), attributeValue: r.take(size - 4) })) });
    }
    case AttOpcode.WRITE_REQ:
    case AttOpcode.WRITE_CMD:
    case AttOpcode.HANDLE_VALUE_NTF:
    case AttOpcode.HANDLE_VALUE_IND:
      return atLeast(2) ?? ok({ opcode, attributeHandle: r.u16(), attributeValue: r.rest() });
    case AttOpcode.PREPARE_WRITE_REQ:
    case AttOpcode.PREPARE_WRITE_RSP:
      return atLeast(4) ?? ok({ opcode, attributeHandle: r.u16(), valueOffset: r.u16(), partAttributeValue: r.rest() });
    case AttOpcode.EXECUTE_WRITE_REQ:
      return exactly(1) ?? ok({ opcode, flags: r.u8() });
    case AttOpcode.WRITE_RSP:
    case AttOpcode.EXECUTE_WRITE_RSP:
    case AttOpcode.HANDLE_VALUE_CFM:
      return exactly(0) ?? ok({ opcode });
    case AttOpcode.READ_MULTIPLE_VARIABLE_RSP: {
      const tuples: { valueLength: number; attributeValue: Uint8Array }[] = [];
      while (r.remaining >= 2) {
        const valueLength = r.u16();
        tuples.push({ valueLength, attributeValue: r.take(Math.min(valueLength, r.remaining)) });
      }
      return r.remaining === 0 ? ok({ opcode, lengthValueTuples: tuples }) : bad('a lone octet after the last tuple');
    }
    case AttOpcode.MULTIPLE_HANDLE_VALUE_NTF: {
      const tuples: HandleValue[] = [];
      while (r.remaining > 0 && !r.overrun) {
        const handle = r.u16();
        tuples.push({ handle, value: r.take(r.u16()) });
      }
      return r.overrun || tuples.length === 0 ? bad('handle-length-value tuples do not fill the PDU exactly') : ok({ opcode, handleLengthValueTuples: tuples });
    }
    case AttOpcode.SIGNED_WRITE_CMD:
      return atLeast(14) ?? ok({ opcode, attributeHandle: r.u16(), attributeValue: r.take(n - 14), authenticationSignature: r.take(12) });
    default:
      return fail({ reason: 'unknown-opcode', opcode, message: `ATT: unknown opcode 0x${opcode.toString(16).padStart(2, '0')}` });
  }
}

function entries<T>(r: ByteReader, size: number, read: () => T): T[] {
  const out: T[] = [];
  while (r.remaining >= size) out.push(read());
  return out;
}

function sameLength(values: Uint8Array[]): number {
  const size = values[0]?.length ?? 0;
  if (values.some((v) => v.length !== size)) throw new RangeError('every attribute value in the list must have the same length');
  return size;
}

function uuidField(uuid: Uint8Array): Uint8Array {
  if (uuid.length !== 2 && uuid.length !== 16) throw new RangeError(`a UUID is 2 or 16 octets, not ${uuid.length}`);
  return uuid;
}
