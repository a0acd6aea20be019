import { describe, expect, it } from 'vitest';
import { CORE_GET_CONFIG_CMD, CORE_GET_CONFIG_RSP, CORE_INIT_CMD, CORE_INIT_RSP, CORE_RESET_CMD, CORE_RESET_NTF, CORE_RESET_RSP, CORE_SET_CONFIG_CMD, CORE_SET_CONFIG_RSP, NXP_CORE_SET_POWER_MODE_CMD, NXP_CORE_SET_POWER_MODE_RSP, NxpPowerMode } from './core';
import { ConfigParam, NfceeProtocol, RfInterface, RfProtocol, RfTechMode, RfTechnology, Status } from './identifiers';
import { NFCEE_DISCOVER_CMD, NFCEE_DISCOVER_NTF, NFCEE_DISCOVER_RSP, NFCEE_MODE_SET_CMD, NFCEE_MODE_SET_NTF, NFCEE_STATUS_NTF } from './nfcee';
import { decodePacket } from './packet';
import type { MessageCodec } from './payload';
import { DeactivationType, RF_DEACTIVATE_CMD, RF_DEACTIVATE_NTF, RF_DISCOVER_CMD, RF_FIELD_INFO_NTF, RF_GET_LISTEN_MODE_ROUTING_CMD, RF_GET_LISTEN_MODE_ROUTING_NTF, RF_INTF_ACTIVATED_NTF, RF_NFCEE_ACTION_NTF, RF_NFCEE_DISCOVERY_REQ_NTF, RF_SET_LISTEN_MODE_ROUTING_CMD, RoutePowerState, RouteQualifier, decodeNfcAPollParameters } from './rf';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ').toUpperCase();

/** Encode `value` as one packet, check the bytes, then decode them back through the packet layer. */
function roundTrip<T>(codec: MessageCodec<T>, value: T, wire: string): void {
  const [packet, ...more] = codec.encode(value);
  expect(more).toEqual([]);
  expect(hx(packet!)).toBe(hx(h(wire)));
  const decoded = decodePacket(packet!);
  if (!decoded.ok || decoded.value.kind !== 'control') throw new Error('not a control packet');
  expect(codec.matches({ ...decoded.value, kind: 'control' })).toBe(true);
  expect(codec.decodePayload(decoded.value.payload)).toEqual({ ok: true, value });
}

