/**
 * The `nci-packets` kind: hostile NCI 2.0 packets for the NFC controller
 * (sim/nfc NciController at 0x28 on an I2C bus, its IRQ on a pin, the SE's
 * contactless interface behind it as NFCEE 0xC0). One case is a burst of 60
 * inputs drawn from its seed: a valid command for every GID/OID the
 * controller knows (protocols/nci codecs), as is or mutated (MT, PBF, GID,
 * OID bits, the length byte, cut, two joined in one write, segmented with
 * wrong PBF flags), data packets on connections that do not exist, random
 * bytes; between them VEN cycles and a reader's field events. After each
 * write the host reads what IRQ announces.
 *
 * Verdict: crash when anything throws out of the controller or the bus, or
 * the controller records an internal error; hang when IRQ stays up past 300
 * reads; unhealthy when it sends a malformed packet, or when, after the
 * burst, a VEN cycle and the host bring-up (sim/nfc/testing/nci-test-host.ts)
 * do not reach listen mode, or a reader's SELECT PPSE through the field is
 * not answered '9000' by the SE.
 */
import { ConfigParam, RfTechMode } from '../../protocols/nci/identifiers';
import * as core from '../../protocols/nci/core';
import * as nfcee from '../../protocols/nci/nfcee';
import { decodePacket, encodePacket, HEADER_BYTES } from '../../protocols/nci/packet';
import * as rf from '../../protocols/nci/rf';
import { I2CBus } from '../../sim/board/buses/i2c-bus';
import { SeededRandom } from '../../sim/clock/seeded-random';
import { VirtualClock } from '../../sim/clock/virtual-clock';
import { VirtualField } from '../../sim/nfc/field';
import { EMBEDDED_SE_NFCEE_ID, NciController, PN7150_I2C_ADDRESS } from '../../sim/nfc/nci-controller';
import { settle } from '../../sim/nfc/settle';
import { bringUpToListen, kinds, PPSE_AID, RecordingPins, TestNciHost, VISA_AID } from '../../sim/nfc/testing/nci-test-host';
import { mutateBytes, randomBytes } from '../../sim/se/hostile-input';
import { PaymentApplet } from '../../sim/se/payment/payment-applet';
import { PpseApplet } from '../../sim/se/payment/ppse-applet';
import { SecureElement } from '../../sim/se/secure-element';
import type { Verdict } from '../fuzz-case';

const INPUTS_PER_CASE = 60;
const IRQ_PIN = 9;
const KEYS = { enc: new Uint8Array(16).fill(0x11), mac: new Uint8Array(16).fill(0x22), dek: new Uint8Array(16).fill(0x33) };
const on = rf.RoutePowerState.SWITCHED_ON;

/** One valid command of every GID/OID the controller knows (each codec's packets, segmented when long). */
const COMMANDS: Uint8Array[][] = [
  core.CORE_RESET_CMD.encode({ resetType: 1 }),
  core.CORE_RESET_CMD.encode({ resetType: 0 }),
  core.CORE_INIT_CMD.encode({ featureEnable: 0 }),
  core.CORE_SET_CONFIG_CMD.encode({ parameters: [{ id: ConfigParam.RF_FIELD_INFO, value: Uint8Array.of(1) }, { id: ConfigParam.LA_SEL_INFO, value: Uint8Array.of(0x20) }] }),
  core.CORE_GET_CONFIG_CMD.encode({ ids: [ConfigParam.LA_SEL_INFO, ConfigParam.TOTAL_DURATION] }),
  core.CORE_SET_POWER_SUB_STATE_CMD.encode({ powerState: 0 }),
  core.NXP_CORE_SET_POWER_MODE_CMD.encode({ mode: 0 }),
  nfcee.NFCEE_DISCOVER_CMD.encode({}),
  nfcee.NFCEE_MODE_SET_CMD.encode({ nfceeId: EMBEDDED_SE_NFCEE_ID, mode: nfcee.NfceeMode.ENABLE }),
  nfcee.NFCEE_MODE_SET_CMD.encode({ nfceeId: EMBEDDED_SE_NFCEE_ID, mode: 0 }),
  rf.RF_SET_LISTEN_MODE_ROUTING_CMD.encode({ more: false, entries: [{ type: 'aid', qualifiers: 0, route: EMBEDDED_SE_NFCEE_ID, powerState: on, aid: PPSE_AID }, { type: 'protocol', qualifiers: 0, route: EMBEDDED_SE_NFCEE_ID, powerState: on, protocol: 4 }] }),
  rf.RF_SET_LISTEN_MODE_ROUTING_CMD.encode({ more: false, entries: Array.from({ length: 30 }, () => ({ type: 'aid' as const, qualifiers: 0, route: 0, powerState: on, aid: VISA_AID })) }),
  rf.RF_GET_LISTEN_MODE_ROUTING_CMD.encode({}),
  rf.RF_DISCOVER_MAP_CMD.encode({ mappings: [{ rfProtocol: 4, mode: 2, rfInterface: 2 }] }),
  rf.RF_DISCOVER_CMD.encode({ configurations: [{ techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, frequency: 1 }] }),
  rf.RF_DEACTIVATE_CMD.encode({ type: 0 }),
  rf.RF_DEACTIVATE_CMD.encode({ type: 3 }),
];

