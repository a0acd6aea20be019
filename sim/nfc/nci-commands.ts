/**
 * What the controller does with each command the DH sends (NCI 2.0; NXP's
 * CORE_SET_POWER_MODE from UM10936 rev 2.06 9.6.1), and the error answers:
 *  - a command the controller does not know: its response (same GID/OID)
 *    with STATUS_SYNTAX_ERROR;
 *  - a payload that does not parse (short, trailing bytes): STATUS_SYNTAX_ERROR;
 *  - a command in the wrong state (before CORE_RESET/CORE_INIT, an RF command
 *    in an RF state NCI 2.0 5.2 does not allow it in): STATUS_SEMANTIC_ERROR;
 *    RF_DISCOVER_CMD while discovery runs: STATUS_DISCOVERY_ALREADY_STARTED;
 *  - a value the controller does not support: STATUS_INVALID_PARAM
 *    (CORE_SET_CONFIG also lists the refused IDs and sets the others, 4.3.1);
 *  - a data packet on a connection that is not open, or without a credit:
 *    CORE_INTERFACE_ERROR_NTF (dh-link.ts).
 * Packet-level faults (bad header, interleaved segments) are answered by the
 * controller with CORE_GENERIC_ERROR_NTF before a message exists.
 */
import { ConfigParam, CoreOid, Gid, NfceeOid, NfceeProtocol, NxpOid, RfInterface, RfOid, RfProtocol, RfTechMode, Status } from '../../protocols/nci/identifiers';
import { encodeControl, MessageType } from '../../protocols/nci/packet';
import type { Message } from '../../protocols/nci/packet';
import * as core from '../../protocols/nci/core';
import * as rf from '../../protocols/nci/rf';
import * as nfcee from '../../protocols/nci/nfcee';
import type { Decoded } from '../../protocols/nci/payload';
import type { NfccCore } from './nfcc-state';

/** CORE_RESET_NTF's fields: NCI 2.0; manufacturer 04 is NXP's IC manufacturer code (ISO/IEC 7816-6); firmware version bytes of this model. */
export const NCI_VERSION = 0x20;
export const NXP_MANUFACTURER_ID = 0x04;
export const MANUFACTURER_INFO = Uint8Array.of(0x01, 0x02, 0x03, 0x04);

/** CORE_INIT_RSP's Max Routing Table Size, in octets of routing entries. */
export const MAX_ROUTING_TABLE_BYTES = 256;

type ControlMessage = Extract<Message, { kind: 'control' }>;
type Handler = (c: NfccCore, payload: Uint8Array, respond: (status: number) => void) => void;

const HANDLERS: Record<number, Record<number, Handler>> = {
  [Gid.CORE]: {
    [CoreOid.RESET]: coreReset,
    [CoreOid.INIT]: coreInit,
    [CoreOid.SET_CONFIG]: setConfig,
    [CoreOid.GET_CONFIG]: getConfig,
    [CoreOid.SET_POWER_SUB_STATE]: (c, p, respond) => withPayload(core.CORE_SET_POWER_SUB_STATE_CMD.decodePayload(p), respond, (v) => {
      if (!initialized(c, respond)) return;
      if (v.powerState > 3) return respond(Status.INVALID_PARAM);
      c.powerSubState = v.powerState;
      respond(Status.OK);
    }),
  },
  [Gid.RF]: {
    [RfOid.DISCOVER_MAP]: (c, p, respond) => withPayload(rf.RF_DISCOVER_MAP_CMD.decodePayload(p), respond, () => {
      if (initialized(c, respond) && inIdle(c, respond)) respond(Status.OK);
    }),
    [RfOid.SET_LISTEN_MODE_ROUTING]: setRouting,
    [RfOid.GET_LISTEN_MODE_ROUTING]: getRouting,
    [RfOid.DISCOVER]: discover,
    [RfOid.DEACTIVATE]: deactivate,
  },
  [Gid.NFCEE]: {
    [NfceeOid.DISCOVER]: nfceeDiscover,
    [NfceeOid.MODE_SET]: nfceeModeSet,
  },
  [Gid.PROPRIETARY]: {
    [NxpOid.CORE_SET_POWER_MODE]: (c, p, respond) => withPayload(core.NXP_CORE_SET_POWER_MODE_CMD.decodePayload(p), respond, (v) => {
      if (!initialized(c, respond)) return;
      if (v.mode > 1) return respond(Status.INVALID_PARAM);
      c.standbyEnabled = v.mode === core.NxpPowerMode.STANDBY_ENABLED;
      respond(Status.OK);
    }),
  },
};

export function handleCommand(c: NfccCore, message: ControlMessage): void {
  const respond = (status: number) => c.sendLater([encodeControl(MessageType.RESPONSE, message.gid, message.oid, Uint8Array.of(status))]);
  const handler = HANDLERS[message.gid]?.[message.oid];
  if (!handler) return respond(Status.SYNTAX_ERROR);
  handler(c, message.payload, respond);
}

