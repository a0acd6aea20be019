import { beforeEach, describe, expect, it } from 'vitest';
import { I2CBus } from '../board/buses/i2c-bus';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { STRAP_PINS } from '../strap/wiring';
import { ConfigParam, Gid, NxpOid, RfTechMode, Status } from '../../protocols/nci/identifiers';
import { encodeControl, encodePacket, segmentMessage } from '../../protocols/nci/packet';
import * as core from '../../protocols/nci/core';
import * as rf from '../../protocols/nci/rf';
import * as nfcee from '../../protocols/nci/nfcee';
import { EMBEDDED_SE_NFCEE_ID, NciController, PN7150_I2C_ADDRESS } from './nci-controller';
import type { ContactlessTarget } from './contactless';
import { RecordingPins, TestNciHost, bringUpToListen, kinds, pick, statusOf } from './testing/nci-test-host';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

/** A contactless target that answers every APDU 90 00 (the controller tests do not look inside). */
const quietTarget: ContactlessTarget = {
  fieldOn: () => undefined,
  fieldOff: () => undefined,
  transceive: () => ({ response: h('90 00'), processingUs: 100 }),
  onEvent: () => () => undefined,
};

function rig() {
  const clock = new VirtualClock();
  const pins = new RecordingPins();
  const bus = new I2CBus();
  const nfcc = new NciController({ clock, random: new SeededRandom('nfcc-test'), pins, irqPin: STRAP_PINS.NFC_IRQ });
  bus.attach(PN7150_I2C_ADDRESS, nfcc);
  nfcc.attachNfcee(quietTarget);
  nfcc.setVen(true);
  const host = new TestNciHost(bus, clock, () => pins.level(STRAP_PINS.NFC_IRQ));
  return { clock, pins, bus, nfcc, host };
}

