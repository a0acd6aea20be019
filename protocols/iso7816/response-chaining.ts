/**
 * The '61XX' and '6CXX' rules, as pure functions: what a terminal (or a host
 * driver) sends next after a response, and the response it ends up with.
 *
 * Sources: ISO/IEC 7816-4:2005 5.1.3 (SW1 '61': "SW2 encodes the number of
 * data bytes still available", fetched with GET RESPONSE; SW1 '6C': "wrong Le
 * field; SW2 encodes the exact number of available data bytes", so the same
 * command is sent again with Le = SW2) and 7.6.1 (GET RESPONSE: INS 'C0',
 * P1-P2 '0000', Le = the bytes wanted), ISO/IEC 7816-3:2006 12.2 (the T=0
 * transport that produces them), EMV Book 1 9.3.1.3 (the terminal's handling:
 * GET RESPONSE after '61XX', re-issue after '6CXX', data concatenated).
 *
 * The caller owns the transport and any limit on rounds; these functions only
 * say what to send and what has been gathered.
 */
import { decodeClassByte, statusWord } from './apdu';
import type { CommandApdu, ResponseApdu } from './apdu';

/** GET RESPONSE (ISO/IEC 7816-4:2005 7.6.1). */
export const INS_GET_RESPONSE = 0xc0;

/** What has been gathered so far for one command. */
export interface ResponseAssembly {
  /** The command as first sent (re-sent with a new Ne on '6CXX'). */
  command: CommandApdu;
  /** Response data gathered from '61XX' responses before this one. */
  data: Uint8Array;
}

export type NextStep =
  | { kind: 'send'; command: CommandApdu; assembly: ResponseAssembly; reason: 'get-response' | 'wrong-le' }
  | { kind: 'done'; response: ResponseApdu };

export function startAssembly(command: CommandApdu): ResponseAssembly {
  return { command, data: new Uint8Array(0) };
}

/**
 * Fold one received response into the assembly. '61XX' asks for GET RESPONSE
 * with Le = XX ('00' meaning 256) and keeps the data received; '6CXX' asks for
 * the original command again with Ne = XX; any other status ends the exchange
 * with all data gathered and that status word.
 */
export function continueAssembly(assembly: ResponseAssembly, received: ResponseApdu): NextStep {
  const data = concat(assembly.data, received.data);
  if (received.sw1 === 0x61) {
    const ne = received.sw2 === 0 ? 256 : received.sw2;
    return { kind: 'send', command: getResponse(assembly.command.cla, ne), assembly: { command: assembly.command, data }, reason: 'get-response' };
  }
  if (received.sw1 === 0x6c) {
    const ne = received.sw2 === 0 ? 256 : received.sw2;
    // The re-issued command's answer replaces the refused one; data gathered before stays.
    return { kind: 'send', command: { ...assembly.command, ne }, assembly: { command: assembly.command, data: assembly.data }, reason: 'wrong-le' };
  }
  return { kind: 'done', response: { data, sw1: received.sw1, sw2: received.sw2 } };
}

/** GET RESPONSE on the same logical channel as `cla` when it is interindustry, else on the basic channel ('00'). */
export function getResponse(cla: number, ne: number): CommandApdu {
  const decoded = decodeClassByte(cla);
  let getCla = 0x00;
  if (decoded.kind === 'interindustry') getCla = decoded.channel < 4 ? decoded.channel : 0x40 | (decoded.channel - 4);
  return { cla: getCla, ins: INS_GET_RESPONSE, p1: 0, p2: 0, data: new Uint8Array(0), ne };
}

/** The card side of the same rule: how many bytes to announce in '61XX' for `remaining` bytes. */
export function bytesRemainingStatus(remaining: number): number {
  return 0x6100 | (remaining >= 256 ? 0 : remaining);
}

/** True when `response` ends the exchange (not '61XX' nor '6CXX'). */
export function isFinal(response: ResponseApdu): boolean {
  const sw1 = statusWord(response) >> 8;
  return sw1 !== 0x61 && sw1 !== 0x6c;
}

// ---------------------------------------------------------------------------

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