/** A data message from the DH (its packets were accepted one by one, with credits): the answer of host card emulation. */
export function handleData(c: NfccCore, message: Extract<Message, { kind: 'data' }>): void {
  c.antenna.dhAnswer(message.payload);
}

// --- Core ---------------------------------------------------------------------------------

function coreReset(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(core.CORE_RESET_CMD.decodePayload(payload), respond, (v) => {
    const raw = payload[0]!;
    if (raw > 1) return respond(Status.INVALID_PARAM);
    c.resetCore(v.resetType === 0);
    c.send(core.CORE_RESET_RSP, { status: Status.OK });
    // NCI 2.0 4.1: the reset's outcome follows the response.
    c.send(core.CORE_RESET_NTF, {
      trigger: core.ResetTrigger.CORE_RESET_CMD,
      configurationStatus: v.resetType === 0 ? 0 : 1,
      nciVersion: NCI_VERSION,
      manufacturerId: NXP_MANUFACTURER_ID,
      manufacturerInfo: MANUFACTURER_INFO,
    });
  });
}

function coreInit(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(core.CORE_INIT_CMD.decodePayload(payload), respond, () => {
    if (c.core !== 'reset') return respond(Status.SEMANTIC_ERROR);
    c.core = 'initialized';
    c.send(core.CORE_INIT_RSP, {
      status: Status.OK,
      // Octet 1 of NFCC Features: technology (b1), protocol (b2) and AID (b3) based listen-mode routing.
      nfccFeatures: 0x0e << 8,
      maxLogicalConnections: 1,
      maxRoutingTableSize: MAX_ROUTING_TABLE_BYTES,
      maxControlPacketPayloadSize: 255,
      maxDataPacketPayloadSizeHci: 0,
      numberOfCreditsHci: 0,
      maxNfcVRfFrameSize: 0,
      supportedRfInterfaces: [RfInterface.NFCEE_DIRECT, RfInterface.FRAME, RfInterface.ISO_DEP].map((rfInterface) => ({ rfInterface, extensions: [] })),
    });
  });
}

/** Value lengths the controller accepts per parameter (NCI 2.0 configuration table). */
const CONFIG_LENGTHS: Record<number, (n: number) => boolean> = {
  [ConfigParam.TOTAL_DURATION]: (n) => n === 2,
  [ConfigParam.CON_DISCOVERY_PARAM]: (n) => n === 1,
  [ConfigParam.LA_BIT_FRAME_SDD]: (n) => n === 1,
  [ConfigParam.LA_PLATFORM_CONFIG]: (n) => n === 1,
  [ConfigParam.LA_SEL_INFO]: (n) => n === 1,
  [ConfigParam.LA_NFCID1]: (n) => n === 0 || n === 4 || n === 7 || n === 10,
  [ConfigParam.LI_A_RATS_TB1]: (n) => n === 1,
  [ConfigParam.LI_A_HIST_BY]: (n) => n <= 15,
  [ConfigParam.RF_FIELD_INFO]: (n) => n === 1,
  [ConfigParam.RF_NFCEE_ACTION]: (n) => n === 1,
};

function setConfig(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(core.CORE_SET_CONFIG_CMD.decodePayload(payload), respond, (v) => {
    if (!initialized(c, respond)) return;
    const refused: number[] = [];
    for (const p of v.parameters) {
      if (CONFIG_LENGTHS[p.id]?.(p.value.length)) c.config.set(p.id, p.value);
      else refused.push(p.id);
    }
    c.send(core.CORE_SET_CONFIG_RSP, { status: refused.length ? Status.INVALID_PARAM : Status.OK, invalidIds: refused });
  });
}

function getConfig(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(core.CORE_GET_CONFIG_CMD.decodePayload(payload), respond, (v) => {
    if (!initialized(c, respond)) return;
    const unknown = v.ids.filter((id) => !c.config.has(id));
    const parameters = unknown.length
      ? unknown.map((id) => ({ id, value: new Uint8Array(0) }))
      : v.ids.map((id) => ({ id, value: c.config.get(id)! }));
    c.send(core.CORE_GET_CONFIG_RSP, { status: unknown.length ? Status.INVALID_PARAM : Status.OK, parameters });
  });
}

// --- NFCEE --------------------------------------------------------------------------------

function nfceeDiscover(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(nfcee.NFCEE_DISCOVER_CMD.decodePayload(payload), respond, () => {
    if (!initialized(c, respond)) return;
    const ee = c.nfcee;
    c.send(nfcee.NFCEE_DISCOVER_RSP, { status: Status.OK, numberOfNfcees: ee ? 1 : 0 });
    if (!ee) return;
    ee.discovered = true;
    c.send(nfcee.NFCEE_DISCOVER_NTF, {
      nfceeId: ee.id,
      status: ee.enabled ? nfcee.NfceeState.ENABLED : nfcee.NfceeState.DISABLED,
      protocols: [NfceeProtocol.APDU],
      info: [],
    });
  });
}

