/**
 * The strap's console RPC, typed once: every method (name → params, result)
 * and every event (name → data), with the runtime checks that make a reply
 * checked rather than cast. Specification: README.md here ("Methods",
 * "Events", "Errors"); the firmware's side is firmware/console/rpc-methods.ts,
 * status.ts, boot.ts and power.ts, and sim/scenario/rpc-contract.test.ts
 * proves this table is what the built firmware answers and emits.
 */
import { arrayOf, boolean, checked, json, matching, nothing, number, object, oneOf, string, type Checked, type CheckOptions, type Validator } from './check';

export type { Checked, CheckOptions, Misfit, Validator } from './check';

/** `mode`: how the strap booted; safe = unusable settings, running on defaults (firmware/console/status.ts Mode). */
export const STRAP_MODES = ['normal', 'safe'] as const;
export type StrapMode = (typeof STRAP_MODES)[number];

/** The power-mode statechart's top states (firmware/statecharts/power-mode.machine.ts). */
export const POWER_MODES = ['normal', 'saver', 'reserveOnly', 'off'] as const;
export type PowerMode = (typeof POWER_MODES)[number];

/** How the scheduler ended a tap's task (firmware/power/task-spec.ts TaskOutcome); the strap says `paid` for done. */
export const TAP_OUTCOMES = ['done', 'failed', 'shed', 'refused'] as const;
export type TapOutcome = (typeof TAP_OUTCOMES)[number];

/**
 * Why a tap did not pay, '' when it did: the payment session's last failure
 * (firmware/statecharts/payment-session.model.ts, the firmware's TapWhy in
 * firmware/console/rpc-types.ts): failed (the field went without a
 * transaction from the SE, e.g. lost mid-tap, or outlasted the session's
 * limit), brownout (refused: the cell could not carry the SE's peak), or
 * declined (the SE answered with an AAC: token suspended, offline-only
 * reader). A tap the scheduler drops (shipping mode) is not reported; a
 * payment task is never shed, and the session ends it before its deadline.
 */
export const TAP_END_REASONS = ['', 'failed', 'brownout', 'declined'] as const;
export type TapEndReason = (typeof TAP_END_REASONS)[number];

/**
 * Card emulation (firmware/payments/card-emulation.ts): on only while the
 * strap is worn (clasp closed), unlocked by the wearer's phone and admitted
 * by the power policy; starting / stopping while the SE and NFC controller
 * are brought up or put away.
 */
export const CE_STATES = ['off', 'starting', 'on', 'stopping'] as const;
export type CeState = (typeof CE_STATES)[number];

/** What `wearer.unlock` and `wearer.lock` answer, and the wearer's part of the status. */
export interface WearerState {
  worn: boolean;
  unlocked: boolean;
  ce: CeState;
}

/** How the SE ended a transaction (its cryptogram): online (an ARQC for the issuer) or declined (an AAC). */
export const TRANSACTION_OUTCOMES = ['online', 'declined'] as const;
export type TransactionOutcome = (typeof TRANSACTION_OUTCOMES)[number];

/** One transaction as the SE reported it to the strap (RF_NFCEE_ACTION_NTF), newest first in `payments.last`. */
export interface Transaction {
  /** The SE's application transaction counter for it. */
  atc: number;
  /** Amount authorised, minor units, as the terminal sent it. */
  amount: number;
  /** ISO 4217 numeric currency, as the terminal sent it. */
  currency: number;
  outcome: TransactionOutcome;
  /** Seconds since boot when the strap heard of it. */
  upS: number;
}

/** What a method answers with `ok 0` (README.md "Errors"); bad-crc, bad-frame and too-long refuse a damaged request. */
export const FAILURE_CODES = ['unknown-method', 'bad-params', 'not-found', 'not-ready', 'failed', 'bad-crc', 'bad-frame', 'too-long'] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export interface RpcFailure {
  code: FailureCode;
  message?: string;
}

