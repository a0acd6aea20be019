import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes';
import { AttError } from './opcodes';
import { errorResponse, judgeAttPdu } from './server-answer';

const judge = (hex: string) => judgeAttPdu(fromHex(hex));
const answer = (hex: string) => {
  const verdict = judge(hex);
  return verdict.action === 'respond' ? [verdict.response.requestOpcodeInError, verdict.response.attributeHandleInError, verdict.response.errorCode] : verdict.action;
};

describe('what an ATT server answers (Core v5.4 Vol 3 Part F 3.3, 3.4)', () => {
  it('processes a well-formed request', () => {
    expect(judge('0a0300')).toEqual({ action: 'handle', pdu: { opcode: 0x0a, attributeHandle: 3 } });
  });

  it('answers an unknown request with Request Not Supported on handle 0x0000', () => {
    expect(answer('3f0102')).toEqual([0x3f, 0, AttError.REQUEST_NOT_SUPPORTED]);
    expect(answer('15')).toEqual([0x15, 0, AttError.REQUEST_NOT_SUPPORTED]);
  });

  it('ignores an unknown command (command flag set)', () => {
    expect(answer('7f0102')).toBe('ignore');
  });

  it('answers a malformed request with Invalid PDU on handle 0x0000', () => {
    expect(answer('0a03')).toEqual([0x0a, 0, AttError.INVALID_PDU]);
    expect(answer('080100ffff03280000')).toEqual([0x08, 0, AttError.INVALID_PDU]);
    expect(answer('0e0300')).toEqual([0x0e, 0, AttError.INVALID_PDU]);
    expect(answer('1802')).toEqual([0x18, 0, AttError.INVALID_PDU]);
    expect(answer('13ff')).toBe('ignore'); // a response is never answered
  });

  it('answers an invalid handle range with Invalid Handle naming the starting handle', () => {
    expect(answer('040000ffff')).toEqual([0x04, 0, AttError.INVALID_HANDLE]);
    expect(answer('0405000400')).toEqual([0x04, 5, AttError.INVALID_HANDLE]);
    expect(answer('100900010000 28'.replace(' ', ''))).toEqual([0x10, 9, AttError.INVALID_HANDLE]);
    expect(judge('0405000500').action).toBe('handle');
  });

  it('answers Read By Group Type on a non-grouping type with Unsupported Group Type', () => {
    expect(answer('100100ffff0328')).toEqual([0x10, 1, AttError.UNSUPPORTED_GROUP_TYPE]);
    expect(judge('100100ffff0128').action).toBe('handle');
    expect(judgeAttPdu(fromHex('100100ffff0328'), { groupingTypes: [0x2803] }).action).toBe('handle');
  });

  it('ignores malformed commands and notifications and an empty PDU', () => {
    expect(answer('520e')).toBe('ignore');
    expect(answer('d20e0001')).toBe('ignore');
    expect(answer('1b15')).toBe('ignore');
    expect(answer('')).toBe('ignore');
  });

  it('gives the Error Response bytes', () => {
    expect(toHex(errorResponse(0x0a, 0x0003, AttError.INSUFFICIENT_AUTHENTICATION))).toBe('010a030005');
  });
});
