// The cloud's precomputed SCP03 script against the secure element's ISD (sim/se), on its host interface in
// process: one script opens the session, runs wrapped commands and its answers check out; a counter that moved
// on makes the card refuse EXTERNAL AUTHENTICATE, and the cloud sees why. End to end through the phone and the
// strap's transfer characteristic: sim/phone/wallet-service.test.ts.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock';
import { SecureElement } from '../se/secure-element';
import { DEFAULT_ISD_AID } from '../se/isd';
import { counterProbe, seScript, sequenceCounterOf } from './se-script';

const KEYS = { enc: new Uint8Array(16).fill(0x40), mac: new Uint8Array(16).fill(0x41), dek: new Uint8Array(16).fill(0x42) };
/** GET STATUS of the ISD (P1 '80'), TLV answer (P2 '02'), every AID (search '4F 00'): GP CS 2.3 11.4. */
const GET_STATUS_ISD = { cla: 0x80, ins: 0xf2, p1: 0x80, p2: 0x02, data: Uint8Array.of(0x4f, 0x00), ne: 256 };

function se() {
  const clock = new VirtualClock();
  const part = new SecureElement({ clock, isdKeys: KEYS });
  part.setPowered(true);
  clock.advanceBy(part.timing.wakeUpMs);
  /** Each APDU in turn, stopping after a status word other than 9000, as the strap runs a script. */
  const run = (apdus: Uint8Array[]) => {
    const out: Uint8Array[] = [];
    for (const a of apdus) {
      const r = part.runApdu(part.hostRuntime, a)!.response;
      out.push(r);
      if (r[r.length - 2] !== 0x90 || r[r.length - 1] !== 0) break;
    }
    return out;
  };
  return { run };
}

describe('a precomputed SCP03 session as one APDU script', () => {
  it('opens the secure channel with the card challenge predicted from the counter, and its wrapped GET STATUS answers the ISD (R-MAC checked, R-ENC decrypted)', () => {
    const card = se();
    const probe = card.run(counterProbe(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)));
    const script = seScript({ keys: KEYS, lastSequenceCounter: sequenceCounterOf(probe[1]!), hostChallenge: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), commands: [GET_STATUS_ISD] });
    const answers = script.read(card.run(script.apdus));
    expect(answers[0]!.sw).toBe(0x9000);
    // 'E3' { '4F' the ISD's AID, … }
    expect(Buffer.from(answers[0]!.data).toString('hex')).toContain('4f08' + Buffer.from(DEFAULT_ISD_AID).toString('hex'));
  });

  it('is refused by the card when its counter has moved on: EXTERNAL AUTHENTICATE fails and the wrapped command never runs; the cloud says which counter it met', () => {
    const card = se();
    const probe = card.run(counterProbe(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)));
    const script = seScript({ keys: KEYS, lastSequenceCounter: sequenceCounterOf(probe[1]!), hostChallenge: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), commands: [GET_STATUS_ISD] });
    card.run(counterProbe(Uint8Array.of(8, 7, 6, 5, 4, 3, 2, 1))); // someone else opened a session meanwhile
    const responses = card.run(script.apdus);
    expect(responses).toHaveLength(3);
    expect(responses[2]!.subarray(-2)[0]).not.toBe(0x90);
    expect(() => script.read(responses)).toThrow(/^the card used sequence counter 0+3, the script was made for 0+2$/);
  });

  it('is refused by the cloud when the card does not hold its keys: the card cryptogram does not match', () => {
    const card = se();
    const probe = card.run(counterProbe(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)));
    const wrongKeys = { ...KEYS, mac: new Uint8Array(16).fill(0x77) };
    const script = seScript({ keys: wrongKeys, lastSequenceCounter: sequenceCounterOf(probe[1]!), hostChallenge: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), commands: [] });
    expect(() => script.read(card.run(script.apdus))).toThrow('card cryptogram mismatch: not our card, or not our keys');
  });
});
