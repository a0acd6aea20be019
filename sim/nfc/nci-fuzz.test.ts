/**
 * Seeded fuzz of the controller's host interface: random bytes, random
 * well-framed packets of every MT/GID/OID, and mutations (bit flips, cuts,
 * extensions, wrong lengths, stray PBF) of the commands a real host sends,
 * mixed with VEN cycles and a reader's field coming and going. After every
 * packet the clock runs and the host reads what IRQ announces. What must
 * hold: nothing throws out of write()/read(), the model reports no internal
 * error, every packet the controller sends is a well-formed NCI packet, the
 * controller never queues without bound (no hang), and it still completes a
 * clean bring-up afterwards. Same seed, same NCI log.
 */
import { describe, expect, it } from 'vitest';
import { I2CBus } from '../board/buses/i2c-bus';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { decodePacket, encodePacket, HEADER_BYTES } from '../../protocols/nci/packet';
import * as core from '../../protocols/nci/core';
import * as rf from '../../protocols/nci/rf';
import * as nfcee from '../../protocols/nci/nfcee';
import { ConfigParam, RfTechMode, messageName, statusName } from '../../protocols/nci/identifiers';
import { EMBEDDED_SE_NFCEE_ID, NciController, PN7150_I2C_ADDRESS } from './nci-controller';
import { PPSE_AID, TestNciHost, bringUpToListen, kinds } from './testing/nci-test-host';
import type { ContactlessTarget } from './contactless';

const target: ContactlessTarget = {
  fieldOn: () => undefined,
  fieldOff: () => undefined,
  transceive: () => ({ response: Uint8Array.of(0x90, 0x00), processingUs: 500 }),
  onEvent: () => () => undefined,
};

const on = rf.RoutePowerState.SWITCHED_ON;
/** The commands of a real bring-up, the seeds of the mutations. */
const SEEDS: Uint8Array[] = [
  ...core.CORE_RESET_CMD.encode({ resetType: 1 }),
  ...core.CORE_INIT_CMD.encode({ featureEnable: 0 }),
  ...core.CORE_SET_CONFIG_CMD.encode({ parameters: [{ id: ConfigParam.RF_FIELD_INFO, value: Uint8Array.of(1) }, { id: ConfigParam.LA_SEL_INFO, value: Uint8Array.of(0x20) }] }),
  ...core.CORE_GET_CONFIG_CMD.encode({ ids: [ConfigParam.LA_SEL_INFO, ConfigParam.TOTAL_DURATION] }),
  ...core.NXP_CORE_SET_POWER_MODE_CMD.encode({ mode: 0 }),
  ...nfcee.NFCEE_DISCOVER_CMD.encode({}),
  ...nfcee.NFCEE_MODE_SET_CMD.encode({ nfceeId: EMBEDDED_SE_NFCEE_ID, mode: 1 }),
  ...rf.RF_SET_LISTEN_MODE_ROUTING_CMD.encode({ more: false, entries: [{ type: 'aid', qualifiers: 0, route: EMBEDDED_SE_NFCEE_ID, powerState: on, aid: PPSE_AID }, { type: 'protocol', qualifiers: 0, route: EMBEDDED_SE_NFCEE_ID, powerState: on, protocol: 4 }] }),
  ...rf.RF_GET_LISTEN_MODE_ROUTING_CMD.encode({}),
  ...rf.RF_DISCOVER_CMD.encode({ configurations: [{ techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, frequency: 1 }] }),
  ...rf.RF_DEACTIVATE_CMD.encode({ type: 0 }),
  ...rf.RF_DISCOVER_MAP_CMD.encode({ mappings: [{ rfProtocol: 4, mode: 2, rfInterface: 2 }] }),
];

function generate(random: SeededRandom): Uint8Array {
  const kind = random.int(0, 9);
  if (kind === 0) return Uint8Array.from({ length: random.int(0, 260) }, () => random.int(0, 255));
  if (kind <= 2) {
    const payload = Uint8Array.from({ length: random.int(0, 40) }, () => random.int(0, 255));
    if (random.int(0, 4) === 0) return encodePacket({ kind: 'data', pbf: random.int(0, 1) === 1, connId: random.int(0, 15), credits: random.int(0, 3), payload });
    return encodePacket({ kind: 'control', mt: random.int(1, 3) as 1 | 2 | 3, pbf: random.int(0, 3) === 0, gid: random.int(0, 15), oid: random.int(0, 63), payload });
  }
  const seed = SEEDS[random.int(0, SEEDS.length - 1)]!;
  if (kind === 3) return seed.slice();
  const bytes = seed.slice();
  switch (random.int(0, 4)) {
    case 0: for (let n = random.int(1, 3); n > 0; n--) { const i = random.int(0, bytes.length - 1); bytes[i] = bytes[i]! ^ (1 << random.int(0, 7)); } return bytes;
    case 1: return bytes.slice(0, random.int(0, bytes.length));
    case 2: return Uint8Array.from([...bytes, ...Array.from({ length: random.int(1, 8) }, () => random.int(0, 255))]);
    case 3: bytes[2] = random.int(0, 255); return bytes;
    default: bytes[0] = bytes[0]! | 0x10; return bytes; // PBF set: a segment whose rest never comes
  }
}

