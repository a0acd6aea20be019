/**
 * The side channel between the pty rig (host) and the board process: one
 * JSON object per line, requests on the process's stdin, replies on its
 * stdout. The console itself never goes this way: it is on the
 * pseudo-terminal, as a bench board's is on its USB serial port.
 *
 *   → {"id":3,"op":"press","holdMs":150}
 *   ← {"id":3,"ok":true,"value":null}
 *   ← {"id":4,"ok":false,"error":"unknown op: x"}
 *   ← {"ready":true,"linkPath":"/tmp/…/ttyStrap"}      once, at start
 */
import type { BleHostLink, BleOutcome, BleTraceMark, BleWalletOp, BleWalletStatus, CurrentWindow, EnergyExport, LedEdge, LedName, NfcTagRead, PosPurchase, PosTap } from '../../rig/rig';
import type { ChargeMark } from '../virtual/virtual-probes';

/** The parameters of an op that takes none: an empty object on the wire. */
type NoParams = Record<string, never>;

/** Each op with its parameters and what it answers. */
export interface ControlOps {
  now: { params: NoParams; value: number };
  /** Skip board time ahead by `ms` (the pace resumes afterwards). */
  advance: { params: { ms: number }; value: number };
  /** Skip ahead event by event until the board prints something, at most to `untilMs`. */
  'advance-until-output': { params: { untilMs: number }; value: number };
  press: { params: { holdMs: number }; value: null };
  'power-cycle': { params: { offMs: number }; value: null };
  'power-off': { params: NoParams; value: null };
  'power-on': { params: NoParams; value: null };
  'reset-pin': { params: NoParams; value: null };
  battery: { params: { percent: number }; value: null };
  /** A POS terminal taps with this purchase (its exchange runs the board's clock meanwhile); its outcome. */
  'pos-tap': { params: PosPurchase; value: PosTap };
  /** The clasp's contact closed (worn) or open. */
  clasp: { params: { closed: boolean }; value: null };
  'board-sends': { params: { bytes: string }; value: null };
  /** Take the pty away (socat stops, the device node goes) or bring it back at the same path. */
  link: { params: { up: boolean }; value: null };
  'charge-mark': { params: NoParams; value: ChargeMark };
  'current-window': { params: { from: ChargeMark }; value: CurrentWindow };
  energy: { params: { fromMs: number; toMs: number }; value: EnergyExport };
  'led-edges': { params: { sinceMs: number }; value: LedEdge[] };
  'led-levels': { params: NoParams; value: Record<LedName, boolean> };
  'haptic-pulses': { params: { sinceMs: number }; value: { onMs: number; timeMs: number }[] };
  /** The phone (ble-central): each step runs the board's clock while it lasts (the pace holds meanwhile). */
  'ble-pair': { params: { passkey?: string }; value: BleOutcome };
  'ble-reconnect': { params: NoParams; value: BleOutcome };
  'ble-battery': { params: NoParams; value: number };
  'ble-wallet-status': { params: NoParams; value: BleWalletStatus };
  /** A wallet op (the param is not `op`: the request's own field names the control op). */
  'ble-wallet': { params: { walletOp: BleWalletOp }; value: BleOutcome };
  'ble-disconnect': { params: NoParams; value: null };
  'ble-forget-bond': { params: NoParams; value: null };
  'ble-trace-mark': { params: NoParams; value: BleTraceMark };
  /** Both HCI traces since the mark, btsnoop in base64. */
  'ble-btsnoop': { params: { since: BleTraceMark }; value: { strap: string; phone: string } };
  /** The phone's controller as H4 over TCP for the runner's BLE transport; the board's pace runs the air meanwhile. */
  'ble-lend-radio': { params: NoParams; value: BleHostLink };
  'ble-take-radio-back': { params: NoParams; value: null };
  /** A reader held to the strap's NFC tag. */
  'nfc-read': { params: NoParams; value: NfcTagRead };
  exit: { params: NoParams; value: null };
}

export type ControlOp = keyof ControlOps;
export type ControlRequest = { id: number; op: ControlOp } & Record<string, unknown>;
export type ControlReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
export interface ReadyNotice {
  ready: true;
  linkPath: string;
}
