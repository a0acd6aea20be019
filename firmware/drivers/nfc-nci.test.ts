// The NFC controller driver (NCI 2.0 over I2C, nfc-nci.ts) against a scripted
// controller built on protocols/nci's codecs: every command the driver sends is
// the codec's bytes, every notification the codec encodes decodes here, and
// segmentation, correlation and timeouts behave as NCI 2.0 3.5 and 4 ask.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CORE_GENERIC_ERROR_NTF, CORE_INIT_CMD, CORE_INIT_RSP, CORE_RESET_CMD, CORE_RESET_NTF, CORE_RESET_RSP, CORE_SET_CONFIG_CMD,
  CORE_SET_CONFIG_RSP, NXP_CORE_SET_POWER_MODE_CMD, NXP_CORE_SET_POWER_MODE_RSP, type CoreInitRsp,
} from '../../protocols/nci/core';
import { NFCEE_DISCOVER_CMD, NFCEE_DISCOVER_RSP, NFCEE_MODE_SET_CMD, NFCEE_MODE_SET_NTF, NFCEE_MODE_SET_RSP } from '../../protocols/nci/nfcee';
import {
  RF_DEACTIVATE_CMD, RF_DEACTIVATE_NTF, RF_DEACTIVATE_RSP, RF_DISCOVER_CMD, RF_DISCOVER_RSP, RF_FIELD_INFO_NTF, RF_INTF_ACTIVATED_NTF,
  RF_NFCEE_ACTION_NTF, RF_SET_LISTEN_MODE_ROUTING_CMD, RF_SET_LISTEN_MODE_ROUTING_RSP, RoutePowerState, type RfIntfActivatedNtf, type RoutingEntry,
} from '../../protocols/nci/rf';
import { encodeControl, encodePacket, type Message } from '../../protocols/nci/packet';
import type { MessageCodec } from '../../protocols/nci/payload';
import {
  closeNci, coreInit, coreReset, coreSetConfig, nfceeDiscover, nfceeModeSet, nxpSetPowerMode, openNci, rfDeactivate, rfDiscover, rfSetRouting, ROUTE_AID, ROUTE_TECHNOLOGY,
  routeEntry, type NciDone, type NciEvent, type NciOptions,
} from './nfc-nci';
import { ScriptedNfcc } from './testing/scripted-nfcc';

