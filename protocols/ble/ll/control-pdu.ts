/**
 * Link Layer control PDUs (Core v5.4 Vol 6 Part B 2.4.2): the payload of an
 * LL data channel PDU whose LLID is 0b11 — Opcode, then CtrData. Only the
 * procedures a virtual radio under ble-host runs are coded: connection
 * update (5.1.1), encryption start (5.1.3.1), feature and version exchange
 * (5.1.4, 5.1.5), termination (5.1.6) and rejection (2.4.2.18).
 *
 * LLID of a data channel PDU header (2.4): 0b01 continuation of an L2CAP
 * message or an empty PDU, 0b10 start of an L2CAP message, 0b11 control.
 */
import { fail, ok } from '../bytes';
import type { Result } from '../bytes';
import { layout } from '../layout';
import type { LayoutError, ValuesOf } from '../layout';

export const Llid = { CONTINUATION: 0b01, START: 0b10, CONTROL: 0b11 } as const;
export type Llid = (typeof Llid)[keyof typeof Llid];

/** Vol 6 Part B 2.4.2, Table 2.18 (the opcodes coded here). */
export const LlControlOpcode = {
  CONNECTION_UPDATE_IND: 0x00,
  TERMINATE_IND: 0x02,
  ENC_REQ: 0x03,
  ENC_RSP: 0x04,
  START_ENC_REQ: 0x05,
  START_ENC_RSP: 0x06,
  UNKNOWN_RSP: 0x07,
  FEATURE_REQ: 0x08,
  FEATURE_RSP: 0x09,
  VERSION_IND: 0x0c,
  REJECT_EXT_IND: 0x11,
} as const;

/** CtrData by opcode (2.4.2.1–2.4.2.18); times in 1.25 ms units, timeout in 10 ms. */
const BODIES = {
  CONNECTION_UPDATE_IND: layout({ winSize: 'u8', winOffset: 'u16', interval: 'u16', latency: 'u16', timeout: 'u16', instant: 'u16' }),
  TERMINATE_IND: layout({ errorCode: 'u8' }),
  ENC_REQ: layout({ rand: 8, ediv: 'u16', skdm: 8, ivm: 4 }),
  ENC_RSP: layout({ skds: 8, ivs: 4 }),
  START_ENC_REQ: layout({}),
  START_ENC_RSP: layout({}),
  UNKNOWN_RSP: layout({ unknownType: 'u8' }),
  FEATURE_REQ: layout({ featureSet: 8 }),
  FEATURE_RSP: layout({ featureSet: 8 }),
  VERSION_IND: layout({ versNr: 'u8', compId: 'u16', subVersNr: 'u16' }),
  REJECT_EXT_IND: layout({ rejectOpcode: 'u8', errorCode: 'u8' }),
} as const;

export type LlControlName = keyof typeof BODIES;
export type LlControl = { [K in LlControlName]: { name: K } & ValuesOf<(typeof BODIES)[K]['fields']> }[LlControlName];

export type LlControlError = LayoutError | { reason: 'unknown-opcode'; opcode: number; message: string };

export function encodeLlControl(pdu: LlControl): Uint8Array {
  const body = (BODIES[pdu.name] as { encode(values: unknown): Uint8Array }).encode(pdu);
  const out = new Uint8Array(1 + body.length);
  out[0] = LlControlOpcode[pdu.name];
  out.set(body, 1);
  return out;
}

/** An unknown opcode is answered with LL_UNKNOWN_RSP (2.4.2.8); a wrong length is a malformed PDU. */
export function decodeLlControl(payload: Uint8Array): Result<LlControl, LlControlError> {
  const opcode = payload[0];
  const name = (Object.keys(LlControlOpcode) as LlControlName[]).find((k) => LlControlOpcode[k] === opcode);
  if (opcode === undefined || name === undefined) {
    return fail({ reason: 'unknown-opcode', opcode: opcode ?? -1, message: `LL control opcode ${opcode ?? 'missing'} not coded` });
  }
  const body = BODIES[name].decode(payload.subarray(1));
  if (!body.ok) return body;
  return ok({ name, ...body.value } as LlControl);
}
