/**
 * NCI RF Management control messages (GID 0001b) a card-emulation flow uses.
 *
 * Sources: NFC Forum NCI 2.0 (2017-03-30) 5.3 "RF Field Information"
 * (RF_FIELD_INFO_NTF), 6.2 "RF Interface Mapping Configuration"
 * (RF_DISCOVER_MAP), 6.3 "Listen Mode Routing Configuration"
 * (RF_SET_LISTEN_MODE_ROUTING), 7.1 "Starting RF Discovery" (RF_DISCOVER),
 * 7.3 "RF Interface Activation and Deactivation" (RF_INTF_ACTIVATED_NTF,
 * RF_DEACTIVATE), and its NFCEE action and NFCEE discovery request
 * notifications (RF_NFCEE_ACTION_NTF, RF_NFCEE_DISCOVERY_REQ_NTF); NCI 2.0
 * layouts as Android's libnfc-nci reads them (nfc_ncif.cc:
 * nfc_ncif_proc_activate, nfc_ncif_proc_ee_action,
 * nfc_ncif_proc_ee_discover_req) and casimir describes them
 * (nci_packets.pdl).
 */
import { MessageType } from './packet';
import { Gid, RfOid } from './identifiers';
import { bytes, defineMessage, defineStatusMessage } from './payload';
import type { Reader } from './payload';

const { COMMAND, RESPONSE, NOTIFICATION } = MessageType;

/** 6.2: for each RF protocol, the RF interface to use in poll and/or listen mode (Mode b0 poll, b1 listen). */
export interface DiscoverMapping {
  rfProtocol: number;
  mode: number;
  rfInterface: number;
}
export const RF_DISCOVER_MAP_CMD = defineMessage<{ mappings: DiscoverMapping[] }>(COMMAND, Gid.RF, RfOid.DISCOVER_MAP,
  (v) => bytes(v.mappings.length, ...v.mappings.map((m) => bytes(m.rfProtocol, m.mode, m.rfInterface))),
  (r) => ({ mappings: Array.from({ length: r.u8('Number of Mapping Configurations') }, (_, i) => ({ rfProtocol: r.u8(`Mapping ${i} RF Protocol`), mode: r.u8(`Mapping ${i} Mode`), rfInterface: r.u8(`Mapping ${i} RF Interface`) })) }));
export const RF_DISCOVER_MAP_RSP = defineStatusMessage(RESPONSE, Gid.RF, RfOid.DISCOVER_MAP);

/** 6.3: the power states a route applies in (NCI 2.0 adds the switched-on sub-states). */
export const RoutePowerState = { SWITCHED_ON: 0x01, SWITCHED_OFF: 0x02, BATTERY_OFF: 0x04, SUB_STATE_1: 0x08, SUB_STATE_2: 0x10, SUB_STATE_3: 0x20 } as const;
/** 6.3: routing entry types (b3-b0 of the entry's type octet) and qualifiers (b6-b4). */
export const RouteType = { TECHNOLOGY: 0x0, PROTOCOL: 0x1, AID: 0x2, SYSTEM_CODE: 0x3, APDU_PATTERN: 0x4 } as const;
export const RouteQualifier = { MATCH_LONGER_AID: 0x10, MATCH_SHORTER_AID: 0x20, BLOCKED_IN_OTHER_POWER_STATES: 0x40 } as const;

/** One listen-mode routing entry: where frames go (NFCEE ID; 00 = the DH), in which power states, for what. */
export type RoutingEntry =
  | { type: 'technology'; qualifiers: number; route: number; powerState: number; technology: number }
  | { type: 'protocol'; qualifiers: number; route: number; powerState: number; protocol: number }
  | { type: 'aid'; qualifiers: number; route: number; powerState: number; aid: Uint8Array }
  | { type: 'system-code'; qualifiers: number; route: number; powerState: number; systemCode: Uint8Array }
  | { type: 'other'; typeOctet: number; value: Uint8Array };

