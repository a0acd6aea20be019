/**
 * The strap's console surface as the wire carries it: `strap.status()`, the
 * console RPC's methods (console-rpc.ts frames them, rpc-methods.ts answers
 * them), its error codes, and the event stream's events (event-stream.ts).
 * Types only: nothing here reaches the bundle. The names and shapes are the
 * wire's; the host's side of the same contract is written from the same
 * facts, so a change here is a change of the protocol
 * (rpc-contract-types.test.ts proves the two the same).
 */

/** `normal`, or `safe`: the stored settings were unusable and the strap runs on defaults (boot/config-store.ts). */
export type StrapMode = 'normal' | 'safe';

/** The power-mode statechart's top state (statecharts/host/power-mode.machine.ts). */
export type PowerMode = 'normal' | 'saver' | 'reserveOnly' | 'off';

/** How a tap ended, as the `[tap]` line and `lastTap` start: paid; declined by the SE (AAC); failed (no transaction from the SE in the field); refused by the brownout guard. */
export type TapOutcome = 'paid' | 'declined' | 'failed' | 'refused brownout';

/** The `tap` event's `why`: '' when it paid, 'failed', 'brownout' (refused: the cell could not carry the SE's peak), or 'declined' (the SE's AAC). */
export type TapWhy = '' | 'failed' | 'brownout' | 'declined';

/** Card emulation: on only while worn, unlocked and admitted by the power policy (payments/card-emulation.ts). */
export type CeState = 'off' | 'starting' | 'on' | 'stopping';

/** `wearer.unlock` / `wearer.lock` answers, the `wearer` event and the status's wearer fields. */
export interface WearerState {
  worn: boolean;
  unlocked: boolean;
  ce: CeState;
}

/** One transaction the SE reported (RF_NFCEE_ACTION_NTF): ATC, amount (minor units) and ISO 4217 currency as the terminal sent them, the SE's verdict, seconds since boot. */
export interface Transaction {
  atc: number;
  amount: number;
  currency: number;
  outcome: 'online' | 'declined';
  upS: number;
}

/** The power policy as the phone hears it: in `strap.status()` and as the `power` event. */
export interface PowerSummary {
  pwr: PowerMode;
  /** Classes shed: 0 none … 4 everything but payments. */
  shed: number;
  /** The firmware's conservative estimate of the charge left, % of capacity (0.1 % steps). */
  estPct: number;
  /** Payments the cell still allows with everything else shed. */
  payLeft: number;
}

/**
 * What `strap.status()` and the RPC `status` answer, keys in this order; the
 * power fields (PowerSummary) once the scheduler runs. A type, not an
 * interface, so that it is also a plain record (board/espruino.d.ts types
 * the `strap` global's status() as one).
 */
export type StrapStatus = Partial<PowerSummary> & Partial<WearerState> & {
  /** `strap 0.1.0` */
  fw: string;
  espruino: string;
  board: string;
  mode: StrapMode;
  upS: number;
  boots: number;
  battPct: number;
  battV: number;
  presses: number;
  /** Taps paid this boot. */
  paid: number;
  /** `<TapOutcome>, payments left <n>`, or '' before the first tap. */
  lastTap: string;
  errors: string[];
  /** Why the strap is in safe mode (only then). */
  safeReason?: string;
};

/** What the RPC `power.status` answers: the scheduler's status. */
export interface PowerStatus {
  mode: PowerMode;
  shed: number;
  estPct: number;
  payLeft: number;
  /** Live tasks (queued or running). */
  tasks: number;
  /** A radio window is open. */
  window: boolean;
}

