/**
 * NCI NFCEE Management control messages (GID 0010b): finding the embedded
 * secure element behind the NFC controller and switching it on.
 *
 * Sources: NFC Forum NCI 2.0 (2017-03-30), chapter "NFCEE Discovery and Mode
 * Set": NFCEE Discovery (NFCEE_DISCOVER_CMD/RSP/NTF), NFCEE Mode Set
 * (NFCEE_MODE_SET_CMD/RSP/NTF) and NFCEE Status (NFCEE_STATUS_NTF); NCI 2.0
 * layouts as Android's libnfc-nci sends and reads them (nci_hmsgs.cc:
 * nci_snd_nfcee_discover sends no payload in 2.0; nci_hrcv.cc:
 * nci_proc_ee_management_rsp/_ntf). NCI 2.0 dropped 1.0's Discovery Action
 * octet from NFCEE_DISCOVER_CMD and added NFCEE_MODE_SET_NTF, which reports
 * the outcome of a mode set after its response.
 */
import { MessageType } from './packet';
import { Gid, NfceeOid } from './identifiers';
import { bytes, defineMessage, defineStatusMessage } from './payload';

const { COMMAND, RESPONSE, NOTIFICATION } = MessageType;

/** NCI 2.0: no parameters. */
export const NFCEE_DISCOVER_CMD = defineMessage<Record<string, never>>(COMMAND, Gid.NFCEE, NfceeOid.DISCOVER,
  () => new Uint8Array(0),
  () => ({}));

export const NFCEE_DISCOVER_RSP = defineMessage<{ status: number; numberOfNfcees: number }>(RESPONSE, Gid.NFCEE, NfceeOid.DISCOVER,
  (v) => bytes(v.status, v.numberOfNfcees),
  (r) => ({ status: r.u8('Status'), numberOfNfcees: r.u8('Number of NFCEEs') }));

/** NFCEE Status in NFCEE_DISCOVER_NTF: 00 enabled, 01 disabled, 02 removed / unresponsive. */
export const NfceeState = { ENABLED: 0x00, DISABLED: 0x01, UNRESPONSIVE: 0x02 } as const;
/** NFCEE Information TLV types: 00 hardware/registration identification, 01 ATR bytes, 02 T3T supplementary information. */
export const NfceeInfoType = { HARDWARE_ID: 0x00, ATR: 0x01, T3T_INFO: 0x02 } as const;

export interface NfceeDiscoverNtf {
  nfceeId: number;
  status: number;
  /** NFCEE Protocols the NFCEE supports (identifiers.ts NfceeProtocol). */
  protocols: number[];
  info: Array<{ type: number; value: Uint8Array }>;
  /** NCI 2.0's trailing NFCEE Power Supply octet, when the NFCC sends it. */
  powerSupply?: number;
}
export const NFCEE_DISCOVER_NTF = defineMessage<NfceeDiscoverNtf>(NOTIFICATION, Gid.NFCEE, NfceeOid.DISCOVER,
  (v) => bytes(v.nfceeId, v.status, v.protocols.length, v.protocols, v.info.length,
    ...v.info.map((t) => bytes(t.type, t.value.length, t.value)), v.powerSupply === undefined ? [] : [v.powerSupply]),
  (r) => {
    const nfceeId = r.u8('NFCEE ID');
    const status = r.u8('NFCEE Status');
    const protocols = [...r.lengthPrefixed('Supported NFCEE Protocols')];
    const info = Array.from({ length: r.u8('Number of NFCEE Information TLVs') }, (_, i) => ({ type: r.u8(`TLV ${i} Type`), value: r.lengthPrefixed(`TLV ${i}`) }));
    const powerSupply = r.remaining() > 0 ? r.u8('NFCEE Power Supply') : undefined;
    return { nfceeId, status, protocols, info, ...(powerSupply === undefined ? {} : { powerSupply }) };
  });

/** NFCEE Mode: 00 disable, 01 enable. */
export const NfceeMode = { DISABLE: 0x00, ENABLE: 0x01 } as const;
export const NFCEE_MODE_SET_CMD = defineMessage<{ nfceeId: number; mode: number }>(COMMAND, Gid.NFCEE, NfceeOid.MODE_SET,
  (v) => bytes(v.nfceeId, v.mode),
  (r) => ({ nfceeId: r.u8('NFCEE ID'), mode: r.u8('NFCEE Mode') }));
export const NFCEE_MODE_SET_RSP = defineStatusMessage(RESPONSE, Gid.NFCEE, NfceeOid.MODE_SET);
/** NCI 2.0: the mode set's outcome, after the response. */
export const NFCEE_MODE_SET_NTF = defineStatusMessage(NOTIFICATION, Gid.NFCEE, NfceeOid.MODE_SET);

/** NFCEE_STATUS_NTF (NCI 2.0): 00 unrecoverable error, 01 initialization started, 02 initialization completed. */
export const NfceeStatusReport = { UNRECOVERABLE_ERROR: 0x00, INITIALIZATION_STARTED: 0x01, INITIALIZATION_COMPLETED: 0x02 } as const;
export const NFCEE_STATUS_NTF = defineMessage<{ nfceeId: number; status: number }>(NOTIFICATION, Gid.NFCEE, NfceeOid.STATUS,
  (v) => bytes(v.nfceeId, v.status),
  (r) => ({ nfceeId: r.u8('NFCEE ID'), status: r.u8('NFCEE Status') }));