/** What `strap.status()` and the `status` method answer. */
export interface StrapStatus {
  fw: string;
  espruino: string;
  board: string;
  mode: StrapMode;
  upS: number;
  boots: number;
  battPct: number;
  battV: number;
  presses: number;
  /** Taps paid since boot. */
  paid: number;
  /** How the last tap went: `paid, payments left 12`, `refused brownout, payments left 0`; '' before the first. */
  lastTap: string;
  /** E.getErrorFlags(). */
  errors: string[];
  safeReason?: string;
  /** The scheduler's view (firmware/power), once it runs. */
  pwr?: PowerMode;
  /** Classes shed: 0 none … 4 everything but payments. */
  shed?: number;
  /** The firmware's estimate of the charge left (%). */
  estPct?: number;
  /** Payments the cell still allows with everything else shed. */
  payLeft?: number;
  /** The wearer (card emulation), once payments run. */
  worn?: boolean;
  unlocked?: boolean;
  ce?: CeState;
}

/** The power report: `power` events, and the scheduler's part of the status. */
export interface PowerReport {
  pwr: PowerMode;
  shed: number;
  estPct: number;
  payLeft: number;
}

/** What `power.status` answers: the scheduler's status. */
export interface PowerStatus {
  mode: PowerMode;
  shed: number;
  estPct: number;
  payLeft: number;
  tasks: number;
  window: boolean;
}

export interface SubscriptionStart {
  boots: number;
  /** The last event seq the strap printed before this subscription. */
  seq: number;
}

const lastTap = matching(
  new RegExp(`^$|^(paid|declined|(${TAP_OUTCOMES.join('|')})( (${TAP_END_REASONS.filter(Boolean).join('|')}))?), payments left \\d+$`),
  '"" or "<paid | declined | outcome [reason]>, payments left <n>"',
);
const strapStatus: Validator<StrapStatus> = object(
  { fw: string, espruino: string, board: string, mode: oneOf(STRAP_MODES), upS: number, boots: number, battPct: number, battV: number, presses: number, paid: number, lastTap, errors: arrayOf(string) },
  { safeReason: string, pwr: oneOf(POWER_MODES), shed: number, estPct: number, payLeft: number, worn: boolean, unlocked: boolean, ce: oneOf(CE_STATES) },
);
const wearerState: Validator<WearerState> = object({ worn: boolean, unlocked: boolean, ce: oneOf(CE_STATES) });
const transaction: Validator<Transaction> = object({ atc: number, amount: number, currency: number, outcome: oneOf(TRANSACTION_OUTCOMES), upS: number });
const powerReport: Validator<PowerReport> = object({ pwr: oneOf(POWER_MODES), shed: number, estPct: number, payLeft: number });
const powerStatus: Validator<PowerStatus> = object({ mode: oneOf(POWER_MODES), shed: number, estPct: number, payLeft: number, tasks: number, window: boolean });
const heartbeat = object({ upS: number, battPct: number, battV: number, mode: oneOf(STRAP_MODES) });
const subscriptionStart: Validator<SubscriptionStart> = object({ boots: number, seq: number });

