/**
 * NCI identifiers: groups and opcodes with their names, status codes, and the
 * RF technology/mode, protocol and interface numbers messages carry.
 *
 * Sources: NFC Forum NCI 2.0 (NFCForum-TS-NCI-2.0, 2017-03-30): the GID/OID
 * of each message (sections cited where the messages are coded: core.ts,
 * rf.ts, nfcee.ts) and its value tables (RF Technologies, RF Technology and
 * Mode, Bit Rates, RF Protocols, RF Interfaces, NFCEE Protocols, Status
 * Codes); cross-checked
 * with Android's libnfc-nci (src/include/nci_defs.h), the Linux kernel
 * (include/net/nfc/nci.h) and Android's casimir NFCC emulator
 * (tools/casimir/src/nci_packets.pdl). NXP's proprietary CORE_SET_POWER_MODE:
 * UM10936 (PN7150 user manual) rev 2.06, 9.6.1, Tables 78-81.
 */

/** Group Identifiers (octet 0, b3-b0 of a control packet). */
export const Gid = { CORE: 0x0, RF: 0x1, NFCEE: 0x2, PROPRIETARY: 0xf } as const;

/** Opcode Identifiers per group (octet 1, b5-b0). */
export const CoreOid = {
  RESET: 0x00,
  INIT: 0x01,
  SET_CONFIG: 0x02,
  GET_CONFIG: 0x03,
  CONN_CREATE: 0x04,
  CONN_CLOSE: 0x05,
  CONN_CREDITS: 0x06,
  GENERIC_ERROR: 0x07,
  INTERFACE_ERROR: 0x08,
  SET_POWER_SUB_STATE: 0x09, // NCI 2.0
} as const;

export const RfOid = {
  DISCOVER_MAP: 0x00,
  SET_LISTEN_MODE_ROUTING: 0x01,
  GET_LISTEN_MODE_ROUTING: 0x02,
  DISCOVER: 0x03,
  DISCOVER_SELECT: 0x04,
  INTF_ACTIVATED: 0x05,
  DEACTIVATE: 0x06,
  FIELD_INFO: 0x07,
  T3T_POLLING: 0x08,
  NFCEE_ACTION: 0x09,
  NFCEE_DISCOVERY_REQ: 0x0a,
  PARAMETER_UPDATE: 0x0b,
} as const;

export const NfceeOid = { DISCOVER: 0x00, MODE_SET: 0x01, STATUS: 0x02, POWER_AND_LINK_CNTRL: 0x03 } as const;

/** NXP proprietary (GID 1111b): UM10936 rev 2.06 9.6.1. */
export const NxpOid = { CORE_SET_POWER_MODE: 0x00 } as const;

const NAMES: Record<number, Record<number, string>> = {
  [Gid.CORE]: invert(CoreOid, 'CORE_'),
  [Gid.RF]: invert(RfOid, 'RF_'),
  [Gid.NFCEE]: invert(NfceeOid, 'NFCEE_'),
  [Gid.PROPRIETARY]: invert(NxpOid, 'NXP_'),
};

/** 'CORE_RESET', 'RF_INTF_ACTIVATED', 'NXP_CORE_SET_POWER_MODE'; 'GID_5_OID_0x12' when unknown. */
export function messageName(gid: number, oid: number): string {
  return NAMES[gid]?.[oid] ?? `GID_${gid}_OID_0x${oid.toString(16).padStart(2, '0')}`;
}

/** Status Codes (NCI 2.0 "Status Codes" table: generic, then the RF discovery 'A0', RF interface 'B0' and NFCEE 'C0' ranges; 'E0'-'FF' proprietary). */
export const Status = {
  OK: 0x00,
  REJECTED: 0x01,
  RF_FRAME_CORRUPTED: 0x02,
  FAILED: 0x03,
  NOT_INITIALIZED: 0x04,
  SYNTAX_ERROR: 0x05,
  SEMANTIC_ERROR: 0x06,
  INVALID_PARAM: 0x09,
  MESSAGE_SIZE_EXCEEDED: 0x0a,
  DISCOVERY_ALREADY_STARTED: 0xa0,
  DISCOVERY_TARGET_ACTIVATION_FAILED: 0xa1,
  DISCOVERY_TEAR_DOWN: 0xa2,
  RF_TRANSMISSION_ERROR: 0xb0,
  RF_PROTOCOL_ERROR: 0xb1,
  RF_TIMEOUT_ERROR: 0xb2,
  NFCEE_INTERFACE_ACTIVATION_FAILED: 0xc0,
  NFCEE_TRANSMISSION_ERROR: 0xc1,
  NFCEE_PROTOCOL_ERROR: 0xc2,
  NFCEE_TIMEOUT_ERROR: 0xc3,
} as const;