describe('NCI controller: bring-up by a host script (NCI 2.0 4.1, 4.2, NFCEE discovery and mode set, 6.3, 7.1)', () => {
  it('goes from VEN high to listening as an NFC-A card routed to its SE', () => {
    const { nfcc, host } = rig();
    const messages = bringUpToListen(host, EMBEDDED_SE_NFCEE_ID);
    expect(kinds(messages)).toEqual([
      'RSP CORE_RESET', 'NTF CORE_RESET',
      'RSP CORE_INIT',
      'RSP CORE_SET_CONFIG',
      'RSP NFCEE_DISCOVER', 'NTF NFCEE_DISCOVER',
      'RSP NFCEE_MODE_SET', 'NTF NFCEE_MODE_SET', 'NTF RF_NFCEE_DISCOVERY_REQ',
      'RSP RF_SET_LISTEN_MODE_ROUTING',
      'RSP RF_DISCOVER',
    ]);
    const [resetNtf] = pick(messages, core.CORE_RESET_NTF);
    expect(resetNtf).toMatchObject({ trigger: core.ResetTrigger.CORE_RESET_CMD, configurationStatus: 1, nciVersion: 0x20 });
    const [init] = pick(messages, core.CORE_INIT_RSP);
    expect(init?.status).toBe(Status.OK);
    expect(init?.maxControlPacketPayloadSize).toBe(255);
    expect(pick(messages, nfcee.NFCEE_DISCOVER_RSP)).toEqual([{ status: Status.OK, numberOfNfcees: 1 }]);
    expect(pick(messages, nfcee.NFCEE_DISCOVER_NTF)[0]).toMatchObject({ nfceeId: EMBEDDED_SE_NFCEE_ID, status: nfcee.NfceeState.DISABLED, protocols: [0] });
    expect(pick(messages, rf.RF_NFCEE_DISCOVERY_REQ_NTF)).toEqual([{ requests: [{ remove: false, nfceeId: EMBEDDED_SE_NFCEE_ID, techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, rfProtocol: 0x04 }] }]);
    for (const m of messages.filter((x) => x.kind === 'control' && x.mt === 2)) expect(statusOf(m)).toBe(Status.OK);
    expect(nfcc.rf).toBe('RFST_DISCOVERY');
    expect(nfcc.antenna.listening()).toBe(true);
    expect(nfcc.powerState()).toBe('standby');
  });

  it('announces power-on with CORE_RESET_NTF (trigger 01) after VEN rises, unless the DH resets it first', () => {
    const { host, nfcc } = rig();
    const boot = host.receive(5);
    expect(kinds(boot)).toEqual(['NTF CORE_RESET']);
    expect(pick(boot, core.CORE_RESET_NTF)[0]).toMatchObject({ trigger: core.ResetTrigger.POWERED_ON, nciVersion: 0x20 });
    nfcc.setVen(false);
    nfcc.setVen(true);
    expect(kinds(host.command(core.CORE_RESET_CMD, { resetType: 1 }, 5))).toEqual(['RSP CORE_RESET', 'NTF CORE_RESET']);
  });

  it('raises IRQ while a packet waits; the DH reads the header, then the payload (UM10936 3.4, 3.5 split mode)', () => {
    const { pins, bus, host, clock } = rig();
    host.write(core.CORE_RESET_CMD.encode({ resetType: 0 })[0]!);
    expect(pins.level(STRAP_PINS.NFC_IRQ)).toBe(false); // nothing before the response latency
    clock.advanceBy(1);
    expect(pins.level(STRAP_PINS.NFC_IRQ)).toBe(true);
    expect(bus.read(PN7150_I2C_ADDRESS, 3)).toEqual(h('40 00 01'));
    expect(pins.level(STRAP_PINS.NFC_IRQ)).toBe(true); // half a packet read: IRQ stays up
    expect(bus.read(PN7150_I2C_ADDRESS, 1)).toEqual(h('00'));
    // The reset notification is next: IRQ fell at the end of the read and rose again.
    expect(pins.history.slice(-2).map((c) => c.level)).toEqual([false, true]);
    const whole = bus.read(PN7150_I2C_ADDRESS, 258);
    expect(whole).toBeInstanceOf(Uint8Array);
    expect([...(whole as Uint8Array).subarray(0, 4)]).toEqual([0x60, 0x00, 0x09, 0x02]);
    expect(pins.level(STRAP_PINS.NFC_IRQ)).toBe(false);
  });

  it('keeps configuration: CORE_SET_CONFIG then CORE_GET_CONFIG reads back LA_SEL_INFO and refuses unknown IDs (4.3)', () => {
    const { host } = rig();
    host.command(core.CORE_RESET_CMD, { resetType: 1 });
    host.command(core.CORE_INIT_CMD, { featureEnable: 0 });
    const set = host.command(core.CORE_SET_CONFIG_CMD, { parameters: [{ id: ConfigParam.LA_SEL_INFO, value: h('20') }, { id: 0x7e, value: h('01') }] });
    expect(pick(set, core.CORE_SET_CONFIG_RSP)).toEqual([{ status: Status.INVALID_PARAM, invalidIds: [0x7e] }]);
    const got = host.command(core.CORE_GET_CONFIG_CMD, { ids: [ConfigParam.LA_SEL_INFO, ConfigParam.RF_NFCEE_ACTION] });
    expect(pick(got, core.CORE_GET_CONFIG_RSP)).toEqual([{ status: Status.OK, parameters: [{ id: ConfigParam.LA_SEL_INFO, value: h('20') }, { id: ConfigParam.RF_NFCEE_ACTION, value: h('01') }] }]);
    const unknown = host.command(core.CORE_GET_CONFIG_CMD, { ids: [0x7e] });
    expect(pick(unknown, core.CORE_GET_CONFIG_RSP)).toEqual([{ status: Status.INVALID_PARAM, parameters: [{ id: 0x7e, value: new Uint8Array(0) }] }]);
  });

  it('reports its routing table back (RF_GET_LISTEN_MODE_ROUTING) and stops discovery on RF_DEACTIVATE (idle)', () => {
    const { host, nfcc } = rig();
    bringUpToListen(host, EMBEDDED_SE_NFCEE_ID);
    const off = host.command(rf.RF_DEACTIVATE_CMD, { type: rf.DeactivationType.IDLE });
    expect(kinds(off)).toEqual(['RSP RF_DEACTIVATE', 'NTF RF_DEACTIVATE']);
    expect(pick(off, rf.RF_DEACTIVATE_NTF)).toEqual([{ type: rf.DeactivationType.IDLE, reason: rf.DeactivationReason.DH_REQUEST }]);
    expect(nfcc.rf).toBe('RFST_IDLE');
    const table = host.command(rf.RF_GET_LISTEN_MODE_ROUTING_CMD, {});
    const [ntf] = pick(table, rf.RF_GET_LISTEN_MODE_ROUTING_NTF);
    expect(ntf?.entries.map((e) => (e.type === 'aid' ? e.aid.length : -1))).toEqual([14, 7, 0]);
  });
});