let nfcc: ScriptedNfcc;
beforeEach(() => {
  vi.useFakeTimers();
  nfcc = new ScriptedNfcc();
});
afterEach(() => {
  nfcc.uninstall();
  vi.useRealTimers();
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const PAYMENT_AID = new Uint8Array([0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10]);
const PPSE = new Uint8Array([...'2PAY.SYS.DDF01'].map((c) => c.charCodeAt(0)));
const SE_ID = 0x10;

function driver(options: Partial<NciOptions> = {}) {
  const events: NciEvent[] = [];
  openNci({ i2c: nfcc, irq: nfcc.irq, onEvent: (e) => events.push(e), ...options });
  const run = (start: (done: NciDone) => void) => {
    let result: { error: string | undefined; payload?: Uint8Array } | undefined;
    start((error, payload) => (result = { error, payload }));
    vi.advanceTimersByTime(5_000);
    if (!result) throw new Error('the driver never called back');
    return result;
  };
  return { events, run };
}

/** Answers each command with the given codec response. */
function answerWith(table: Array<[MessageCodec<never>, Uint8Array[]]>) {
  nfcc.respond = (command: Message) => table.find(([codec]) => codec.matches(command))?.[1] ?? [];
}

const INIT_RSP: CoreInitRsp = {
  status: 0, nfccFeatures: 0x00010203, maxLogicalConnections: 1, maxRoutingTableSize: 0x0100, maxControlPacketPayloadSize: 32,
  maxDataPacketPayloadSizeHci: 255, numberOfCreditsHci: 1, maxNfcVRfFrameSize: 0, supportedRfInterfaces: [{ rfInterface: 2, extensions: [] }, { rfInterface: 0, extensions: [1] }],
};

const OK = { status: 0 };
const ROUTES: RoutingEntry[] = [
  { type: 'aid', qualifiers: 0, route: SE_ID, powerState: RoutePowerState.SWITCHED_ON | RoutePowerState.SWITCHED_OFF, aid: PPSE },
  { type: 'aid', qualifiers: 0, route: SE_ID, powerState: RoutePowerState.SWITCHED_ON, aid: PAYMENT_AID },
  { type: 'technology', qualifiers: 0, route: SE_ID, powerState: RoutePowerState.SWITCHED_ON, technology: 0 },
];
const routeBytes = (r: RoutingEntry) =>
  r.type === 'aid' ? routeEntry(ROUTE_AID | r.qualifiers, r.route, r.powerState, r.aid)
    : r.type === 'technology' ? routeEntry(ROUTE_TECHNOLOGY | r.qualifiers, r.route, r.powerState, new Uint8Array([r.technology])) : new Uint8Array(0);

describe('every command the driver sends is the codec bytes', () => {
  const CASES: Array<{ name: string; send: (done: NciDone) => void; expected: Uint8Array[]; response: Uint8Array[] }> = [
    { name: 'CORE_RESET_CMD keeping the configuration', send: (d) => coreReset(0, d), expected: CORE_RESET_CMD.encode({ resetType: 0 }), response: CORE_RESET_RSP.encode(OK) },
    { name: 'CORE_RESET_CMD resetting it', send: (d) => coreReset(1, d), expected: CORE_RESET_CMD.encode({ resetType: 1 }), response: CORE_RESET_RSP.encode(OK) },
    { name: 'CORE_INIT_CMD (NCI 2.0)', send: (d) => coreInit(d), expected: CORE_INIT_CMD.encode({ featureEnable: 0 }), response: CORE_INIT_RSP.encode(INIT_RSP) },
    { name: 'CORE_SET_CONFIG_CMD (RF_FIELD_INFO on)', send: (d) => coreSetConfig(0x80, new Uint8Array([1]), d), expected: CORE_SET_CONFIG_CMD.encode({ parameters: [{ id: 0x80, value: new Uint8Array([1]) }] }), response: CORE_SET_CONFIG_RSP.encode({ status: 0, invalidIds: [] }) },
    { name: 'NFCEE_DISCOVER_CMD', send: (d) => nfceeDiscover(d), expected: NFCEE_DISCOVER_CMD.encode({}), response: NFCEE_DISCOVER_RSP.encode({ status: 0, numberOfNfcees: 1 }) },
    { name: 'NFCEE_MODE_SET_CMD enable', send: (d) => nfceeModeSet(SE_ID, true, d), expected: NFCEE_MODE_SET_CMD.encode({ nfceeId: SE_ID, mode: 1 }), response: NFCEE_MODE_SET_RSP.encode(OK) },
    { name: 'NFCEE_MODE_SET_CMD disable', send: (d) => nfceeModeSet(SE_ID, false, d), expected: NFCEE_MODE_SET_CMD.encode({ nfceeId: SE_ID, mode: 0 }), response: NFCEE_MODE_SET_RSP.encode(OK) },
    { name: 'RF_SET_LISTEN_MODE_ROUTING_CMD (AID routes to the SE, a technology route)', send: (d) => rfSetRouting(ROUTES.map(routeBytes), d), expected: RF_SET_LISTEN_MODE_ROUTING_CMD.encode({ more: false, entries: ROUTES }), response: RF_SET_LISTEN_MODE_ROUTING_RSP.encode(OK) },
    { name: 'RF_SET_LISTEN_MODE_ROUTING_CMD with more to follow', send: (d) => rfSetRouting([routeBytes(ROUTES[1]!)], d, true), expected: RF_SET_LISTEN_MODE_ROUTING_CMD.encode({ more: true, entries: [ROUTES[1]!] }), response: RF_SET_LISTEN_MODE_ROUTING_RSP.encode(OK) },
    { name: 'RF_DISCOVER_CMD listen NFC-A', send: (d) => rfDiscover(d), expected: RF_DISCOVER_CMD.encode({ configurations: [{ techMode: 0x80, frequency: 1 }] }), response: RF_DISCOVER_RSP.encode(OK) },
    { name: 'RF_DISCOVER_CMD listen A and B', send: (d) => rfDiscover(d, [0x80, 0x81]), expected: RF_DISCOVER_CMD.encode({ configurations: [{ techMode: 0x80, frequency: 1 }, { techMode: 0x81, frequency: 1 }] }), response: RF_DISCOVER_RSP.encode(OK) },
    { name: 'RF_DEACTIVATE_CMD idle', send: (d) => rfDeactivate(0, d), expected: RF_DEACTIVATE_CMD.encode({ type: 0 }), response: RF_DEACTIVATE_RSP.encode(OK) },
    { name: 'NXP CORE_SET_POWER_MODE_CMD standby on', send: (d) => nxpSetPowerMode(true, d), expected: NXP_CORE_SET_POWER_MODE_CMD.encode({ mode: 1 }), response: NXP_CORE_SET_POWER_MODE_RSP.encode(OK) },
    { name: 'NXP CORE_SET_POWER_MODE_CMD standby off', send: (d) => nxpSetPowerMode(false, d), expected: NXP_CORE_SET_POWER_MODE_CMD.encode({ mode: 0 }), response: NXP_CORE_SET_POWER_MODE_RSP.encode(OK) },
  ];
  for (const c of CASES) {
    it(`${c.name}, answered with STATUS_OK`, () => {
      nfcc.respond = () => c.response;
      const { run } = driver();
      const result = run((done) => c.send(done));
      expect(nfcc.packets.map(hex)).toEqual(c.expected.map(hex));
      expect(result.error).toBeUndefined();
      expect(hex(result.payload!)).toBe(hex(c.response[0]!.subarray(3)));
    });
  }

  it('answers a response with another status with its code, and the payload', () => {
    nfcc.respond = () => NFCEE_MODE_SET_RSP.encode({ status: 0x06 });
    const { run } = driver();
    expect(run((done) => nfceeModeSet(SE_ID, true, done))).toEqual({ error: 'status 6', payload: new Uint8Array([6]) });
  });
});

describe('segmentation (NCI 2.0 3.5)', () => {
  it("takes the controller's Max Control Packet Payload Size from CORE_INIT_RSP and cuts longer commands as the codec does", () => {
    answerWith([[CORE_INIT_CMD as MessageCodec<never>, CORE_INIT_RSP.encode(INIT_RSP)], [RF_SET_LISTEN_MODE_ROUTING_CMD as MessageCodec<never>, RF_SET_LISTEN_MODE_ROUTING_RSP.encode(OK)]]);
    const { run } = driver();
    expect(run((done) => coreInit(done)).error).toBeUndefined();
    const entries = [...ROUTES, ...ROUTES];
    expect(run((done) => rfSetRouting(entries.map(routeBytes), done)).error).toBeUndefined();
    const expected = RF_SET_LISTEN_MODE_ROUTING_CMD.encode({ more: false, entries }, 32);
    expect(expected.length).toBeGreaterThan(2);
    expect(nfcc.packets.slice(1).map(hex)).toEqual(expected.map(hex));
    expect(RF_SET_LISTEN_MODE_ROUTING_CMD.decodePayload(nfcc.commands[1]!.payload)).toEqual({ ok: true, value: { more: false, entries } });
  });

  it('keeps every packet within the 255 bytes an nRF52832 TWI transfer can move, whatever CORE_INIT_RSP allows', () => {
    answerWith([[CORE_INIT_CMD as MessageCodec<never>, CORE_INIT_RSP.encode({ ...INIT_RSP, maxControlPacketPayloadSize: 255 })], [RF_SET_LISTEN_MODE_ROUTING_CMD as MessageCodec<never>, RF_SET_LISTEN_MODE_ROUTING_RSP.encode(OK)]]);
    const { run } = driver();
    expect(run((done) => coreInit(done)).error).toBeUndefined();
    const entries = Array.from({ length: 12 }, () => ROUTES).flat();
    expect(run((done) => rfSetRouting(entries.map(routeBytes), done)).error).toBeUndefined();
    expect(nfcc.packets.slice(1).map(hex)).toEqual(RF_SET_LISTEN_MODE_ROUTING_CMD.encode({ more: false, entries }, 252).map(hex));
    expect(Math.max(...nfcc.packets.map((p) => p.length))).toBe(255);
  });

  it('joins a segmented response and a segmented notification', () => {
    nfcc.respond = () => CORE_INIT_RSP.encode(INIT_RSP, 7);
    const { events, run } = driver();
    const result = run((done) => coreInit(done));
    expect(CORE_INIT_RSP.decodePayload(result.payload!)).toEqual({ ok: true, value: INIT_RSP });
    nfcc.emit(RF_INTF_ACTIVATED_NTF.encode(ACTIVATED, 4));
    vi.advanceTimersByTime(100);
    expect(events).toEqual([{ kind: 'other', gid: 1, oid: 5, payload: RF_INTF_ACTIVATED_NTF.encodePayload(ACTIVATED) }]);
  });

  it('drops an unfinished control message when another one starts, and reads the next whole one', () => {
    const { events } = driver();
    const field = RF_FIELD_INFO_NTF.encode({ fieldOn: true })[0]!;
    nfcc.emit([RF_NFCEE_ACTION_NTF.encode({ nfceeId: SE_ID, trigger: 0, data: PAYMENT_AID }, 4)[0]!, field]);
    vi.advanceTimersByTime(100);
    expect(events).toEqual([{ kind: 'field', fieldOn: true }]);
  });
});

const ACTIVATED: RfIntfActivatedNtf = {
  rfDiscoveryId: 1, rfInterface: 0, rfProtocol: 4, activationTechMode: 0x80, maxDataPacketPayloadSize: 255, initialCredits: 1,
  techParameters: new Uint8Array(0), dataExchangeTechMode: 0x80, dataExchangeTxBitRate: 0, dataExchangeRxBitRate: 0, activationParameters: new Uint8Array([0x80]),
};

describe('notifications', () => {
  const other = (gid: number, oid: number, payload: Uint8Array): NciEvent => ({ kind: 'other', gid, oid, payload });
  const NOTIFICATIONS: Array<[string, Uint8Array, NciEvent]> = [
    ['RF_FIELD_INFO_NTF on', RF_FIELD_INFO_NTF.encode({ fieldOn: true })[0]!, { kind: 'field', fieldOn: true }],
    ['RF_FIELD_INFO_NTF off', RF_FIELD_INFO_NTF.encode({ fieldOn: false })[0]!, { kind: 'field', fieldOn: false }],
    ['RF_NFCEE_ACTION_NTF', RF_NFCEE_ACTION_NTF.encode({ nfceeId: SE_ID, trigger: 0, data: PAYMENT_AID })[0]!, { kind: 'action', nfceeId: SE_ID, trigger: 0, data: PAYMENT_AID }],
    // Card emulation reads nothing else: the rest is passed on undecoded (the firmware's size budget).
    ['CORE_RESET_NTF', CORE_RESET_NTF.encode({ trigger: 2, configurationStatus: 0, nciVersion: 0x20, manufacturerId: 0x04, manufacturerInfo: new Uint8Array([0x12, 0x34]) })[0]!,
      other(0, 0, new Uint8Array([2, 0, 0x20, 0x04, 2, 0x12, 0x34]))],
    ['CORE_GENERIC_ERROR_NTF', CORE_GENERIC_ERROR_NTF.encode({ status: 0xb0 })[0]!, other(0, 7, new Uint8Array([0xb0]))],
    ['RF_INTF_ACTIVATED_NTF (listen A, ISO-DEP)', RF_INTF_ACTIVATED_NTF.encode(ACTIVATED)[0]!, other(1, 5, RF_INTF_ACTIVATED_NTF.encodePayload(ACTIVATED))],
    ['RF_DEACTIVATE_NTF', RF_DEACTIVATE_NTF.encode({ type: 3, reason: 2 })[0]!, other(1, 6, new Uint8Array([3, 2]))],
    ['NFCEE_MODE_SET_NTF', NFCEE_MODE_SET_NTF.encode(OK)[0]!, other(2, 1, new Uint8Array([0]))],
  ];
  it('reads every packet queued behind one IRQ edge: the field and NFCEE action decoded as the codec does, the rest passed on', () => {
    const { events } = driver();
    nfcc.emit(NOTIFICATIONS.map(([, packet]) => packet));
    vi.advanceTimersByTime(100);
    expect(events).toEqual(NOTIFICATIONS.map(([, , event]) => event));
  });

  it('reads and drops data packets (an RF interface activated toward the host), even between the segments of a notification', () => {
    const { events } = driver();
    const action = RF_NFCEE_ACTION_NTF.encode({ nfceeId: SE_ID, trigger: 0, data: PAYMENT_AID }, 4);
    const data = (pbf: boolean) => encodePacket({ kind: 'data', pbf, connId: 0, credits: 1, payload: new Uint8Array([0x00, 0xa4, 0x04, 0x00]) });
    nfcc.emit([data(true), action[0]!, data(false), ...action.slice(1), RF_FIELD_INFO_NTF.encode({ fieldOn: false })[0]!]);
    vi.advanceTimersByTime(100);
    expect(events).toEqual([{ kind: 'action', nfceeId: SE_ID, trigger: 0, data: PAYMENT_AID }, { kind: 'field', fieldOn: false }]);
  });

  it('reports a notification whose length is wrong as malformed, never throwing', () => {
    const { events } = driver();
    nfcc.emit([
      encodeControl(3, 1, 7, new Uint8Array([1, 1])),
      encodeControl(3, 1, 9, new Uint8Array([SE_ID, 0, 5, 1])),
      encodeControl(3, 1, 7, new Uint8Array([])),
      encodeControl(3, 1, 9, new Uint8Array([SE_ID, 0])),
    ]);
    vi.advanceTimersByTime(100);
    expect(events.map((e) => e.kind)).toEqual(['malformed', 'malformed', 'malformed', 'malformed']);
  });
});

describe('one command outstanding', () => {
  it('times out when the controller never answers, and the next command still works; a late response is ignored', () => {
    const { run } = driver({ timeoutMs: 500 });
    const start = Date.now();
    expect(run((done) => nfceeDiscover(done))).toEqual({ error: 'timeout', payload: undefined });
    expect(Date.now() - start).toBeGreaterThanOrEqual(500);
    nfcc.emit(NFCEE_DISCOVER_RSP.encode({ status: 0, numberOfNfcees: 1 }));
    nfcc.respond = () => RF_DISCOVER_RSP.encode(OK);
    expect(run((done) => rfDiscover(done)).error).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('answers a second command while one is outstanding with busy', () => {
    driver();
    nfceeDiscover(() => undefined);
    const second = vi.fn();
    rfDiscover(second);
    expect(second).toHaveBeenCalledWith('busy');
  });

  it('writes again when the controller NACKs its address (waking from standby), and gives up with write', () => {
    nfcc.respond = () => RF_DEACTIVATE_RSP.encode(OK);
    const { run } = driver();
    nfcc.nackWrites = 2;
    expect(run((done) => rfDeactivate(0, done)).error).toBeUndefined();
    nfcc.nackWrites = 10;
    expect(run((done) => rfDeactivate(0, done)).error).toBe('write');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads a packet that was already waiting (IRQ high) when the driver started', () => {
    const reset = CORE_RESET_NTF.encode({ trigger: 1, configurationStatus: 1, nciVersion: 0x20, manufacturerId: 0x04, manufacturerInfo: new Uint8Array(0) });
    nfcc.emit(reset);
    vi.advanceTimersByTime(10);
    const { events } = driver();
    vi.advanceTimersByTime(10);
    expect(events).toMatchObject([{ kind: 'other', gid: 0, oid: 0, payload: new Uint8Array([1, 1, 0x20, 0x04, 0]) }]);
  });

  it('watches the IRQ line for rising edges, and stops listening to it when closed', () => {
    const { events } = driver();
    expect(nfcc.watches).toMatchObject([{ pin: nfcc.irq, options: { edge: 'rising', repeat: true } }]);
    closeNci();
    nfcc.emit(RF_FIELD_INFO_NTF.encode({ fieldOn: true }));
    vi.advanceTimersByTime(100);
    expect(events).toEqual([]);
    expect(nfcc.watches).toEqual([]);
  });
});
