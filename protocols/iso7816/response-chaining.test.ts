import { describe, expect, it } from 'vitest';
import type { CommandApdu, ResponseApdu } from './apdu';
import { bytesRemainingStatus, continueAssembly, getResponse, isFinal, startAssembly } from './response-chaining';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const r = (data: string, sw: number): ResponseApdu => ({ data: h(data), sw1: sw >> 8, sw2: sw & 0xff });

const readRecord: CommandApdu = { cla: 0x00, ins: 0xb2, p1: 1, p2: 0x0c, data: new Uint8Array(0), ne: 256 };

describe("'61XX' and '6CXX' handling (ISO/IEC 7816-4:2005 5.1.3, 7.6.1; EMV Book 1 9.3.1.3)", () => {
  it("answers '61XX' with GET RESPONSE for XX bytes and concatenates the data", () => {
    let step = continueAssembly(startAssembly(readRecord), r('70 0E', 0x610c));
    expect(step.kind === 'send' && step.command).toEqual({ cla: 0, ins: 0xc0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 12 });
    if (step.kind !== 'send') throw new Error('expected a GET RESPONSE');
    step = continueAssembly(step.assembly, r('5A 08 4761 7390 0101 0010 5F34 0101', 0x6100));
    expect(step.kind === 'send' && step.command.ne).toBe(256);
    if (step.kind !== 'send') throw new Error('expected a second GET RESPONSE');
    step = continueAssembly(step.assembly, r('', 0x9000));
    expect(step).toEqual({ kind: 'done', response: r('70 0E 5A 08 4761 7390 0101 0010 5F34 0101', 0x9000) });
  });

  it("answers '6CXX' with the same command and Ne = XX, dropping nothing gathered before", () => {
    const step = continueAssembly(startAssembly(readRecord), r('', 0x6c1d));
    expect(step.kind === 'send' && step.reason).toBe('wrong-le');
    expect(step.kind === 'send' && step.command).toEqual({ ...readRecord, ne: 29 });
    if (step.kind !== 'send') throw new Error('expected a re-issue');
    expect(continueAssembly(step.assembly, r('70 1B', 0x9000))).toEqual({ kind: 'done', response: r('70 1B', 0x9000) });
  });

  it('ends on any other status word, errors included, with the data it has', () => {
    expect(continueAssembly(startAssembly(readRecord), r('', 0x6a83))).toEqual({ kind: 'done', response: r('', 0x6a83) });
    expect(isFinal(r('', 0x6a83))).toBe(true);
    expect(isFinal(r('', 0x6101))).toBe(false);
  });

  it('keeps the logical channel of an interindustry class for GET RESPONSE', () => {
    expect(getResponse(0x80, 16).cla).toBe(0x00);
    expect(getResponse(0x03, 16).cla).toBe(0x03);
    expect(getResponse(0x45, 16).cla).toBe(0x45);
  });

  it("announces remaining bytes the way the card side must ('6100' for 256 or more)", () => {
    expect(bytesRemainingStatus(12)).toBe(0x610c);
    expect(bytesRemainingStatus(256)).toBe(0x6100);
    expect(bytesRemainingStatus(1000)).toBe(0x6100);
  });
});
