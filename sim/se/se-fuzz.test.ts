/**
 * Hostile input for the secure element, seeded and reproducible: 12,000
 * command APDUs on both interfaces and 10,000 T=1 frames on the I2C bus.
 * Nothing may throw out of the SE, every write gets an answer within its
 * time budget (no hang), and the answers are the protocols' own: a command
 * the ISO/IEC 7816 decoder refuses gets the status word of its refusal, a
 * block the T=1 decoder refuses gets R(error 'crc' or 'other'), every frame
 * the SE sends is a well-formed block from NAD 'A5'.
 */
import { describe, expect, it } from 'vitest';
import { I2CBus, TWI_ERR_ANACK } from '../board/buses/i2c-bus';
import { VirtualClock } from '../clock/virtual-clock';
import { SeededRandom } from '../clock/seeded-random';
import { parseCommandApdu } from '../../protocols/iso7816/apdu';
import { errorStatusWord } from '../../protocols/iso7816/status-words';
import { NAD_HOST_TO_SE, NAD_SE_TO_HOST, decodeBlock, encodeBlock, rBlockErrorFor } from '../../protocols/t1/block';
import { SecureElement } from './secure-element';
import { EchoApplet, hexBytes } from './testing/echo-applet';
import { randomApdu, randomT1Frame } from './hostile-input';

const KEYS = { enc: new Uint8Array(16).fill(7), mac: new Uint8Array(16).fill(8), dek: new Uint8Array(16).fill(9) };
const SEED = 'se-fuzz-1';

function build() {
  const clock = new VirtualClock();
  const bus = new I2CBus();
  const se = new SecureElement({ clock, isdKeys: KEYS, powered: true });
  se.install(new EchoApplet(hexBytes('A0000000031010')));
  se.install(new EchoApplet(hexBytes('A0000000032020')));
  se.attachTo(bus);
  clock.advanceBy(se.timing.wakeUpMs);
  return { clock, bus, se };
}

const VALID_SW1 = new Set([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x90]);

describe('secure element under hostile input (seeded)', () => {
  it('12,000 random and mutated APDUs on both interfaces: no throw, refused ones get their status word', () => {
    const rng = new SeededRandom(SEED).fork('apdu');
    let { se } = build();
    se.contactless.fieldOn();
    const tally = { refusedByDecoder: 0, answered: 0, powerCuts: 0 };
    for (let i = 0; i < 12_000; i++) {
      if (i % 2000 === 1999) {
        ({ se } = build());
        se.contactless.fieldOn();
      }
      let apdu = randomApdu(rng);
      let runtime = rng.next() < 0.5 ? se.hostRuntime : se.contactless.runtime;
      if (rng.next() < 0.01) {
        // a power cut in the middle of a command that writes (the echo applet's counter: 6 writes)
        se.runApdu(se.contactless.runtime, hexBytes('00A4040007A000000003101000'));
        se.nvm.cutPowerAfterWrites(rng.int(0, 5));
        runtime = se.contactless.runtime;
        apdu = hexBytes('8003000000');
      }
      const result = se.runApdu(runtime, apdu);
      se.nvm.cutPowerAfterWrites(undefined);
      if (!result) {
        tally.powerCuts++;
        expect(se.powered).toBe(false);
        se.setPowered(true);
        se.contactless.fieldOff();
        se.contactless.fieldOn();
        continue;
      }
      const { response } = result;
      expect(response.length).toBeGreaterThanOrEqual(2);
      const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
      expect(VALID_SW1.has(sw >> 8)).toBe(true);
      const parsed = parseCommandApdu(apdu);
      if (!parsed.ok) {
        tally.refusedByDecoder++;
        expect(sw).toBe(errorStatusWord(parsed.error.kind));
        expect(response.length).toBe(2);
      } else tally.answered++;
    }
    expect(tally.refusedByDecoder).toBeGreaterThan(1000);
    expect(tally.answered).toBeGreaterThan(1000);
    expect(tally.powerCuts).toBeGreaterThan(0);
  });

  it('10,000 random and mutated T=1 frames over I2C: every write answered in time with a well-formed block; unreadable ones with R(error)', () => {
    const rng = new SeededRandom(SEED).fork('t1');
    let { clock, bus, se } = build();
    const state: { ns: 0 | 1 } = { ns: 0 };
    const tally = { rError: 0, other: 0, wtx: 0 };
    for (let i = 0; i < 10_000; i++) {
      if (i % 2500 === 2499) ({ clock, bus, se } = build());
      const frame = randomT1Frame(rng, state);
      const written = bus.write(0x48, frame);
      expect(written).toBe(0); // never busy: each answer was read before
      const answer = readAnswer(bus, clock, se.timing.bwtMs);
      const decoded = decodeBlock(answer, { expectNad: NAD_SE_TO_HOST });
      expect(decoded.ok).toBe(true);
      if (!decoded.ok) continue;
      let block = decoded.value;
      // The host grants the SE's waiting time extensions (as its driver must), then gets the real answer.
      for (let w = 0; block.type === 'S' && block.kind === 'wtx' && !block.response; w++) {
        tally.wtx++;
        expect(w).toBeLessThan(3);
        expect(bus.write(0x48, encodeBlock({ type: 'S', nad: NAD_HOST_TO_SE, kind: 'wtx', response: true, inf: block.inf }))).toBe(0);
        const next = decodeBlock(readAnswer(bus, clock, (block.inf[0]! + 1) * se.timing.bwtMs), { expectNad: NAD_SE_TO_HOST });
        expect(next.ok).toBe(true);
        if (!next.ok) break;
        block = next.value;
      }
      const input = decodeBlock(frame, { expectNad: NAD_HOST_TO_SE });
      if (!input.ok) {
        tally.rError++;
        expect(block).toMatchObject({ type: 'R', error: rBlockErrorFor(input.error.kind) });
      } else tally.other++;
      expect(bus.read(0x48, 1)).toBe(TWI_ERR_ANACK); // the answer was read whole: nothing more
    }
    expect(tally.rError).toBeGreaterThan(2000);
    expect(tally.other).toBeGreaterThan(2000);
  });
});

/** Polls as the host does (1 ms, then coarser) and reads one whole frame; fails the test after `budgetMs` without one. */
function readAnswer(bus: I2CBus, clock: VirtualClock, budgetMs: number): Uint8Array {
  const deadline = clock.nowMs() + budgetMs + 100;
  let head = bus.read(0x48, 3);
  while (typeof head === 'number') {
    if (clock.nowMs() > deadline) throw new Error(`no answer within ${budgetMs} ms: a hang`);
    clock.advanceBy(clock.nowMs() < 20 ? 1 : 10);
    head = bus.read(0x48, 3);
  }
  const rest = bus.read(0x48, head[2]! + 2);
  if (typeof rest === 'number') throw new Error('the frame stopped half way');
  return Uint8Array.from([...head, ...rest]);
}