export const RF_SET_LISTEN_MODE_ROUTING_CMD = defineMessage<{ more: boolean; entries: RoutingEntry[] }>(COMMAND, Gid.RF, RfOid.SET_LISTEN_MODE_ROUTING,
  (v) => bytes(v.more ? 1 : 0, v.entries.length, ...v.entries.map(encodeRoute)),
  (r) => {
    const more = r.u8('More') === 1;
    return { more, entries: Array.from({ length: r.u8('Number of Routing Entries') }, (_, i) => readRoute(r, i)) };
  });
export const RF_SET_LISTEN_MODE_ROUTING_RSP = defineStatusMessage(RESPONSE, Gid.RF, RfOid.SET_LISTEN_MODE_ROUTING);

/** 6.3: RF_GET_LISTEN_MODE_ROUTING_CMD has no payload; the table comes back in RF_GET_LISTEN_MODE_ROUTING_NTF(s). */
export const RF_GET_LISTEN_MODE_ROUTING_CMD = defineMessage<Record<string, never>>(COMMAND, Gid.RF, RfOid.GET_LISTEN_MODE_ROUTING,
  () => new Uint8Array(0),
  () => ({}));
export const RF_GET_LISTEN_MODE_ROUTING_RSP = defineStatusMessage(RESPONSE, Gid.RF, RfOid.GET_LISTEN_MODE_ROUTING);
/** 6.3: the same layout as the SET command (More, count, entries). */
export const RF_GET_LISTEN_MODE_ROUTING_NTF = defineMessage<{ more: boolean; entries: RoutingEntry[] }>(NOTIFICATION, Gid.RF, RfOid.GET_LISTEN_MODE_ROUTING,
  RF_SET_LISTEN_MODE_ROUTING_CMD.encodePayload,
  (r) => {
    const more = r.u8('More') === 1;
    return { more, entries: Array.from({ length: r.u8('Number of Routing Entries') }, (_, i) => readRoute(r, i)) };
  });

/** 7.1: what to poll for and listen as; Discovery Frequency 01 = every period. */
export const RF_DISCOVER_CMD = defineMessage<{ configurations: Array<{ techMode: number; frequency: number }> }>(COMMAND, Gid.RF, RfOid.DISCOVER,
  (v) => bytes(v.configurations.length, ...v.configurations.map((c) => bytes(c.techMode, c.frequency))),
  (r) => ({ configurations: Array.from({ length: r.u8('Number of Configurations') }, (_, i) => ({ techMode: r.u8(`Configuration ${i} RF Technology and Mode`), frequency: r.u8(`Configuration ${i} Discovery Frequency`) })) }));
export const RF_DISCOVER_RSP = defineStatusMessage(RESPONSE, Gid.RF, RfOid.DISCOVER);