/** The methods (firmware/console/rpc-methods.ts): params as sent, result as answered. */
export const METHODS = {
  ping: { params: json, result: object({ echo: json, t: number }) },
  status: { params: nothing, result: strapStatus },
  'power.status': { params: nothing, result: powerStatus },
  /** process.memory(), in JsVars. */
  memory: { params: nothing, result: object({ free: number, usage: number, total: number }) },
  'events.subscribe': { params: nothing, result: subscriptionStart },
  'events.unsubscribe': { params: nothing, result: oneOf([true] as const) },
  /** The kept events from `from` are printed again before the reply. */
  'events.replay': { params: object({ from: number }), result: object({ count: number }) },
  /** The content CRC-32 of one Storage file; `not-found` without it. */
  'storage.crc32': { params: object({ name: string }), result: object({ name: string, size: number, crc32: number }) },
  /** Espruino's Storage.hash over names and flash addresses (not contents) of the files matching `pattern` (RegExp source). */
  'storage.hash': { params: object({}, { pattern: string }), result: object({ hash: number }) },
  /** Beats now, as the heartbeat's next tick would: the `[hb]` line and `hb` event, whose data it answers. The cadence is unchanged. */
  heartbeat: { params: nothing, result: heartbeat },
  /** Answers, then E.reboot() after `delayMs` (default 100). */
  reboot: { params: object({}, { delayMs: number }), result: object({ inMs: number }) },
  /** Opens the 60 s pairing window as a long press does; `why: 'full'` (window false) when the bond list is full. */
  'ble.pair': { params: nothing, result: object({ window: boolean, why: oneOf(['', 'full'] as const) }, { passkey: string }) },
  /** Erases every bond (Espruino cannot erase one); the count the list held. */
  'ble.forget': { params: nothing, result: object({ forgotten: number }) },
  'ble.status': { params: nothing, result: object({ window: boolean, bonds: number, maxBonds: number, connected: boolean, backoffS: number }) },
  /** The wearer's phone unlocks the worn strap: card emulation starts (when the power policy admits it). `not-ready` when the clasp is open. */
  'wearer.unlock': { params: nothing, result: wearerState },
  /** Locks the strap: card emulation stops. */
  'wearer.lock': { params: nothing, result: wearerState },
  /** The last transactions the SE reported (at most 5), newest first. */
  'payments.last': { params: nothing, result: arrayOf(transaction) },
} satisfies Record<string, { params: Validator<unknown>; result: Validator<unknown> }>;

/** The events (firmware/boot/boot.ts, power.ts): name → data. */
export const EVENTS = {
  /** First of a boot's first subscription. */
  boot: object({ boots: number, mode: oneOf(STRAP_MODES), upS: number }),
  /** After `boot`, in safe mode. */
  safe: object({ reason: string }),
  btn: object({ long: boolean, heldMs: number, presses: number }),
  hb: heartbeat,
  /** When the payments left, the shed level or the power mode change. */
  power: powerReport,
  /** Each tap (a reader's field while card emulation is on): the SE's transaction, when it reported one. */
  tap: object({ ok: boolean, why: oneOf(TAP_END_REASONS), payLeft: number }, { atc: number, amount: number, currency: number }),
  /** Card emulation started or stopped (worn, unlocked, admitted). */
  wearer: wearerState,
  /** A paid tap's notice to the phone, once its radio window opens. */
  notice: object({ text: string }),
} satisfies Record<string, Validator<unknown>>;

export type MethodName = keyof typeof METHODS;
type Unchecked<V> = V extends Validator<infer T> ? T : never;
export type ParamsOf<M extends MethodName> = Unchecked<(typeof METHODS)[M]['params']>;
export type ResultOf<M extends MethodName> = Unchecked<(typeof METHODS)[M]['result']>;
export type EventName = keyof typeof EVENTS;
export type EventData<E extends EventName> = Unchecked<(typeof EVENTS)[E]>;
/** A named event with its data, as one union (narrow on `name`). */
export type StrapEvent = { [E in EventName]: { name: E; data: EventData<E> } }[EventName];

export const rpcFailure: Validator<RpcFailure> = object({ code: oneOf(FAILURE_CODES) }, { message: string });

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENTS, name);
}

/** A method's result checked against the contract. */
export function readResult<M extends MethodName>(method: M, value: unknown, options?: CheckOptions): Checked<ResultOf<M>> {
  return checked(METHODS[method].result as Validator<ResultOf<M>>, value, options);
}

export function readParams<M extends MethodName>(method: M, value: unknown, options?: CheckOptions): Checked<ParamsOf<M>> {
  return checked(METHODS[method].params as Validator<ParamsOf<M>>, value, options);
}

/** An event's data checked against the contract. */
export function readEvent<E extends EventName>(name: E, data: unknown, options?: CheckOptions): Checked<EventData<E>> {
  return checked(EVENTS[name] as Validator<EventData<E>>, data, options);
}

/** The error object of an `ok 0` reply checked against the contract. */
export function readFailure(value: unknown, options?: CheckOptions): Checked<RpcFailure> {
  return checked(rpcFailure, value, options);
}
