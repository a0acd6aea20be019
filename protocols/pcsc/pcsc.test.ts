import { describe, expect, it } from 'vitest';
import { atsHistoricalBytes, contactlessAtr } from './contactless-atr';
import { decodeVpcdMessage, encodeVpcdMessage, splitVpcdStream } from './vpcd';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

describe('the ATR a PC/SC reader builds for an ISO/IEC 14443-4 Type A card', () => {
  it('is 3B 8n 80 01, the ATS historical bytes and TCK', () => {
    // No historical bytes: the ATR pcscd reported for our virtual card through vpcd.
    expect(contactlessAtr(new Uint8Array(0))).toEqual(h('3B 80 80 01 01'));
    // A DESFire EV1's ATS historical byte '80': the well-known ATR 3B 81 80 01 80 80.
    expect(contactlessAtr(h('80'))).toEqual(h('3B 81 80 01 80 80'));
  });

  it('takes the historical bytes after T0 and the interface bytes T0 announces', () => {
    expect(atsHistoricalBytes(h('05 78 80 70 02'))).toEqual(new Uint8Array(0)); // TA, TB, TC present; none historical
    expect(atsHistoricalBytes(h('06 75 77 81 02 80'))).toEqual(h('80')); // DESFire EV1: TA, TB, TC, then '80'
    expect(atsHistoricalBytes(h('01'))).toEqual(new Uint8Array(0));
    expect(atsHistoricalBytes(h('09 78'))).toBeUndefined(); // TL longer than what came
  });
});

describe("vsmartcard's vpcd ↔ vpicc messages", () => {
  it('frames with a 2-byte big-endian length and tells control requests from APDUs', () => {
    expect(encodeVpcdMessage(h('3B 80 80 01 01'))).toEqual(h('00 05 3B 80 80 01 01'));
    expect(encodeVpcdMessage(new Uint8Array(0))).toEqual(h('00 00'));
    expect([0, 1, 2, 4, 3].map((c) => decodeVpcdMessage(Uint8Array.of(c)))).toEqual([
      { kind: 'power-off' }, { kind: 'power-on' }, { kind: 'reset' }, { kind: 'get-atr' }, { kind: 'unknown-control', code: 3 },
    ]);
    expect(decodeVpcdMessage(h('00 A4 04 00'))).toEqual({ kind: 'apdu', apdu: h('00 A4 04 00') });
  });

  it('cuts a stream into messages whatever the reads were, keeping a partial one', () => {
    const stream = h('00 01 04  00 04 00 A4 04 00  00 03 80');
    const { messages, rest } = splitVpcdStream(stream);
    expect(messages).toEqual([h('04'), h('00 A4 04 00')]);
    expect(rest).toEqual(h('00 03 80'));
    expect(splitVpcdStream(Uint8Array.of(0x00)).messages).toEqual([]);
  });
});