function pickCommand(rng: SeededRandom): Uint8Array[] {
  return COMMANDS[rng.int(0, COMMANDS.length - 1)]!.map((p) => p.slice());
}

/** The writes of one hostile input (usually one, several for a command segmented wrongly). */
function hostileWrites(rng: SeededRandom): Uint8Array[] {
  const packets = pickCommand(rng);
  const first = packets[0]!;
  switch (rng.int(0, 11)) {
    case 0:
    case 1:
      return packets;
    case 2: // MT of every value
      first[0] = (first[0]! & 0x1f) | (rng.int(0, 7) << 5);
      return [first];
    case 3: // PBF set on a last segment: a message whose rest never comes
      first[0] = first[0]! ^ 0x10;
      return [first];
    case 4: // GID and OID of every value
      first[0] = (first[0]! & 0xf0) | rng.int(0, 15);
      if (rng.next() < 0.7) first[1] = rng.int(0, 255);
      return [first];
    case 5: // the length byte wrong
      first[2] = rng.int(0, 255);
      return [first];
    case 6: // cut
      return [first.slice(0, rng.int(0, first.length))];
    case 7: { // two packets joined in one write
      const second = pickCommand(rng)[0]!;
      return [Uint8Array.from([...first, ...second])];
    }
    case 8: { // segmented wrongly: split with PBF set on each part, the last sometimes also set, or headers disagreeing
      const payload = first.subarray(HEADER_BYTES);
      const cut = rng.int(0, payload.length);
      const head = (pbf: boolean, gid = first[0]! & 0x0f) => ((first[0]! & 0xe0) | (pbf ? 0x10 : 0) | gid);
      const a = Uint8Array.of(head(true), first[1]!, cut, ...payload.subarray(0, cut));
      const b = Uint8Array.of(head(rng.next() < 0.3, rng.next() < 0.3 ? rng.int(0, 15) : first[0]! & 0x0f), rng.next() < 0.3 ? rng.int(0, 63) : first[1]!, payload.length - cut, ...payload.subarray(cut));
      return rng.next() < 0.2 ? [b, a] : [a, b];
    }
    case 9: { // data on a connection that does not exist (or on the static one outside HCE)
      const payload = randomBytes(rng, rng.int(0, 40));
      return [encodePacket({ kind: 'data', pbf: rng.next() < 0.2, connId: rng.int(0, 15), credits: rng.int(0, 3), payload })];
    }
    case 10:
      return [mutateBytes(rng, first, rng.int(1, 4))];
    default:
      return [randomBytes(rng, rng.int(0, 260))];
  }
}