function nfceeModeSet(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(nfcee.NFCEE_MODE_SET_CMD.decodePayload(payload), respond, (v) => {
    if (!initialized(c, respond)) return;
    const ee = c.nfcee;
    if (!ee || v.nfceeId !== ee.id || v.mode > 1) return respond(Status.INVALID_PARAM);
    if (!ee.discovered || c.rf === 'RFST_LISTEN_ACTIVE') return respond(Status.SEMANTIC_ERROR);
    const changed = ee.enabled !== (v.mode === nfcee.NfceeMode.ENABLE);
    ee.enabled = v.mode === nfcee.NfceeMode.ENABLE;
    c.send(nfcee.NFCEE_MODE_SET_RSP, { status: Status.OK });
    c.send(nfcee.NFCEE_MODE_SET_NTF, { status: Status.OK });
    // What the NFCEE needs of RF discovery (listen NFC-A, ISO-DEP): added when it is enabled, removed when disabled.
    if (changed) c.send(rf.RF_NFCEE_DISCOVERY_REQ_NTF, { requests: [{ remove: !ee.enabled, nfceeId: ee.id, techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, rfProtocol: RfProtocol.ISO_DEP }] });
  });
}

// --- RF -----------------------------------------------------------------------------------

function setRouting(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(rf.RF_SET_LISTEN_MODE_ROUTING_CMD.decodePayload(payload), respond, (v) => {
    if (!initialized(c, respond) || !inIdle(c, respond)) return;
    if (v.entries.some((e) => e.type === 'other' || e.type === 'system-code' || (e.type === 'aid' && e.aid.length > 16))) return respond(Status.INVALID_PARAM);
    respond(c.routing.set(v.more, v.entries, MAX_ROUTING_TABLE_BYTES) ? Status.OK : Status.REJECTED);
  });
}

function getRouting(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(rf.RF_GET_LISTEN_MODE_ROUTING_CMD.decodePayload(payload), respond, () => {
    if (!initialized(c, respond)) return;
    respond(Status.OK);
    c.send(rf.RF_GET_LISTEN_MODE_ROUTING_NTF, { more: false, entries: [...c.routing.list()] });
  });
}

const KNOWN_TECH_MODES = new Set<number>(Object.values(RfTechMode));

function discover(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(rf.RF_DISCOVER_CMD.decodePayload(payload), respond, (v) => {
    if (!initialized(c, respond)) return;
    if (c.rf === 'RFST_DISCOVERY') return respond(Status.DISCOVERY_ALREADY_STARTED);
    if (c.rf !== 'RFST_IDLE') return respond(Status.SEMANTIC_ERROR);
    if (v.configurations.length === 0 || v.configurations.some((k) => !KNOWN_TECH_MODES.has(k.techMode) || k.frequency < 1 || k.frequency > 10)) {
      return respond(Status.INVALID_PARAM);
    }
    c.rf = 'RFST_DISCOVERY';
    c.listenA = v.configurations.some((k) => k.techMode === RfTechMode.NFC_A_PASSIVE_LISTEN);
    respond(Status.OK);
    // A reader already in the field is sensed at the first listen phase.
    if (c.antenna.fieldPresent && c.listenA && c.configFlag(ConfigParam.RF_FIELD_INFO)) c.send(rf.RF_FIELD_INFO_NTF, { fieldOn: true });
  });
}

function deactivate(c: NfccCore, payload: Uint8Array, respond: (s: number) => void): void {
  withPayload(rf.RF_DEACTIVATE_CMD.decodePayload(payload), respond, (v) => {
    if (!initialized(c, respond)) return;
    if (v.type > rf.DeactivationType.DISCOVERY) return respond(Status.INVALID_PARAM);
    // NCI 2.0 5.2: in RFST_DISCOVERY only Idle is allowed; in RFST_IDLE nothing is active.
    if (c.rf === 'RFST_IDLE' || (c.rf === 'RFST_DISCOVERY' && v.type !== rf.DeactivationType.IDLE)) return respond(Status.SEMANTIC_ERROR);
    c.antenna.stop('dh');
    const toIdle = v.type === rf.DeactivationType.IDLE;
    c.rf = toIdle ? 'RFST_IDLE' : 'RFST_DISCOVERY';
    if (toIdle) c.listenA = false;
    respond(Status.OK);
    c.send(rf.RF_DEACTIVATE_NTF, { type: toIdle ? rf.DeactivationType.IDLE : rf.DeactivationType.DISCOVERY, reason: rf.DeactivationReason.DH_REQUEST });
  });
}

// ---------------------------------------------------------------------------------------

function withPayload<T>(decoded: Decoded<T>, respond: (s: number) => void, then: (v: T) => void): void {
  if (!decoded.ok) return respond(Status.SYNTAX_ERROR);
  then(decoded.value);
}

function initialized(c: NfccCore, respond: (s: number) => void): boolean {
  if (c.core === 'initialized') return true;
  respond(Status.SEMANTIC_ERROR);
  return false;
}

function inIdle(c: NfccCore, respond: (s: number) => void): boolean {
  if (c.rf === 'RFST_IDLE') return true;
  respond(Status.SEMANTIC_ERROR);
  return false;
}
