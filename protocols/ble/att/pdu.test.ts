import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes';
import { uuid16, uuidFromString } from '../gatt/uuid';
import { AttError, AttOpcode, attErrorName, attPduKind, isCommandOpcode, isSignedOpcode, responseOpcodeFor } from './opcodes';
import { decodeAtt, encodeAtt } from './pdu';
import type { AttPdu } from './pdu-types';

const v = (hex: string) => fromHex(hex);

// One PDU of every opcode and its bytes, laid out from Core v5.4 Vol 3 Part F 3.4.
const EXAMPLES: [AttPdu, string][] = [
  [{ opcode: AttOpcode.ERROR_RSP, requestOpcodeInError: 0x0a, attributeHandleInError: 0x0003, errorCode: AttError.READ_NOT_PERMITTED }, '010a030002'],
  [{ opcode: AttOpcode.EXCHANGE_MTU_REQ, clientRxMtu: 517 }, '020502'],
  [{ opcode: AttOpcode.EXCHANGE_MTU_RSP, serverRxMtu: 23 }, '031700'],
  [{ opcode: AttOpcode.FIND_INFORMATION_REQ, startingHandle: 1, endingHandle: 0xffff }, '040100ffff'],
  [{ opcode: AttOpcode.FIND_INFORMATION_RSP, format: 1, information: [{ handle: 0x12, uuid: uuid16(0x2902) }] }, '050112000229'],
  [{ opcode: AttOpcode.FIND_BY_TYPE_VALUE_REQ, startingHandle: 1, endingHandle: 0xffff, attributeType: 0x2800, attributeValue: uuid16(0x180f) }, '060100ffff00280f18'],
  [{ opcode: AttOpcode.FIND_BY_TYPE_VALUE_RSP, handlesInformation: [{ foundAttributeHandle: 0x10, groupEndHandle: 0x13 }] }, '0710001300'],
  [{ opcode: AttOpcode.READ_BY_TYPE_REQ, startingHandle: 1, endingHandle: 0xffff, attributeType: uuid16(0x2803) }, '080100ffff0328'],
  [{ opcode: AttOpcode.READ_BY_TYPE_RSP, attributeDataList: [{ handle: 0x11, value: v('1212001929') }] }, '0907' + '1100' + '1212001929'],
  [{ opcode: AttOpcode.READ_REQ, attributeHandle: 0x0003 }, '0a0300'],
  [{ opcode: AttOpcode.READ_RSP, attributeValue: v('5a') }, '0b5a'],
  [{ opcode: AttOpcode.READ_BLOB_REQ, attributeHandle: 3, valueOffset: 22 }, '0c03001600'],
  [{ opcode: AttOpcode.READ_BLOB_RSP, partAttributeValue: v('6869') }, '0d6869'],
  [{ opcode: AttOpcode.READ_MULTIPLE_REQ, setOfHandles: [3, 5] }, '0e03000500'],
  [{ opcode: AttOpcode.READ_MULTIPLE_RSP, setOfValues: v('0102') }, '0f0102'],
  [{ opcode: AttOpcode.READ_BY_GROUP_TYPE_REQ, startingHandle: 1, endingHandle: 0xffff, attributeGroupType: uuid16(0x2800) }, '100100ffff0028'],
  [{ opcode: AttOpcode.READ_BY_GROUP_TYPE_RSP, attributeDataList: [{ attributeHandle: 1, endGroupHandle: 5, attributeValue: uuid16(0x1800) }] }, '1106' + '01000500' + '0018'],
  [{ opcode: AttOpcode.WRITE_REQ, attributeHandle: 0x13, attributeValue: v('0100') }, '1213000100'],
  [{ opcode: AttOpcode.WRITE_RSP }, '13'],
  [{ opcode: AttOpcode.PREPARE_WRITE_REQ, attributeHandle: 0x20, valueOffset: 0, partAttributeValue: v('aa') }, '1620000000aa'],
  [{ opcode: AttOpcode.PREPARE_WRITE_RSP, attributeHandle: 0x20, valueOffset: 0, partAttributeValue: v('aa') }, '1720000000aa'],
  [{ opcode: AttOpcode.EXECUTE_WRITE_REQ, flags: 1 }, '1801'],
  [{ opcode: AttOpcode.EXECUTE_WRITE_RSP }, '19'],
  [{ opcode: AttOpcode.HANDLE_VALUE_NTF, attributeHandle: 0x15, attributeValue: v('64') }, '1b150064'],
  [{ opcode: AttOpcode.HANDLE_VALUE_IND, attributeHandle: 0x07, attributeValue: v('0100ffff') }, '1d07000100ffff'],
  [{ opcode: AttOpcode.HANDLE_VALUE_CFM }, '1e'],
  [{ opcode: AttOpcode.READ_MULTIPLE_VARIABLE_REQ, setOfHandles: [3, 5] }, '2003000500'],
  [{ opcode: AttOpcode.READ_MULTIPLE_VARIABLE_RSP, lengthValueTuples: [{ valueLength: 1, attributeValue: v('07') }, { valueLength: 0, attributeValue: v('') }] }, '210100070000'],
  [{ opcode: AttOpcode.MULTIPLE_HANDLE_VALUE_NTF, handleLengthValueTuples: [{ handle: 0x15, value: v('64') }] }, '2315000100' + '64'],
  [{ opcode: AttOpcode.WRITE_CMD, attributeHandle: 0x0e, attributeValue: v('6869') }, '520e006869'],
  [{ opcode: AttOpcode.SIGNED_WRITE_CMD, attributeHandle: 0x0e, attributeValue: v('01'), authenticationSignature: v('000000001122334455667788') }, 'd20e0001000000001122334455667788'],
];