describe('NCI controller: commands in the wrong state get STATUS_SEMANTIC_ERROR (NCI 2.0 5.2)', () => {
  let r: ReturnType<typeof rig>;
  beforeEach(() => { r = rig(); });
  const status = (messages: ReturnType<TestNciHost['receive']>) => statusOf(messages.find((m) => m.kind === 'control' && m.mt === 2));

  it('refuses everything but CORE_RESET before the reset, and CORE_INIT twice', () => {
    expect(status(r.host.command(core.CORE_INIT_CMD, { featureEnable: 0 }))).toBe(Status.SEMANTIC_ERROR);
    expect(status(r.host.command(rf.RF_DISCOVER_CMD, { configurations: [{ techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, frequency: 1 }] }))).toBe(Status.SEMANTIC_ERROR);
    expect(status(r.host.command(nfcee.NFCEE_DISCOVER_CMD, {}))).toBe(Status.SEMANTIC_ERROR);
    r.host.command(core.CORE_RESET_CMD, { resetType: 1 });
    expect(status(r.host.command(core.CORE_INIT_CMD, { featureEnable: 0 }))).toBe(Status.OK);
    expect(status(r.host.command(core.CORE_INIT_CMD, { featureEnable: 0 }))).toBe(Status.SEMANTIC_ERROR);
  });

  it('refuses routing changes and a second RF_DISCOVER during discovery, RF_DEACTIVATE in idle, mode set before NFCEE discovery', () => {
    r.host.command(core.CORE_RESET_CMD, { resetType: 1 });
    r.host.command(core.CORE_INIT_CMD, { featureEnable: 0 });
    expect(status(r.host.command(nfcee.NFCEE_MODE_SET_CMD, { nfceeId: EMBEDDED_SE_NFCEE_ID, mode: 1 }))).toBe(Status.SEMANTIC_ERROR);
    expect(status(r.host.command(rf.RF_DEACTIVATE_CMD, { type: rf.DeactivationType.IDLE }))).toBe(Status.SEMANTIC_ERROR);
    const listen = { configurations: [{ techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, frequency: 1 }] };
    expect(status(r.host.command(rf.RF_DISCOVER_CMD, listen))).toBe(Status.OK);
    expect(status(r.host.command(rf.RF_DISCOVER_CMD, listen))).toBe(Status.DISCOVERY_ALREADY_STARTED);
    expect(status(r.host.command(rf.RF_SET_LISTEN_MODE_ROUTING_CMD, { more: false, entries: [] }))).toBe(Status.SEMANTIC_ERROR);
    expect(status(r.host.command(rf.RF_DEACTIVATE_CMD, { type: rf.DeactivationType.SLEEP }))).toBe(Status.SEMANTIC_ERROR);
    expect(r.nfcc.rf).toBe('RFST_DISCOVERY');
  });
});

