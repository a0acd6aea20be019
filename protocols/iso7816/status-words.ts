/**
 * ISO/IEC 7816-4 status words: names, meanings, and the answer an applet
 * gives for each kind of refused command.
 *
 * Source: ISO/IEC 7816-4:2005 5.1.3, Table 5 (general meaning of SW1-SW2) and
 * Table 6 (specific SW1-SW2 values). SW1 '61' and '6C' carry a length in SW2
 * (response-chaining.ts handles them); '63CX' carries a counter in its low
 * nibble. The EMV books use these values unchanged (EMV Book 3 6.3.5,
 * Table 14 lists the ones EMV commands return).
 */
import type { CommandErrorKind } from './apdu';

/** Named status words (ISO/IEC 7816-4:2005 Table 6). */
export const SW = {
  // Normal processing
  OK: 0x9000,
  // Warning processing, non-volatile memory unchanged ('62XX')
  WARNING_NO_INFORMATION: 0x6200,
  WARNING_DATA_CORRUPTED: 0x6281,
  WARNING_END_OF_FILE: 0x6282,
  WARNING_FILE_DEACTIVATED: 0x6283,
  WARNING_FCI_NOT_FORMATTED: 0x6284,
  WARNING_FILE_TERMINATED: 0x6285,
  // Warning processing, non-volatile memory changed ('63XX'; '63CX' = counter X)
  WARNING_NV_CHANGED: 0x6300,
  WARNING_FILE_FILLED: 0x6381,
  // Execution errors
  EXECUTION_ERROR: 0x6400,
  EXECUTION_ERROR_NV_CHANGED: 0x6500,
  MEMORY_FAILURE: 0x6581,
  SECURITY_ISSUE: 0x6600,
  // Checking errors
  WRONG_LENGTH: 0x6700,
  CLA_FUNCTION_NOT_SUPPORTED: 0x6800,
  LOGICAL_CHANNEL_NOT_SUPPORTED: 0x6881,
  SECURE_MESSAGING_NOT_SUPPORTED: 0x6882,
  LAST_COMMAND_OF_CHAIN_EXPECTED: 0x6883,
  CHAINING_NOT_SUPPORTED: 0x6884,
  COMMAND_NOT_ALLOWED: 0x6900,
  INCOMPATIBLE_FILE_STRUCTURE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTHENTICATION_METHOD_BLOCKED: 0x6983,
  REFERENCE_DATA_NOT_USABLE: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  NO_CURRENT_EF: 0x6986,
  SM_OBJECTS_MISSING: 0x6987,
  SM_OBJECTS_INCORRECT: 0x6988,
  WRONG_PARAMETERS_NO_INFORMATION: 0x6a00,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  RECORD_NOT_FOUND: 0x6a83,
  NOT_ENOUGH_MEMORY: 0x6a84,
  NC_INCONSISTENT_WITH_TLV: 0x6a85,
  INCORRECT_P1P2: 0x6a86,
  NC_INCONSISTENT_WITH_P1P2: 0x6a87,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  FILE_ALREADY_EXISTS: 0x6a89,
  DF_NAME_ALREADY_EXISTS: 0x6a8a,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  NO_PRECISE_DIAGNOSIS: 0x6f00,
} as const;

export type StatusWordName = keyof typeof SW;

/** The SW an applet answers a refused command with. `wrong-le` needs the exact Ne available (6CXX). */
export function errorStatusWord(kind: CommandErrorKind, availableLength = 0): number {
  switch (kind) {
    case 'wrong-length': return SW.WRONG_LENGTH;
    case 'cla-not-supported': return SW.CLA_NOT_SUPPORTED;
    case 'ins-not-supported': return SW.INS_NOT_SUPPORTED;
    case 'wrong-p1p2': return SW.WRONG_P1P2;
    case 'incorrect-p1p2': return SW.INCORRECT_P1P2;
    case 'wrong-data': return SW.WRONG_DATA;
    case 'function-not-supported': return SW.FUNCTION_NOT_SUPPORTED;
    case 'file-not-found': return SW.FILE_NOT_FOUND;
    case 'record-not-found': return SW.RECORD_NOT_FOUND;
    case 'conditions-not-satisfied': return SW.CONDITIONS_NOT_SATISFIED;
    case 'security-status-not-satisfied': return SW.SECURITY_STATUS_NOT_SATISFIED;
    case 'wrong-le': return 0x6c00 | (availableLength & 0xff);
  }
}

/** ISO/IEC 7816-4:2005 Table 5: the process a status word reports. */
export type StatusCategory = 'normal' | 'warning' | 'execution-error' | 'checking-error' | 'unknown';

export function statusCategory(sw: number): StatusCategory {
  const sw1 = (sw >> 8) & 0xff;
  if (sw1 === 0x90 || sw1 === 0x61) return 'normal';
  if (sw1 === 0x62 || sw1 === 0x63) return 'warning';
  if (sw1 >= 0x64 && sw1 <= 0x66) return 'execution-error';
  if (sw1 >= 0x67 && sw1 <= 0x6f) return 'checking-error';
  return 'unknown';
}

/** A readable description ('6A82 file or application not found', '61 10: 16 bytes still available'). */
export function describeStatusWord(sw: number): string {
  const sw1 = (sw >> 8) & 0xff;
  const sw2 = sw & 0xff;
  const code = sw.toString(16).toUpperCase().padStart(4, '0');
  if (sw1 === 0x61) return `${code}: ${sw2 === 0 ? 256 : sw2} response bytes still available`;
  if (sw1 === 0x6c) return `${code}: wrong Le, exact length ${sw2 === 0 ? 256 : sw2}`;
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return `${code}: counter ${sw2 & 0x0f}`;
  const name = (Object.keys(SW) as StatusWordName[]).find((k) => SW[k] === sw);
  return name ? `${code} ${name.toLowerCase().replace(/_/g, ' ')}` : `${code} (${statusCategory(sw)})`;
}