/** The methods by name: params (JSON; `null` when the host sends none) and result. */
export interface RpcMethods {
  ping: { params: unknown; result: { echo: unknown; t: number } };
  status: { params: null; result: StrapStatus };
  'power.status': { params: null; result: PowerStatus };
  memory: { params: null; result: { free: number; usage: number; total: number } };
  'events.subscribe': { params: null; result: SubscriptionStart };
  'events.unsubscribe': { params: null; result: true };
  /** The kept events with seq >= from are printed again before the reply. */
  'events.replay': { params: { from: number }; result: { count: number } };
  /** Espruino's Storage.hash over the matching files' names and flash addresses (not contents); `pattern` is a RegExp source. */
  'storage.hash': { params: { pattern?: string } | null; result: { hash: number } };
  /** The stored bytes of one file. */
  'storage.crc32': { params: { name: string }; result: { name: string; size: number; crc32: number } };
  /** Beats now (the `[hb]` line and `hb` event, as the next tick would) and answers the beat's data. */
  heartbeat: { params: null; result: StrapEvents['hb'] };
  /** Answers, then E.reboot() after delayMs (default 100). */
  reboot: { params: { delayMs?: number } | null; result: { inMs: number } };
  /** Opens the 60 s pairing window, as a long press does, and answers its passkey (what the NFC tag shows); `why: 'full'` when the bond list is full. */
  'ble.pair': { params: null; result: { window: boolean; why: '' | 'full'; passkey?: string } };
  /** Forgets every bonded phone (Espruino erases bonds only all at once). */
  'ble.forget': { params: null; result: { forgotten: number } };
  'ble.status': { params: null; result: BleStatus };
  /** Unlocks the worn strap (card emulation follows); `not-ready` while the clasp is open. */
  'wearer.unlock': { params: null; result: WearerState };
  'wearer.lock': { params: null; result: WearerState };
  /** The last transactions (at most 5), newest first. */
  'payments.last': { params: null; result: Transaction[] };
}

/** What `ble.status` answers. */
export interface BleStatus {
  /** The pairing window is open. */
  window: boolean;
  bonds: number;
  maxBonds: number;
  connected: boolean;
  /** Seconds left of a failed attempt's back-off. */
  backoffS: number;
}

export type RpcMethodName = keyof RpcMethods;
export type RpcParams<M extends RpcMethodName> = RpcMethods[M]['params'];
export type RpcResult<M extends RpcMethodName> = RpcMethods[M]['result'];

/** `events.subscribe`: the boot, and the last seq printed before this subscription. */
export interface SubscriptionStart {
  boots: number;
  seq: number;
}

/**
 * The codes of an error reply (`{code, message?}`): a frame refused before
 * anything ran (bad-crc, bad-frame, too-long), or a method that did not answer
 * (unknown-method, bad-params, not-ready, not-found, failed: it threw).
 */
export type RpcErrorCode = 'bad-crc' | 'bad-frame' | 'too-long' | 'unknown-method' | 'bad-params' | 'not-ready' | 'not-found' | 'failed';

/** An error reply's JSON; what a method throws to answer with a code (a plain object: `extends Error` is broken on Espruino). */
export interface RpcFailure {
  code: RpcErrorCode;
  message?: string;
}

/** The event stream's events by name, with their data. */
export interface StrapEvents {
  /** First event of a boot's first subscription. */
  boot: { boots: number; mode: StrapMode; upS: number };
  /** After `boot`, in safe mode. */
  safe: { reason: string };
  btn: { long: boolean; heldMs: number; presses: number };
  /** Each heartbeat. */
  hb: { upS: number; battPct: number; battV: number; mode: StrapMode };
  /** When the payments left, the shed level or the power mode change (checked at each heartbeat and tap). */
  power: PowerSummary;
  /** Each tap, with the payments left after it, and the SE's transaction when it reported one. */
  tap: { ok: boolean; why: TapWhy; payLeft: number; atc?: number; amount?: number; currency?: number };
  /** Card emulation started or stopped. */
  wearer: WearerState;
  /** A paid tap's notice to the phone, sent in its radio window: `paid; payments left <n>`. */
  notice: { text: string };
}

export type StrapEventName = keyof StrapEvents;