/** 7.3: an RF interface activated with a remote endpoint (here: a POS terminal polling us, Listen A + ISO-DEP). */
export interface RfIntfActivatedNtf {
  rfDiscoveryId: number;
  rfInterface: number;
  rfProtocol: number;
  activationTechMode: number;
  maxDataPacketPayloadSize: number;
  initialCredits: number;
  /** RF Technology Specific Parameters (Listen A: none; Poll A: see `decodeNfcAPollParameters`). */
  techParameters: Uint8Array;
  dataExchangeTechMode: number;
  dataExchangeTxBitRate: number;
  dataExchangeRxBitRate: number;
  /** Activation Parameters (Listen A ISO-DEP: one octet, the RATS parameter byte; Poll A ISO-DEP: RATS response length + RATS response). */
  activationParameters: Uint8Array;
}
export const RF_INTF_ACTIVATED_NTF = defineMessage<RfIntfActivatedNtf>(NOTIFICATION, Gid.RF, RfOid.INTF_ACTIVATED,
  (v) => bytes(v.rfDiscoveryId, v.rfInterface, v.rfProtocol, v.activationTechMode, v.maxDataPacketPayloadSize, v.initialCredits,
    v.techParameters.length, v.techParameters, v.dataExchangeTechMode, v.dataExchangeTxBitRate, v.dataExchangeRxBitRate,
    v.activationParameters.length, v.activationParameters),
  (r) => ({
    rfDiscoveryId: r.u8('RF Discovery ID'),
    rfInterface: r.u8('RF Interface'),
    rfProtocol: r.u8('RF Protocol'),
    activationTechMode: r.u8('Activation RF Technology and Mode'),
    maxDataPacketPayloadSize: r.u8('Max Data Packet Payload Size'),
    initialCredits: r.u8('Initial Number of Credits'),
    techParameters: r.lengthPrefixed('RF Technology Specific Parameters'),
    dataExchangeTechMode: r.u8('Data Exchange RF Technology and Mode'),
    dataExchangeTxBitRate: r.u8('Data Exchange Transmit Bit Rate'),
    dataExchangeRxBitRate: r.u8('Data Exchange Receive Bit Rate'),
    activationParameters: r.lengthPrefixed('Activation Parameters'),
  }));

/** NFC-A poll mode parameters: SENS_RES (2), NFCID1 length + NFCID1, SEL_RES length + SEL_RES. Undefined when malformed. */
export function decodeNfcAPollParameters(params: Uint8Array): { sensRes: Uint8Array; nfcid1: Uint8Array; selRes?: number } | undefined {
  if (params.length < 3) return undefined;
  const idLength = params[2]!;
  if (params.length < 4 + idLength) return undefined;
  const selLength = params[3 + idLength]!;
  if (selLength > 1 || params.length < 4 + idLength + selLength) return undefined;
  return { sensRes: params.slice(0, 2), nfcid1: params.slice(3, 3 + idLength), ...(selLength ? { selRes: params[4 + idLength]! } : {}) };
}

/** 7.3: Deactivation Type 00 idle, 01 sleep, 02 sleep AF, 03 discovery. */
export const DeactivationType = { IDLE: 0x00, SLEEP: 0x01, SLEEP_AF: 0x02, DISCOVERY: 0x03 } as const;
/** 7.3: Deactivation Reason (NCI 2.0 RF_DEACTIVATE_NTF). */
export const DeactivationReason = { DH_REQUEST: 0x00, ENDPOINT_REQUEST: 0x01, RF_LINK_LOSS: 0x02, NFC_B_BAD_AFI: 0x03, DH_REQUEST_FAILED: 0x04 } as const;
export const RF_DEACTIVATE_CMD = defineMessage<{ type: number }>(COMMAND, Gid.RF, RfOid.DEACTIVATE,
  (v) => bytes(v.type),
  (r) => ({ type: r.u8('Deactivation Type') }));
export const RF_DEACTIVATE_RSP = defineStatusMessage(RESPONSE, Gid.RF, RfOid.DEACTIVATE);
export const RF_DEACTIVATE_NTF = defineMessage<{ type: number; reason: number }>(NOTIFICATION, Gid.RF, RfOid.DEACTIVATE,
  (v) => bytes(v.type, v.reason),
  (r) => ({ type: r.u8('Deactivation Type'), reason: r.u8('Deactivation Reason') }));

/** 5.3: RF Field Status 00 no operating field, 01 operating field generated by a remote NFC endpoint. */
export const RF_FIELD_INFO_NTF = defineMessage<{ fieldOn: boolean }>(NOTIFICATION, Gid.RF, RfOid.FIELD_INFO,
  (v) => bytes(v.fieldOn ? 1 : 0),
  (r) => ({ fieldOn: r.u8('RF Field Status') === 1 }));

