/**
 * NCI Core control messages (GID 0000b) and NXP's CORE_SET_POWER_MODE.
 *
 * Sources: NFC Forum NCI 2.0 (2017-03-30) 4.1 "Reset of NFCC", 4.2
 * "Initialization of NFCC", 4.3.1 "Setting the Configuration", 4.4.4
 * "Connection Credit Management", 4.5 "Generic Error", 4.6 "Interface Error"
 * and the NCI 2.0 power sub-state command (CORE_SET_POWER_SUB_STATE); NCI 2.0
 * layouts as Android's libnfc-nci parses them (nfc_ncif.cc, nfc_main.cc:
 * nfc_enabled) and casimir describes them (nci_packets.pdl). NXP: UM10936
 * rev 2.06 9.6.1, Tables 78-81.
 *
 * NCI 2.0 changed the reset handshake from 1.0: CORE_RESET_RSP carries only a
 * status, and the NFCC then sends CORE_RESET_NTF with the NCI version; and
 * CORE_INIT_CMD carries two Feature Enable octets (both '00' in 2.0).
 */
import { MessageType } from './packet';
import { CoreOid, Gid, NxpOid } from './identifiers';
import { bytes, defineMessage, defineStatusMessage as status, u16le, u32le } from './payload';

const { COMMAND, RESPONSE, NOTIFICATION } = MessageType;

/** 4.1: Reset Type 00 keep configuration, 01 reset configuration. */
export const CORE_RESET_CMD = defineMessage<{ resetType: 0 | 1 }>(COMMAND, Gid.CORE, CoreOid.RESET,
  (v) => bytes(v.resetType),
  (r) => ({ resetType: r.u8('Reset Type') === 1 ? 1 : 0 }));

export const CORE_RESET_RSP = status(RESPONSE, Gid.CORE, CoreOid.RESET);

/** 4.1 (NCI 2.0): Reset Trigger 00 unrecoverable error, 01 powered on, 02 CORE_RESET_CMD received. */
export interface CoreResetNtf {
  trigger: number;
  /** 00 NCI RF configuration kept, 01 reset. */
  configurationStatus: number;
  /** Major version in the high nibble: '20' for NCI 2.0. */
  nciVersion: number;
  manufacturerId: number;
  manufacturerInfo: Uint8Array;
}
export const ResetTrigger = { UNRECOVERABLE_ERROR: 0x00, POWERED_ON: 0x01, CORE_RESET_CMD: 0x02 } as const;
export const CORE_RESET_NTF = defineMessage<CoreResetNtf>(NOTIFICATION, Gid.CORE, CoreOid.RESET,
  (v) => bytes(v.trigger, v.configurationStatus, v.nciVersion, v.manufacturerId, v.manufacturerInfo.length, v.manufacturerInfo),
  (r) => ({
    trigger: r.u8('Reset Trigger'),
    configurationStatus: r.u8('Configuration Status'),
    nciVersion: r.u8('NCI Version'),
    manufacturerId: r.u8('Manufacturer ID'),
    manufacturerInfo: r.lengthPrefixed('Manufacturer Specific Information'),
  }));

/** 4.2 (NCI 2.0): two Feature Enable octets, RFU ('00 00'). */
export const CORE_INIT_CMD = defineMessage<{ featureEnable: number }>(COMMAND, Gid.CORE, CoreOid.INIT,
  (v) => bytes(u16le(v.featureEnable)),
  (r) => ({ featureEnable: r.u16le('Feature Enable') }));

export interface SupportedRfInterface {
  rfInterface: number;
  extensions: number[];
}
/** 4.2 (NCI 2.0) CORE_INIT_RSP. */
export interface CoreInitRsp {
  status: number;
  /** Four octets, little-endian: discovery configuration, routing types, power states... */
  nfccFeatures: number;
  maxLogicalConnections: number;
  maxRoutingTableSize: number;
  maxControlPacketPayloadSize: number;
  /** Of the static HCI connection (0 when the NFCC has no HCI network). */
  maxDataPacketPayloadSizeHci: number;
  numberOfCreditsHci: number;
  maxNfcVRfFrameSize: number;
  supportedRfInterfaces: SupportedRfInterface[];
}
export const CORE_INIT_RSP = defineMessage<CoreInitRsp>(RESPONSE, Gid.CORE, CoreOid.INIT,
  (v) => bytes(v.status, u32le(v.nfccFeatures), v.maxLogicalConnections, u16le(v.maxRoutingTableSize), v.maxControlPacketPayloadSize,
    v.maxDataPacketPayloadSizeHci, v.numberOfCreditsHci, u16le(v.maxNfcVRfFrameSize), v.supportedRfInterfaces.length,
    ...v.supportedRfInterfaces.map((i) => bytes(i.rfInterface, i.extensions.length, i.extensions))),
  (r) => {
    const head = {
      status: r.u8('Status'),
      nfccFeatures: r.u32le('NFCC Features'),
      maxLogicalConnections: r.u8('Max Logical Connections'),
      maxRoutingTableSize: r.u16le('Max Routing Table Size'),
      maxControlPacketPayloadSize: r.u8('Max Control Packet Payload Size'),
      maxDataPacketPayloadSizeHci: r.u8('Max Data Packet Payload Size of the Static HCI Connection'),
      numberOfCreditsHci: r.u8('Number of Credits of the Static HCI Connection'),
      maxNfcVRfFrameSize: r.u16le('Max NFC-V RF Frame Size'),
    };
    const count = r.u8('Number of Supported RF Interfaces');
    const supportedRfInterfaces = Array.from({ length: count }, (_, i) => {
      const rfInterface = r.u8(`RF Interface ${i}`);
      return { rfInterface, extensions: [...r.lengthPrefixed(`RF Interface ${i} extensions`)] };
    });
    return { ...head, supportedRfInterfaces };
  });

