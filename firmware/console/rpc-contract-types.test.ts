// The firmware's RPC surface (rpc-types.ts) and the host's contract
// (protocols/strap-rpc/contract.ts) are the same types: every method's
// params and result, every event's data, and the unions. Checked by the type
// checker (this file is in the root tsconfig.json, so `npm run typecheck`
// fails on a difference, naming the method or event); the run-time part
// checks that the lists it names are the contract's, and that every
// TapOutcome makes a `lastTap` the contract's pattern takes. The one
// difference, params two methods also run without, is named below
// (AlsoWithoutParams). What the built firmware
// really answers is checked against the contract on the virtual board
// (sim/scenario/rpc-contract.test.ts).
import { describe, expect, it } from 'vitest';
import {
  EVENTS,
  FAILURE_CODES,
  METHODS,
  POWER_MODES,
  STRAP_MODES,
  TAP_END_REASONS,
  CE_STATES,
  TRANSACTION_OUTCOMES,
  type CeState as ContractCeState,
  type Transaction as ContractTransaction,
  type WearerState as ContractWearerState,
  type EventData,
  type EventName,
  type FailureCode,
  type MethodName,
  type ParamsOf,
  type PowerMode as ContractPowerMode,
  type PowerReport,
  type PowerStatus as ContractPowerStatus,
  type ResultOf,
  type RpcFailure as ContractRpcFailure,
  type StrapMode as ContractStrapMode,
  type StrapStatus as ContractStrapStatus,
  type SubscriptionStart as ContractSubscriptionStart,
  type TapEndReason,
  readResult,
} from '../../protocols/strap-rpc/contract';
import type {
  PowerMode,
  PowerStatus,
  PowerSummary,
  RpcErrorCode,
  RpcFailure,
  RpcMethodName,
  RpcParams,
  RpcResult,
  StrapEventName,
  StrapEvents,
  StrapMode,
  StrapStatus,
  SubscriptionStart,
  TapOutcome,
  TapWhy,
  CeState,
  Transaction,
  WearerState,
} from './rpc-types';

/**
 * True when A and B are the same type: the same fields, each as optional and
 * of the same type, at every depth. Mutual assignability is not enough (an
 * optional field one side lacks passes it), so both are flattened (an
 * intersection and the interface it spells are the same) and compared as the
 * type checker compares identical types.
 */
type Same<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;
type Flat<T> = T extends object ? { [K in keyof T]: Flat<T[K]> } : T;

/**
 * The params of a call as they reach the strap. The contract types how a host
 * calls: `undefined` is params left out, which the codec sends as `null`
 * (protocols/strap-rpc/frame.ts encodeRequest); the firmware types what
 * JSON.parse gives it, where nothing is `null`.
 */
type Sent<P> = Exclude<P, undefined> | (undefined extends P ? null : never);
/**
 * The methods the strap also runs with no params (`null`: all files, 100 ms),
 * where the contract has a host send an object, `{}` at least. The one
 * difference between the two sides, and in the direction that does no harm:
 * whatever a host sends, the strap takes.
 */
type AlsoWithoutParams = 'storage.hash' | 'reboot';
type Taken<M extends MethodName> = Sent<ParamsOf<M>> | (M extends AlsoWithoutParams ? null : never);

// Every method, both ways: a field the host sends that the strap does not read, or one the strap answers that the host does not name, fails here.
const methods: { [M in MethodName & RpcMethodName]: { params: Same<RpcParams<M>, Taken<M>>; result: Same<RpcResult<M>, ResultOf<M>> } } = {
  ping: { params: true, result: true },
  status: { params: true, result: true },
  'power.status': { params: true, result: true },
  memory: { params: true, result: true },
  'events.subscribe': { params: true, result: true },
  'events.unsubscribe': { params: true, result: true },
  'events.replay': { params: true, result: true },
  'storage.hash': { params: true, result: true },
  'storage.crc32': { params: true, result: true },
  heartbeat: { params: true, result: true },
  reboot: { params: true, result: true },
  'ble.pair': { params: true, result: true },
  'ble.forget': { params: true, result: true },
  'ble.status': { params: true, result: true },
  'wearer.unlock': { params: true, result: true },
  'wearer.lock': { params: true, result: true },
  'payments.last': { params: true, result: true },
};