describe('NCI 2.0 core messages (4.1, 4.2, 4.3.1) and NXP CORE_SET_POWER_MODE (UM10936 9.6.1)', () => {
  it('resets and initialises the NFC controller the NCI 2.0 way', () => {
    roundTrip(CORE_RESET_CMD, { resetType: 1 }, '20 00 01 01');
    roundTrip(CORE_RESET_RSP, { status: Status.OK }, '40 00 01 00');
    roundTrip(CORE_RESET_NTF, { trigger: 0x02, configurationStatus: 0x01, nciVersion: 0x20, manufacturerId: 0x04, manufacturerInfo: h('50 10 00') }, '60 00 08 02 01 20 04 03 50 10 00');
    roundTrip(CORE_INIT_CMD, { featureEnable: 0 }, '20 01 02 00 00');
    roundTrip(CORE_INIT_RSP, {
      status: 0, nfccFeatures: 0x00021e03, maxLogicalConnections: 1, maxRoutingTableSize: 0x0200, maxControlPacketPayloadSize: 0xff,
      maxDataPacketPayloadSizeHci: 0, numberOfCreditsHci: 0, maxNfcVRfFrameSize: 0x0100,
      supportedRfInterfaces: [{ rfInterface: RfInterface.FRAME, extensions: [] }, { rfInterface: RfInterface.ISO_DEP, extensions: [] }, { rfInterface: RfInterface.NFCEE_DIRECT, extensions: [] }],
    }, '40 01 14 00 03 1E 02 00 01 00 02 FF 00 00 00 01 03 01 00 02 00 00 00');
  });

  it('turns RF field notifications on with CORE_SET_CONFIG, and standby on with NXP CORE_SET_POWER_MODE (2F 00 01 01)', () => {
    roundTrip(CORE_SET_CONFIG_CMD, { parameters: [{ id: ConfigParam.RF_FIELD_INFO, value: h('01') }] }, '20 02 04 01 80 01 01');
    roundTrip(CORE_SET_CONFIG_RSP, { status: Status.INVALID_PARAM, invalidIds: [0x80] }, '40 02 03 09 01 80');
    roundTrip(NXP_CORE_SET_POWER_MODE_CMD, { mode: NxpPowerMode.STANDBY_ENABLED }, '2F 00 01 01');
    roundTrip(NXP_CORE_SET_POWER_MODE_RSP, { status: Status.OK }, '4F 00 01 00');
  });

  it('reads configuration back with CORE_GET_CONFIG (4.3.2) and the routing table with RF_GET_LISTEN_MODE_ROUTING (6.3)', () => {
    roundTrip(CORE_GET_CONFIG_CMD, { ids: [ConfigParam.LA_SEL_INFO, ConfigParam.RF_FIELD_INFO] }, '20 03 03 02 32 80');
    roundTrip(CORE_GET_CONFIG_RSP, { status: Status.OK, parameters: [{ id: ConfigParam.LA_SEL_INFO, value: h('20') }] }, '40 03 05 00 01 32 01 20');
    roundTrip(RF_GET_LISTEN_MODE_ROUTING_CMD, {}, '21 02 00');
    roundTrip(RF_GET_LISTEN_MODE_ROUTING_NTF, { more: false, entries: [{ type: 'protocol', qualifiers: 0, route: 0xc0, powerState: RoutePowerState.SWITCHED_ON, protocol: RfProtocol.ISO_DEP }] }, '61 02 07 00 01 01 03 C0 01 04');
  });

  it('refuses an NCI 1.0 CORE_INIT_RSP (a PN7150 on the NXP community forum) as truncated, naming the field', () => {
    // 40 01 19 ...: NCI 1.0 lists RF interfaces right after the features; read as 2.0 the counts run past the end.
    const payload = h('00 03 1E 03 00 08 00 01 02 03 80 81 82 83 02 D0 02 FF 02 00 04 88 10 01 A0');
    const decoded = CORE_INIT_RSP.decodePayload(payload);
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error.kind).toBe('truncated');
  });

  it('reports missing fields and left-over bytes instead of throwing', () => {
    expect(CORE_RESET_NTF.decodePayload(h('02 01 20 04 05 50'))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'truncated', field: 'Manufacturer Specific Information' }) });
    expect(CORE_RESET_RSP.decodePayload(h('00 10 01'))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'trailing-bytes' }) });
    expect(CORE_RESET_RSP.decodePayload(new Uint8Array(0))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'truncated', field: 'Status' }) });
  });
});

describe('NCI 2.0 NFCEE discovery and mode set', () => {
  it('discovers the secure element behind the controller and enables it', () => {
    roundTrip(NFCEE_DISCOVER_CMD, {}, '22 00 00');
    roundTrip(NFCEE_DISCOVER_RSP, { status: 0, numberOfNfcees: 1 }, '42 00 02 00 01');
    roundTrip(NFCEE_DISCOVER_NTF, { nfceeId: 0xc0, status: 0x01, protocols: [NfceeProtocol.APDU], info: [{ type: 0x01, value: h('3B 8A 80 01') }], powerSupply: 0x01 },
      '62 00 0C C0 01 01 00 01 01 04 3B 8A 80 01 01');
    expect(NFCEE_DISCOVER_NTF.decodePayload(h('C0 00 01 00 00'))).toEqual({ ok: true, value: { nfceeId: 0xc0, status: 0, protocols: [0], info: [] } });
    roundTrip(NFCEE_MODE_SET_CMD, { nfceeId: 0xc0, mode: 1 }, '22 01 02 C0 01');
    roundTrip(NFCEE_MODE_SET_NTF, { status: 0 }, '62 01 01 00');
    roundTrip(NFCEE_STATUS_NTF, { nfceeId: 0xc0, status: 0x02 }, '62 02 02 C0 02');
  });
});