/** 4.3.1: parameters as (ID, length, value). */
export interface ConfigParameter {
  id: number;
  value: Uint8Array;
}
export const CORE_SET_CONFIG_CMD = defineMessage<{ parameters: ConfigParameter[] }>(COMMAND, Gid.CORE, CoreOid.SET_CONFIG,
  (v) => bytes(v.parameters.length, ...v.parameters.map((p) => bytes(p.id, p.value.length, p.value))),
  (r) => ({ parameters: Array.from({ length: r.u8('Number of Parameters') }, (_, i) => ({ id: r.u8(`Parameter ${i} ID`), value: r.lengthPrefixed(`Parameter ${i}`) })) }));

/** 4.3.1: the status, and the IDs of parameters the NFCC refused. */
export const CORE_SET_CONFIG_RSP = defineMessage<{ status: number; invalidIds: number[] }>(RESPONSE, Gid.CORE, CoreOid.SET_CONFIG,
  (v) => bytes(v.status, v.invalidIds.length, v.invalidIds),
  (r) => ({ status: r.u8('Status'), invalidIds: [...r.lengthPrefixed('Parameter IDs')] }));

/** 4.4.4: credits returned per connection. */
export const CORE_CONN_CREDITS_NTF = defineMessage<{ entries: Array<{ connId: number; credits: number }> }>(NOTIFICATION, Gid.CORE, CoreOid.CONN_CREDITS,
  (v) => bytes(v.entries.length, ...v.entries.map((e) => bytes(e.connId, e.credits))),
  (r) => ({ entries: Array.from({ length: r.u8('Number of Entries') }, (_, i) => ({ connId: r.u8(`Entry ${i} Conn ID`), credits: r.u8(`Entry ${i} Credits`) })) }));

/** 4.5. */
export const CORE_GENERIC_ERROR_NTF = status(NOTIFICATION, Gid.CORE, CoreOid.GENERIC_ERROR);

/** 4.6. */
export const CORE_INTERFACE_ERROR_NTF = defineMessage<{ status: number; connId: number }>(NOTIFICATION, Gid.CORE, CoreOid.INTERFACE_ERROR,
  (v) => bytes(v.status, v.connId),
  (r) => ({ status: r.u8('Status'), connId: r.u8('Conn ID') }));

/** NCI 2.0: Power State 00 switched on, 01-03 switched-on sub-states 1-3. */
export const CORE_SET_POWER_SUB_STATE_CMD = defineMessage<{ powerState: number }>(COMMAND, Gid.CORE, CoreOid.SET_POWER_SUB_STATE,
  (v) => bytes(v.powerState),
  (r) => ({ powerState: r.u8('Power State') }));
export const CORE_SET_POWER_SUB_STATE_RSP = status(RESPONSE, Gid.CORE, CoreOid.SET_POWER_SUB_STATE);

/** UM10936 Table 79: Mode 00 standby disabled, 01 standby enabled (the default after reset). */
export const NxpPowerMode = { STANDBY_DISABLED: 0x00, STANDBY_ENABLED: 0x01 } as const;
export const NXP_CORE_SET_POWER_MODE_CMD = defineMessage<{ mode: number }>(COMMAND, Gid.PROPRIETARY, NxpOid.CORE_SET_POWER_MODE,
  (v) => bytes(v.mode),
  (r) => ({ mode: r.u8('Mode') }));
/** UM10936 Table 81: STATUS_OK, STATUS_SEMANTIC_ERROR or STATUS_INVALID_PARAM. */
export const NXP_CORE_SET_POWER_MODE_RSP = status(RESPONSE, Gid.PROPRIETARY, NxpOid.CORE_SET_POWER_MODE);

/** 4.3.2 "Retrieving the Configuration": the IDs asked for. */
export const CORE_GET_CONFIG_CMD = defineMessage<{ ids: number[] }>(COMMAND, Gid.CORE, CoreOid.GET_CONFIG,
  (v) => bytes(v.ids.length, v.ids),
  (r) => ({ ids: Array.from({ length: r.u8('Number of Parameters') }, (_, i) => r.u8(`Parameter ${i} ID`)) }));

/** 4.3.2: the status and the parameters as (ID, length, value); on STATUS_INVALID_PARAM, the unknown IDs with length 0. */
export const CORE_GET_CONFIG_RSP = defineMessage<{ status: number; parameters: ConfigParameter[] }>(RESPONSE, Gid.CORE, CoreOid.GET_CONFIG,
  (v) => bytes(v.status, v.parameters.length, ...v.parameters.map((p) => bytes(p.id, p.value.length, p.value))),
  (r) => ({ status: r.u8('Status'), parameters: Array.from({ length: r.u8('Number of Parameters') }, (_, i) => ({ id: r.u8(`Parameter ${i} ID`), value: r.lengthPrefixed(`Parameter ${i}`) })) }));