const events: { [E in EventName & StrapEventName]: Same<StrapEvents[E], EventData<E>> } = {
  boot: true,
  safe: true,
  btn: true,
  hb: true,
  power: true,
  tap: true,
  notice: true,
  wearer: true,
};

// The names, the unions and the named shapes.
const surface: {
  methodNames: Same<RpcMethodName, MethodName>;
  eventNames: Same<StrapEventName, EventName>;
  strapMode: Same<StrapMode, ContractStrapMode>;
  powerMode: Same<PowerMode, ContractPowerMode>;
  errorCode: Same<RpcErrorCode, FailureCode>;
  tapWhy: Same<TapWhy, TapEndReason>;
  failure: Same<RpcFailure, ContractRpcFailure>;
  status: Same<StrapStatus, ContractStrapStatus>;
  powerSummary: Same<PowerSummary, PowerReport>;
  powerStatus: Same<PowerStatus, ContractPowerStatus>;
  subscription: Same<SubscriptionStart, ContractSubscriptionStart>;
  ceState: Same<CeState, ContractCeState>;
  wearer: Same<WearerState, ContractWearerState>;
  transaction: Same<Transaction, ContractTransaction>;
} = {
  methodNames: true,
  eventNames: true,
  strapMode: true,
  powerMode: true,
  errorCode: true,
  tapWhy: true,
  failure: true,
  status: true,
  powerSummary: true,
  powerStatus: true,
  subscription: true,
  ceState: true,
  wearer: true,
  transaction: true,
};

// The unions' members, listed once more as records the type checker holds to the firmware's unions.
const strapModes: Record<StrapMode, true> = { normal: true, safe: true };
const powerModes: Record<PowerMode, true> = { normal: true, saver: true, reserveOnly: true, off: true };
const errorCodes: Record<RpcErrorCode, true> = {
  'bad-crc': true,
  'bad-frame': true,
  'too-long': true,
  'unknown-method': true,
  'bad-params': true,
  'not-ready': true,
  'not-found': true,
  failed: true,
};
const tapWhys: Record<TapWhy, true> = { '': true, failed: true, brownout: true, declined: true };
const ceStates: Record<CeState, true> = { off: true, starting: true, on: true, stopping: true };
const transactionOutcomes: Record<Transaction['outcome'], true> = { online: true, declined: true };
// How `lastTap` starts: a string on both sides, which the contract checks with a pattern.
const tapOutcomes: Record<TapOutcome, true> = { paid: true, declined: true, failed: true, 'refused brownout': true };

const STATUS: StrapStatus = { fw: 'strap 0.1.0', espruino: '2v29', board: 'PUCKJS', mode: 'normal', upS: 1, boots: 1, battPct: 80, battV: 3.95, presses: 0, paid: 0, lastTap: '', errors: [] };

const sorted = (names: Iterable<string>) => [...names].sort();

describe("the firmware's RPC types are the contract's", () => {
  it('for every method, event and union (checked by the type checker)', () => {
    expect(Object.values(methods).every((method) => method.params && method.result)).toBe(true);
    expect(Object.values(events).every(Boolean)).toBe(true);
    expect(Object.values(surface).every(Boolean)).toBe(true);
  });

  it("naming the contract's methods and events, and its unions' members", () => {
    expect(sorted(Object.keys(methods))).toEqual(sorted(Object.keys(METHODS)));
    expect(sorted(Object.keys(events))).toEqual(sorted(Object.keys(EVENTS)));
    expect(sorted(Object.keys(strapModes))).toEqual(sorted(STRAP_MODES));
    expect(sorted(Object.keys(powerModes))).toEqual(sorted(POWER_MODES));
    expect(sorted(Object.keys(errorCodes))).toEqual(sorted(FAILURE_CODES));
    expect(sorted(Object.keys(tapWhys))).toEqual(sorted(TAP_END_REASONS));
    expect(sorted(Object.keys(ceStates))).toEqual(sorted(CE_STATES));
    expect(sorted(Object.keys(transactionOutcomes))).toEqual(sorted(TRANSACTION_OUTCOMES));
  });

  it("writing every TapOutcome in `lastTap` as the contract's pattern has it", () => {
    for (const outcome of Object.keys(tapOutcomes)) {
      const lastTap = outcome + ', payments left 3';
      expect(readResult('status', { ...STATUS, lastTap }, { exact: true }).ok, lastTap).toBe(true);
    }
  });
});
