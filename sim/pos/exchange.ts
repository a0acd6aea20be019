/**
 * One command-response pair over a ReaderLink, with the '61XX' / '6CXX'
 * follow-ups a contactless reader performs (EMV Book 1 9.3.1.3; the rules
 * are protocols/iso7816/response-chaining.ts), at most 8 rounds.
 */
import { encodeCommandApdu, parseResponseApdu } from '../../protocols/iso7816/apdu';
import type { CommandApdu, ResponseApdu } from '../../protocols/iso7816/apdu';
import { continueAssembly, startAssembly } from '../../protocols/iso7816/response-chaining';
import type { ReaderLink } from '../nfc/contactless';

export interface ExchangeLog {
  command: Uint8Array;
  response: Uint8Array;
}

/** Sends `command`; resolves with the complete response, or undefined if the card answered fewer than 2 bytes or looped. */
export async function exchange(link: ReaderLink, command: CommandApdu, log: ExchangeLog[]): Promise<ResponseApdu | undefined> {
  let assembly = startAssembly(command);
  let next: CommandApdu = command;
  for (let round = 0; round < 8; round++) {
    const bytes = encodeCommandApdu(next);
    const raw = await link.transceive(bytes);
    log.push({ command: bytes, response: raw });
    const received = parseResponseApdu(raw);
    if (!received) return undefined;
    const step = continueAssembly(assembly, received);
    if (step.kind === 'done') return step.response;
    assembly = step.assembly;
    next = step.command;
  }
  return undefined;
}