describe('NCI 2.0 RF management for card emulation (5.3, 6.3, 7.1, 7.3)', () => {
  it('routes the Visa AID, ISO-DEP and NFC-A to the secure element', () => {
    const on = RoutePowerState.SWITCHED_ON | RoutePowerState.SWITCHED_OFF | RoutePowerState.BATTERY_OFF;
    roundTrip(RF_SET_LISTEN_MODE_ROUTING_CMD, {
      more: false,
      entries: [
        { type: 'aid', qualifiers: RouteQualifier.MATCH_LONGER_AID, route: 0xc0, powerState: on, aid: h('A0000000031010') },
        { type: 'protocol', qualifiers: 0, route: 0xc0, powerState: on, protocol: RfProtocol.ISO_DEP },
        { type: 'technology', qualifiers: 0, route: 0xc0, powerState: on, technology: RfTechnology.A },
      ],
    }, '21 01 17 00 03 12 09 C0 07 A0 00 00 00 03 10 10 01 03 C0 07 04 00 03 C0 07 00');
    expect(RF_SET_LISTEN_MODE_ROUTING_CMD.decodePayload(h('00 01 01 04 C0 07 04 99'))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'bad-value' }) });
  });

  it('listens as NFC-A and NFC-B, and reads the field, the AID action and the activation', () => {
    roundTrip(RF_DISCOVER_CMD, { configurations: [{ techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, frequency: 1 }, { techMode: RfTechMode.NFC_B_PASSIVE_LISTEN, frequency: 1 }] }, '21 03 05 02 80 01 81 01');
    roundTrip(RF_FIELD_INFO_NTF, { fieldOn: true }, '61 07 01 01');
    roundTrip(RF_NFCEE_ACTION_NTF, { nfceeId: 0xc0, trigger: 0x00, data: h('A0000000031010') }, '61 09 0A C0 00 07 A0 00 00 00 03 10 10');
    roundTrip(RF_INTF_ACTIVATED_NTF, {
      rfDiscoveryId: 1, rfInterface: RfInterface.ISO_DEP, rfProtocol: RfProtocol.ISO_DEP, activationTechMode: RfTechMode.NFC_A_PASSIVE_LISTEN,
      maxDataPacketPayloadSize: 0xfd, initialCredits: 1, techParameters: new Uint8Array(0),
      dataExchangeTechMode: RfTechMode.NFC_A_PASSIVE_LISTEN, dataExchangeTxBitRate: 0, dataExchangeRxBitRate: 0, activationParameters: h('80'),
    }, '61 05 0C 01 02 04 80 FD 01 00 80 00 00 01 80');
    roundTrip(RF_NFCEE_DISCOVERY_REQ_NTF, { requests: [{ remove: false, nfceeId: 0xc0, techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, rfProtocol: RfProtocol.ISO_DEP }] }, '61 0A 06 01 00 03 C0 80 04');
  });

  it('reads NFC-A poll parameters (SENS_RES, NFCID1, SEL_RES) and refuses a cut one', () => {
    expect(decodeNfcAPollParameters(h('44 00 07 04 A2 2B 7A 6E 5D 80 01 20'))).toEqual({ sensRes: h('44 00'), nfcid1: h('04 A2 2B 7A 6E 5D 80'), selRes: 0x20 });
    expect(decodeNfcAPollParameters(h('44 00 07 04 A2'))).toBeUndefined();
  });

  it('deactivates back to discovery and reads why the link ended', () => {
    roundTrip(RF_DEACTIVATE_CMD, { type: DeactivationType.DISCOVERY }, '21 06 01 03');
    roundTrip(RF_DEACTIVATE_NTF, { type: DeactivationType.DISCOVERY, reason: 0x02 }, '61 06 02 03 02');
  });
});