export async function nciPacketsCase(seed: number): Promise<{ input: string; verdict: Verdict }> {
  const rng = new SeededRandom(seed);
  const clock = new VirtualClock();
  const bus = new I2CBus();
  const pins = new RecordingPins();
  const nfcc = new NciController({ clock, random: new SeededRandom(`nci-packets/${seed}/nfcc`), pins, irqPin: IRQ_PIN });
  bus.attach(PN7150_I2C_ADDRESS, nfcc);
  const se = new SecureElement({ clock, isdKeys: KEYS, powered: true });
  se.install(new PpseApplet([{ aid: VISA_AID, label: 'VISA', priority: 1 }]));
  se.install(new PaymentApplet({ aid: VISA_AID }));
  nfcc.attachNfcee(se.contactless);
  nfcc.setVen(true);
  const irq = () => pins.level(IRQ_PIN);
  const shown: string[] = [];
  const input = () => shown.join(' ');
  try {
    for (let i = 0; i < INPUTS_PER_CASE; i++) {
      const event = rng.int(0, 39);
      if (event === 0) {
        nfcc.setVen(false);
        nfcc.setVen(true);
        shown.push('ven');
      } else if (event === 1) {
        nfcc.antenna.fieldOn();
        shown.push('field-on');
      } else if (event === 2) {
        nfcc.antenna.fieldOff();
        shown.push('field-off');
      } else if (event === 3) {
        nfcc.antenna.sense();
        nfcc.antenna.rats(0x80);
        nfcc.antenna.exchange(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, PPSE_AID.length, ...PPSE_AID, 0x00]));
        shown.push('reader-select');
      } else if (event === 4) {
        nfcc.antenna.deselect();
        shown.push('deselect');
      }
      for (const write of hostileWrites(rng)) {
        shown.push(hex(write));
        bus.write(PN7150_I2C_ADDRESS, write);
        clock.advanceBy(rng.int(0, 2));
        const problem = drain(bus, irq);
        if (problem) return { input: input(), verdict: problem };
      }
    }
    if (nfcc.internalErrors.length) return { input: input(), verdict: { outcome: 'crash', detail: `controller internal error: ${String(nfcc.internalErrors[0])}` } };
    return { input: input(), verdict: await bringUpAndTap(nfcc, bus, clock, irq) };
  } catch (e) {
    return { input: input(), verdict: { outcome: 'crash', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } };
  }
}

/** Reads every packet IRQ announces; a verdict when one is malformed or IRQ never falls. */
function drain(bus: I2CBus, irq: () => boolean): Verdict | undefined {
  for (let reads = 0; irq(); reads++) {
    if (reads >= 300) return { outcome: 'hang', detail: 'IRQ still up after 300 packets read' };
    const header = bus.read(PN7150_I2C_ADDRESS, HEADER_BYTES);
    if (typeof header === 'number') return { outcome: 'unhealthy', detail: `IRQ up but the header read failed (${header})` };
    const rest = bus.read(PN7150_I2C_ADDRESS, header[2]!);
    if (typeof rest === 'number') return { outcome: 'unhealthy', detail: `the payload read failed (${rest})` };
    const packet = decodePacket(Uint8Array.from([...header, ...rest]));
    if (!packet.ok) return { outcome: 'unhealthy', detail: `a malformed packet from the controller: ${packet.error.detail}` };
  }
  return undefined;
}

/** After the burst: VEN cycle, the host's bring-up to listen mode, and a reader's SELECT PPSE answered by the SE. */
async function bringUpAndTap(nfcc: NciController, bus: I2CBus, clock: VirtualClock, irq: () => boolean): Promise<Verdict> {
  nfcc.antenna.fieldOff();
  nfcc.setVen(false);
  nfcc.setVen(true);
  const host = new TestNciHost(bus, clock, irq);
  host.receive(5); // CORE_RESET_NTF after boot
  const last = kinds(bringUpToListen(host, EMBEDDED_SE_NFCEE_ID)).at(-1);
  if (last !== 'RSP RF_DISCOVER' || !nfcc.antenna.listening()) return { outcome: 'unhealthy', detail: `the bring-up after the burst did not reach listen mode (last ${last})` };
  const reader = new VirtualField({ clock, controller: nfcc }).enter();
  const link = await settle(clock, reader.activate());
  if (!link) return { outcome: 'unhealthy', detail: 'no card in the field after the bring-up' };
  const answer = await settle(clock, link.transceive(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, PPSE_AID.length, ...PPSE_AID, 0x00])));
  reader.leave();
  const sw = (answer[answer.length - 2]! << 8) | answer[answer.length - 1]!;
  return sw === 0x9000 && answer[0] === 0x6f ? { outcome: 'ok' } : { outcome: 'unhealthy', detail: `SELECT PPSE through the field answered ${sw.toString(16)}` };
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 24), (b) => b.toString(16).padStart(2, '0')).join('') + (bytes.length > 24 ? '…' : '');
}
