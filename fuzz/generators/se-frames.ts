/**
 * The `se-frames` kind: hostile input for the secure element (sim/se), both
 * interfaces. One case is a burst of 40 inputs drawn from its seed
 * (sim/se/hostile-input.ts): T=1 frames written to the SE's I2C address,
 * each followed by polling for the answer (granting WTX as a host must), and
 * command APDUs on the contactless interface with the field on; now and then
 * a power cut at a non-volatile write and a power-up.
 *
 * Verdict: crash when anything throws out of the SE or the bus; hang when a
 * write is not answered within BWT (times the WTX granted) or a frame is not
 * well-formed from NAD 'A5'; unhealthy when, after the burst, a clean host
 * (S(chip reset), then SELECT of the ISD over T=1) does not get '9000'.
 */
import { I2CBus } from '../../sim/board/buses/i2c-bus';
import { VirtualClock } from '../../sim/clock/virtual-clock';
import { SeededRandom } from '../../sim/clock/seeded-random';
import { SecureElement } from '../../sim/se/secure-element';
import { randomApdu, randomT1Frame } from '../../sim/se/hostile-input';
import { T1HostDriver } from '../../sim/se/t1-host-driver';
import type { Applet, AppletResponse } from '../../sim/se/applet';
import { NAD_HOST_TO_SE, NAD_SE_TO_HOST, decodeBlock, encodeBlock } from '../../protocols/t1/block';
import type { Verdict } from '../fuzz-case';

const INPUTS_PER_CASE = 40;
const KEYS = { enc: new Uint8Array(16).fill(0x11), mac: new Uint8Array(16).fill(0x22), dek: new Uint8Array(16).fill(0x33) };

/** An applet that writes to non-volatile memory on every command (so power cuts land mid-transaction). */
const counter: Applet = {
  aid: Uint8Array.of(0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10),
  select: (): AppletResponse => ({ data: new Uint8Array(0), sw: 0x9000 }),
  process: (command, ctx): AppletResponse => {
    ctx.store.transaction((tx) => {
      tx.put('n', Uint8Array.of(((tx.get('n')?.[0] ?? 0) + 1) & 0xff));
      tx.put('last', command.data.slice(0, 16));
    });
    return { data: Uint8Array.of(command.ins), sw: 0x9000 };
  },
};

export function seFramesCase(seed: number): { input: string; verdict: Verdict } {
  const rng = new SeededRandom(seed);
  const clock = new VirtualClock();
  const bus = new I2CBus();
  const se = new SecureElement({ clock, isdKeys: KEYS, powered: true });
  se.install(counter);
  se.attachTo(bus);
  clock.advanceBy(se.timing.wakeUpMs);
  se.contactless.fieldOn();
  const state: { ns: 0 | 1 } = { ns: 0 };
  const shown: string[] = [];
  try {
    for (let i = 0; i < INPUTS_PER_CASE; i++) {
      if (rng.next() < 0.05) se.nvm.cutPowerAfterWrites(rng.int(0, 4));
      if (rng.next() < 0.5) {
        const frame = randomT1Frame(rng, state);
        shown.push(`t1:${hex(frame)}`);
        if (bus.write(0x48, frame) !== 0) {
          if (se.powered) return { input: shown.join(' '), verdict: { outcome: 'hang', detail: 'a powered, idle SE did not acknowledge a write' } };
        } else {
          const problem = awaitAnswer(bus, clock, se);
          if (problem) return { input: shown.join(' '), verdict: { outcome: 'hang', detail: problem } };
        }
      } else {
        const apdu = randomApdu(rng);
        shown.push(`rf:${hex(apdu)}`);
        try {
          const { response } = se.contactless.transceive(apdu);
          if (response.length < 2) return { input: shown.join(' '), verdict: { outcome: 'unhealthy', detail: 'an answer without a status word' } };
        } catch (e) {
          if (!(e instanceof Error && e.name === 'FieldLost')) throw e;
        }
      }
      se.nvm.cutPowerAfterWrites(undefined);
      if (!se.powered) {
        se.setPowered(true);
        clock.advanceBy(se.timing.wakeUpMs);
        se.contactless.fieldOff();
        se.contactless.fieldOn();
        state.ns = 0;
      }
    }
    clock.advanceBy(se.timing.bwtMs * 300); // anything still pending is over
    const driver = new T1HostDriver(bus, clock, { timeoutMs: se.timing.bwtMs * 2 });
    driver.sBlock('chip-reset'); // a host that finds the SE in an unknown state resets it (logical channels may hold the ISD)
    const answer = driver.transceive(Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 0x08, 0xa0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00, 0x00, 0x00));
    const sw = (answer[answer.length - 2]! << 8) | answer[answer.length - 1]!;
    if (sw !== 0x9000) return { input: shown.join(' '), verdict: { outcome: 'unhealthy', detail: `SELECT of the ISD after the burst answered ${sw.toString(16)}` } };
    return { input: shown.join(' '), verdict: { outcome: 'ok' } };
  } catch (e) {
    return { input: shown.join(' '), verdict: { outcome: 'crash', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } };
  }
}

/** Polls for the answer to a write, granting WTX; a description of what went wrong, or undefined. */
function awaitAnswer(bus: I2CBus, clock: VirtualClock, se: SecureElement): string | undefined {
  let budgetMs = se.timing.bwtMs + 50;
  for (let round = 0; round < 4; round++) {
    const deadline = clock.nowMs() + budgetMs;
    let head = bus.read(0x48, 3);
    while (typeof head === 'number') {
      if (!se.powered) return undefined; // cut mid-command: the SE is mute, as it should be
      if (clock.nowMs() > deadline) return `no answer within ${budgetMs} ms`;
      clock.advanceBy(5);
      head = bus.read(0x48, 3);
    }
    const rest = bus.read(0x48, head[2]! + 2);
    if (typeof rest === 'number') return 'the SE stopped half way through a frame';
    const block = decodeBlock(Uint8Array.from([...head, ...rest]), { expectNad: NAD_SE_TO_HOST });
    if (!block.ok) return `a malformed frame from the SE: ${block.error.detail}`;
    const b = block.value;
    if (!(b.type === 'S' && b.kind === 'wtx' && !b.response)) return undefined;
    budgetMs = (b.inf[0]! + 1) * se.timing.bwtMs + 50;
    if (bus.write(0x48, encodeBlock({ type: 'S', nad: NAD_HOST_TO_SE, kind: 'wtx', response: true, inf: b.inf })) !== 0) return 'the SE refused its own WTX grant';
  }
  return 'more than 3 WTX requests for one block';
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 24), (b) => b.toString(16).padStart(2, '0')).join('') + (bytes.length > 24 ? '…' : '');
}