/** RF_NFCEE_ACTION_NTF Trigger: 00 an ISO/IEC 7816-4 SELECT with this AID was routed to the NFCEE. */
export const NfceeActionTrigger = { SELECT_AID: 0x00, RF_PROTOCOL: 0x01, RF_TECHNOLOGY: 0x02, SYSTEM_CODE: 0x03, APDU_PATTERN: 0x04, APPLICATION_INITIATION: 0x10 } as const;
export const RF_NFCEE_ACTION_NTF = defineMessage<{ nfceeId: number; trigger: number; data: Uint8Array }>(NOTIFICATION, Gid.RF, RfOid.NFCEE_ACTION,
  (v) => bytes(v.nfceeId, v.trigger, v.data.length, v.data),
  (r) => ({ nfceeId: r.u8('NFCEE ID'), trigger: r.u8('Trigger'), data: r.lengthPrefixed('Supporting Data') }));

/** RF_NFCEE_DISCOVERY_REQ_NTF: entries (type 00 add / 01 remove) of NFCEE ID, RF technology and mode, RF protocol. */
export interface NfceeDiscoveryRequest {
  remove: boolean;
  nfceeId: number;
  techMode: number;
  rfProtocol: number;
}
export const RF_NFCEE_DISCOVERY_REQ_NTF = defineMessage<{ requests: NfceeDiscoveryRequest[] }>(NOTIFICATION, Gid.RF, RfOid.NFCEE_DISCOVERY_REQ,
  (v) => bytes(v.requests.length, ...v.requests.map((q) => bytes(q.remove ? 1 : 0, 3, q.nfceeId, q.techMode, q.rfProtocol))),
  (r) => ({
    requests: Array.from({ length: r.u8('Number of Information Entries') }, (_, i) => {
      const type = r.u8(`Entry ${i} Type`);
      if (r.u8(`Entry ${i} Length`) !== 3) r.fail(`Entry ${i} Length`, 'an NFCEE discovery request entry is 3 octets');
      return { remove: type === 1, nfceeId: r.u8(`Entry ${i} NFCEE ID`), techMode: r.u8(`Entry ${i} RF Technology and Mode`), rfProtocol: r.u8(`Entry ${i} RF Protocol`) };
    }),
  }));

// ---------------------------------------------------------------------------

function encodeRoute(entry: RoutingEntry): Uint8Array {
  if (entry.type === 'other') return bytes(entry.typeOctet, entry.value.length, entry.value);
  const head = (type: number, value: Uint8Array) => bytes(type | (entry.qualifiers & 0x70), 2 + value.length, entry.route, entry.powerState, value);
  switch (entry.type) {
    case 'technology': return head(RouteType.TECHNOLOGY, bytes(entry.technology));
    case 'protocol': return head(RouteType.PROTOCOL, bytes(entry.protocol));
    case 'aid': return head(RouteType.AID, entry.aid);
    case 'system-code': return head(RouteType.SYSTEM_CODE, entry.systemCode);
  }
}

function readRoute(r: Reader, i: number): RoutingEntry {
  const typeOctet = r.u8(`Entry ${i} Type`);
  const value = r.lengthPrefixed(`Entry ${i} Value`);
  const type = typeOctet & 0x0f;
  const qualifiers = typeOctet & 0x70;
  if (type > RouteType.SYSTEM_CODE || value.length < 2) return { type: 'other', typeOctet, value };
  const [route, powerState, rest] = [value[0]!, value[1]!, value.slice(2)];
  if (type === RouteType.AID) return { type: 'aid', qualifiers, route, powerState, aid: rest };
  if (type === RouteType.SYSTEM_CODE) return { type: 'system-code', qualifiers, route, powerState, systemCode: rest };
  if (rest.length !== 1) r.fail(`Entry ${i} Value`, `a ${type === RouteType.TECHNOLOGY ? 'technology' : 'protocol'} route has 3 octets`);
  return type === RouteType.TECHNOLOGY
    ? { type: 'technology', qualifiers, route, powerState, technology: rest[0]! }
    : { type: 'protocol', qualifiers, route, powerState, protocol: rest[0]! };
}