describe('ATT PDUs (Core v5.4 Vol 3 Part F 3.4)', () => {
  it.each(EXAMPLES.map(([pdu, hex]) => [pdu.opcode.toString(16).padStart(2, '0'), pdu, hex] as const))('opcode 0x%s encodes to its layout and decodes back', (_, pdu, hex) => {
    expect(toHex(encodeAtt(pdu))).toBe(hex);
    expect(decodeAtt(fromHex(hex))).toEqual({ ok: true, value: pdu });
  });

  it('covers every opcode of the table', () => {
    expect(new Set(EXAMPLES.map(([p]) => p.opcode))).toEqual(new Set(Object.values(AttOpcode)));
  });

  it('refuses wrong lengths and inconsistent length fields with a typed error', () => {
    expect(decodeAtt(v('0a03'))).toMatchObject({ ok: false, error: { reason: 'length', opcode: 0x0a } });
    expect(decodeAtt(v('0a030000'))).toMatchObject({ ok: false, error: { reason: 'length' } });
    expect(decodeAtt(v('080100ffff032800'))).toMatchObject({ ok: false, error: { reason: 'length', message: expect.stringMatching(/6 or 20/) } });
    expect(decodeAtt(v('0907' + '1100' + '12120019'))).toMatchObject({ ok: false, error: { reason: 'length' } });
    expect(decodeAtt(v('0e0300'))).toMatchObject({ ok: false, error: { reason: 'length' } });
    expect(decodeAtt(v('0503120002'))).toMatchObject({ ok: false, error: { reason: 'invalid-field', field: 'format' } });
    expect(decodeAtt(v('d20e00010203'))).toMatchObject({ ok: false, error: { reason: 'length' } });
    expect(decodeAtt(v('23150002006400'.slice(0, 12)))).toMatchObject({ ok: false });
    expect(decodeAtt(v(''))).toMatchObject({ ok: false, error: { reason: 'empty' } });
    expect(decodeAtt(v('3f'))).toMatchObject({ ok: false, error: { reason: 'unknown-opcode', opcode: 0x3f } });
  });

  it('refuses to encode a list whose values differ in length', () => {
    const pdu: AttPdu = { opcode: AttOpcode.READ_BY_TYPE_RSP, attributeDataList: [{ handle: 1, value: v('01') }, { handle: 2, value: v('0102') }] };
    expect(() => encodeAtt(pdu)).toThrow(RangeError);
  });

  it('classifies opcodes by their flags and names (3.3, 3.3.1)', () => {
    expect(isCommandOpcode(AttOpcode.WRITE_CMD)).toBe(true);
    expect(isSignedOpcode(AttOpcode.SIGNED_WRITE_CMD)).toBe(true);
    expect(isCommandOpcode(AttOpcode.WRITE_REQ)).toBe(false);
    expect([0x0a, 0x0b, 0x52, 0x1b, 0x1d, 0x1e].map(attPduKind)).toEqual(['request', 'response', 'command', 'notification', 'indication', 'confirmation']);
    expect(responseOpcodeFor(AttOpcode.READ_BY_GROUP_TYPE_REQ)).toBe(AttOpcode.READ_BY_GROUP_TYPE_RSP);
    expect(responseOpcodeFor(AttOpcode.WRITE_CMD)).toBeUndefined();
  });
});

describe('ATT tables agree with ble-host 1.0.3', () => {
  const require = createRequire(import.meta.url);
  it('has ble-host opcodes (lib/internal/gatt.js) and error codes (lib/att-errors.js)', () => {
    const source = readFileSync(require.resolve('ble-host/lib/internal/gatt.js'), 'utf8');
    const opcodes = [...source.matchAll(/const ATT_\w+ = (0x[0-9a-f]+);/gi)].map((m) => Number(m[1]));
    expect(opcodes.length).toBeGreaterThan(25);
    for (const op of opcodes) expect(attPduKind(op), `0x${op.toString(16)}`).toBeDefined();
    const errors = require('ble-host/lib/att-errors.js') as Record<string, unknown>;
    for (const [name, code] of Object.entries(errors)) {
      if (typeof code === 'number' && code > 0) expect(attErrorName(code), name).toBeDefined();
    }
    expect(uuidFromString('2902')).toEqual(Uint8Array.of(0x02, 0x29));
  });
});