function run(seed: number, cases: number) {
  const clock = new VirtualClock();
  const bus = new I2CBus();
  const nfcc = new NciController({ clock, random: new SeededRandom(seed) });
  bus.attach(PN7150_I2C_ADDRESS, nfcc);
  nfcc.attachNfcee(target);
  nfcc.setVen(true);
  const random = new SeededRandom(`nci-fuzz/${seed}`);
  const bad: string[] = [];
  let maxQueued = 0;
  const reached = new Set<string>();
  for (let i = 0; i < cases; i++) {
    reached.add(nfcc.rf);
    const action = random.int(0, 199);
    if (action === 0) nfcc.setVen(false);
    if (action <= 1) nfcc.setVen(true);
    if (action === 2) nfcc.antenna.fieldOn();
    if (action === 3) nfcc.antenna.fieldOff();
    if (action === 4) nfcc.antenna.sense();
    if (action === 5) nfcc.antenna.rats(0x80);
    if (action === 6) nfcc.antenna.exchange(Uint8Array.from([0x00, 0xa4, 0x04, 0x00, PPSE_AID.length, ...PPSE_AID]));
    if (action === 7) nfcc.antenna.deselect();
    bus.write(PN7150_I2C_ADDRESS, generate(random));
    clock.advanceBy(random.int(0, 2));
    maxQueued = Math.max(maxQueued, nfcc.pendingPackets());
    for (let reads = 0; nfcc.irqActive() && reads < 300; reads++) {
      const header = bus.read(PN7150_I2C_ADDRESS, HEADER_BYTES) as Uint8Array;
      const rest = bus.read(PN7150_I2C_ADDRESS, header[2]!) as Uint8Array;
      const packet = Uint8Array.from([...header, ...rest]);
      const decoded = decodePacket(packet);
      if (!decoded.ok) bad.push([...packet].join(' '));
      else if (decoded.value.kind === 'control') reached.add(`${decoded.value.mt === 2 ? 'RSP' : 'NTF'} ${messageName(decoded.value.gid, decoded.value.oid)} ${statusName(packet[3] ?? 0)}`);
    }
  }
  return { nfcc, bus, clock, bad, maxQueued, reached };
}

describe('NCI fuzz: 20,000 seeded random and mutated packets at the controller', () => {
  it('never throws, never reports an internal error, always answers in well-formed packets, and still comes up afterwards', () => {
    const { nfcc, bus, clock, bad, maxQueued, reached } = run(2026, 20_000);
    // The fuzz reaches the states and answers it is meant to exercise, not only the first refusal.
    for (const seen of ['RFST_DISCOVERY', 'RFST_LISTEN_ACTIVE', 'RSP RF_DISCOVER STATUS_OK', 'RSP NFCEE_MODE_SET STATUS_OK', 'RSP RF_SET_LISTEN_MODE_ROUTING STATUS_OK',
      'RSP CORE_SET_CONFIG STATUS_SYNTAX_ERROR', 'RSP RF_DISCOVER STATUS_SEMANTIC_ERROR', 'NTF CORE_GENERIC_ERROR STATUS_SYNTAX_ERROR', 'NTF CORE_INTERFACE_ERROR STATUS_SEMANTIC_ERROR']) {
      expect(reached, seen).toContain(seen);
    }
    expect(nfcc.internalErrors).toEqual([]);
    expect(bad).toEqual([]);
    expect(maxQueued).toBeLessThan(50);
    expect(clock.pendingCount()).toBeLessThan(50);
    nfcc.antenna.fieldOff();
    nfcc.setVen(false);
    nfcc.setVen(true);
    const host = new TestNciHost(bus, clock, () => nfcc.irqActive());
    expect(kinds(bringUpToListen(host, EMBEDDED_SE_NFCEE_ID)).at(-1)).toBe('RSP RF_DISCOVER');
    expect(nfcc.antenna.listening()).toBe(true);
  });

  it('is reproducible: the same seed gives the same NCI log', () => {
    expect(run(7, 2000).nfcc.log.text()).toBe(run(7, 2000).nfcc.log.text());
  });
});