export function statusName(status: number): string {
  const name = (Object.keys(Status) as (keyof typeof Status)[]).find((k) => Status[k] === status);
  if (name) return `STATUS_${name}`;
  return status >= 0xe0 ? `STATUS_PROPRIETARY_0x${status.toString(16)}` : `STATUS_RFU_0x${status.toString(16).padStart(2, '0')}`;
}

/** RF Technologies (NFC-A/B/F/V). */
export const RfTechnology = { A: 0x00, B: 0x01, F: 0x02, V: 0x03 } as const;

/** RF Technology and Mode: b7 = listen. */
export const RfTechMode = {
  NFC_A_PASSIVE_POLL: 0x00,
  NFC_B_PASSIVE_POLL: 0x01,
  NFC_F_PASSIVE_POLL: 0x02,
  NFC_ACTIVE_POLL: 0x03,
  NFC_V_PASSIVE_POLL: 0x06,
  NFC_A_PASSIVE_LISTEN: 0x80,
  NFC_B_PASSIVE_LISTEN: 0x81,
  NFC_F_PASSIVE_LISTEN: 0x82,
  NFC_ACTIVE_LISTEN: 0x83,
} as const;

export const BitRate = { KBPS_106: 0x00, KBPS_212: 0x01, KBPS_424: 0x02, KBPS_848: 0x03, KBPS_1695: 0x04, KBPS_3390: 0x05, KBPS_6780: 0x06 } as const;

export const RfProtocol = { UNDETERMINED: 0x00, T1T: 0x01, T2T: 0x02, T3T: 0x03, ISO_DEP: 0x04, NFC_DEP: 0x05, T5T: 0x06 } as const;

export const RfInterface = { NFCEE_DIRECT: 0x00, FRAME: 0x01, ISO_DEP: 0x02, NFC_DEP: 0x03 } as const;

/** NFCEE Protocols / Interfaces (NCI 2.0; '80'-'FE' proprietary). */
export const NfceeProtocol = { APDU: 0x00, HCI_ACCESS: 0x01, T3T_COMMAND_SET: 0x02, TRANSPARENT: 0x03 } as const;

/** NFCEE ID '00' is the DH-NFCEE (the Device Host itself as a route); NFCEE IDs '01'-'FE' are assigned by the NFCC. */
export const DH_NFCEE_ID = 0x00;

/**
 * Configuration parameter IDs for CORE_SET_CONFIG (NCI 2.0 "Configuration Parameters" table): the common
 * discovery ones, Listen A (LA_*: anticollision and SEL_RES), Listen ISO-DEP (LI_A_RATS_TB1 = the ATS's TB(1),
 * FWI/SFGI; LI_A_HIST_BY = its historical bytes), and RF_FIELD_INFO = 01 / RF_NFCEE_ACTION = 01 that turn
 * RF_FIELD_INFO_NTF and RF_NFCEE_ACTION_NTF on. IDs cross-checked with libnfc-nci nci_defs.h.
 */
export const ConfigParam = {
  TOTAL_DURATION: 0x00,
  CON_DISCOVERY_PARAM: 0x02,
  LA_BIT_FRAME_SDD: 0x30,
  LA_PLATFORM_CONFIG: 0x31,
  LA_SEL_INFO: 0x32,
  LA_NFCID1: 0x33,
  LI_A_RATS_TB1: 0x58,
  LI_A_HIST_BY: 0x59,
  RF_FIELD_INFO: 0x80,
  RF_NFCEE_ACTION: 0x81,
} as const;

/** LA_SEL_INFO b6 ('20'): the Listen A endpoint supports ISO-DEP (it becomes SAK b6, ISO/IEC 14443-3 Table 9). */
export const LA_SEL_INFO_ISO_DEP = 0x20;

// ---------------------------------------------------------------------------

function invert(table: Record<string, number>, prefix: string): Record<number, string> {
  return Object.fromEntries(Object.entries(table).map(([name, oid]) => [oid, prefix + name]));
}