describe('NCI controller: malformed packets get NCI\'s error answers, never a throw', () => {
  function initialized() {
    const r = rig();
    r.host.command(core.CORE_RESET_CMD, { resetType: 1 });
    r.host.command(core.CORE_INIT_CMD, { featureEnable: 0 });
    return r;
  }
  const only = (r: ReturnType<typeof rig>, bytes: Uint8Array) => {
    expect(r.host.write(bytes)).toBe(0);
    return r.host.receive();
  };

  it('answers a header whose length disagrees with the bytes with CORE_GENERIC_ERROR_NTF(STATUS_SYNTAX_ERROR)', () => {
    const r = initialized();
    for (const bad of [h('20'), h('20 02 05 01 80'), h('20 00 01 00 00')]) {
      const got = only(r, bad);
      expect(kinds(got)).toEqual(['NTF CORE_GENERIC_ERROR']);
      expect(statusOf(got[0])).toBe(Status.SYNTAX_ERROR);
    }
  });

  it('answers an unknown opcode and a payload that does not parse with the command\'s response and STATUS_SYNTAX_ERROR', () => {
    const r = initialized();
    const unknown = only(r, encodeControl(1, Gid.RF, 0x3f));
    expect(kinds(unknown)).toEqual(['RSP GID_1_OID_0x3f']);
    expect(statusOf(unknown[0])).toBe(Status.SYNTAX_ERROR);
    const trailing = only(r, encodeControl(1, Gid.CORE, 0x03, h('01 32 99')));
    expect(kinds(trailing)).toEqual(['RSP CORE_GET_CONFIG']);
    expect(statusOf(trailing[0])).toBe(Status.SYNTAX_ERROR);
    const badPowerMode = only(r, encodeControl(1, Gid.PROPRIETARY, NxpOid.CORE_SET_POWER_MODE, h('02')));
    expect(statusOf(badPowerMode[0])).toBe(Status.INVALID_PARAM); // UM10936 Table 81
  });

  it('refuses a response or notification from the DH, RFU message types and interleaved segments with CORE_GENERIC_ERROR_NTF', () => {
    const r = initialized();
    for (const bad of [encodeControl(2, Gid.CORE, 0x00, h('00')), encodeControl(3, Gid.CORE, 0x07, h('00')), h('E0 00 00')]) {
      expect(kinds(only(r, bad))).toEqual(['NTF CORE_GENERIC_ERROR']);
    }
    const [first] = segmentMessage({ kind: 'control', mt: 1, gid: Gid.CORE, oid: 0x02, payload: h('01 80 01 01') }, 2);
    expect(only(r, first!)).toEqual([]);
    expect(kinds(only(r, encodeControl(1, Gid.CORE, 0x03, h('00'))))).toEqual(['NTF CORE_GENERIC_ERROR']);
    // After the refusal the controller takes a fresh command.
    expect(statusOf(only(r, encodeControl(1, Gid.CORE, 0x03, h('00')))[0])).toBe(Status.OK);
  });

  it('reassembles a command segmented with PBF (NCI 2.0 3.5)', () => {
    const r = initialized();
    const packets = core.CORE_SET_CONFIG_CMD.encode({ parameters: [{ id: ConfigParam.RF_FIELD_INFO, value: h('01') }, { id: ConfigParam.LA_SEL_INFO, value: h('20') }] }, 3);
    expect(packets.length).toBe(3);
    for (const p of packets.slice(0, -1)) expect(only(r, p)).toEqual([]);
    expect(pick(only(r, packets.at(-1)!), core.CORE_SET_CONFIG_RSP)).toEqual([{ status: Status.OK, invalidIds: [] }]);
  });

  it('answers data on a connection that is not open with CORE_INTERFACE_ERROR_NTF', () => {
    const r = initialized();
    const got = only(r, encodePacket({ kind: 'data', pbf: false, connId: 0, credits: 0, payload: h('00 A4 04 00') }));
    expect(pick(got, core.CORE_INTERFACE_ERROR_NTF)).toEqual([{ status: Status.SEMANTIC_ERROR, connId: 0 }]);
    expect(r.nfcc.internalErrors).toEqual([]);
  });
});

describe('NCI controller: power (VEN and NXP CORE_SET_POWER_MODE, UM10936 9.6.1)', () => {
  it('follows a VEN pin when wired to one', () => {
    const clock = new VirtualClock();
    const listeners: Array<(c: { pin: number; level: boolean; timeMs: number }) => void> = [];
    const levels = new Map<number, boolean>();
    const pins = {
      level: (pin: number) => levels.get(pin) ?? false,
      drive: (pin: number, level: boolean | undefined) => { levels.set(pin, level ?? false); },
      onChange: (l: (c: { pin: number; level: boolean; timeMs: number }) => void) => { listeners.push(l); return () => undefined; },
    };
    const nfcc = new NciController({ clock, random: new SeededRandom(1), pins, venPin: 9 });
    expect(nfcc.powerState()).toBe('hpd');
    for (const l of listeners) l({ pin: 9, level: true, timeMs: 0 });
    expect(nfcc.powerState()).toBe('standby');
    for (const l of listeners) l({ pin: 8, level: false, timeMs: 1 });
    expect(nfcc.ven).toBe(true);
  });

  it('is in hard power-down with VEN low and ignores the bus; standby by default; awake with standby disabled', () => {
    const { nfcc, host } = rig();
    const seen: string[] = [];
    nfcc.onPowerState((s) => seen.push(s));
    bringUpToListen(host, EMBEDDED_SE_NFCEE_ID);
    expect(nfcc.powerState()).toBe('standby');
    const rsp = host.command(core.NXP_CORE_SET_POWER_MODE_CMD, { mode: core.NxpPowerMode.STANDBY_DISABLED });
    expect(pick(rsp, core.NXP_CORE_SET_POWER_MODE_RSP)).toEqual([{ status: Status.OK }]);
    expect(nfcc.powerState()).toBe('active');
    nfcc.setVen(false);
    expect(nfcc.powerState()).toBe('hpd');
    expect(host.command(core.CORE_RESET_CMD, { resetType: 0 })).toEqual([]);
    expect(seen).toEqual(['active', 'hpd']);
    // Back on, it has forgotten everything: the DH starts again with CORE_RESET.
    nfcc.setVen(true);
    expect(nfcc.rf).toBe('RFST_IDLE');
    expect(statusOf(host.command(rf.RF_DISCOVER_CMD, { configurations: [{ techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, frequency: 1 }] })[0])).toBe(Status.SEMANTIC_ERROR);
  });
});
