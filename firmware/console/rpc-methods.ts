/**
 * The methods of the strap's console RPC (console-rpc.ts). Params and results
 * are JSON; a method refuses bad params by throwing `{code: 'bad-params', message: <field>}`. Failures
 * are thrown as object literals (rpc-types.ts RpcFailure), not made by a shared function: one function
 * fewer kept for as long as the strap runs.
 *
 * One dispatch function with a switch rather than a table of closures: each
 * function object costs JsVars for as long as the strap runs (about 4 each),
 * a switch case costs nothing but flash. Later capabilities add cases.
 */
import type { RpcDispatch } from './console-rpc';
import { replay, subscribe, unsubscribe } from './event-stream';
import type { BleStatus, PowerStatus, RpcFailure, RpcResult, StrapStatus, Transaction, WearerState } from './rpc-types';

declare global {
  interface StorageModule {
    /** Espruino's jsfHashFiles: a hash of the matching files' names and flash addresses (not their contents). */
    hash(pattern?: RegExp): number;
  }
}

// What the methods read from the rest of the strap: boot passes its own
// objects (no object of sources made for them: on Espruino it would cost RAM
// for as long as the strap runs).

/** The power policy (power/power.ts): the scheduler's status, a heartbeat now. */
export interface RpcPower {
  scheduler: { status(): PowerStatus };
  beatNow(): RpcResult<'heartbeat'>;
}

/**
 * `status` is what `strap.status()` answers; `transactions` the kept
 * transactions, newest first; `blePair`, `bleForget` and `bleStatus` are the BLE side's (firmware/ble/pairing.ts),
 * absent when the radio did not start (their methods answer not-ready): three functions rather than an object of them.
 */
export function rpcMethods(
  status: () => StrapStatus,
  power: RpcPower,
  // Card emulation's (payments/card-emulation.ts): the wearer's phone unlocks (false: the clasp is open) or
  // locks the strap. Three functions rather than an object of them: no object kept, the names are the scope's.
  unlock: () => boolean,
  lock: () => void,
  wearerState: () => WearerState,
  transactions: () => Transaction[],
  blePair: (() => RpcResult<'ble.pair'>) | undefined,
  bleForget: (() => RpcResult<'ble.forget'>) | undefined,
  bleStatus: (() => BleStatus) | undefined,
): RpcDispatch {
  return function (method, params) {
    switch (method) {
      case 'ping':
        return { echo: params, t: getTime() } satisfies RpcResult<'ping'>;
      case 'status':
        return status() satisfies RpcResult<'status'>;
      // The scheduler's status: power mode, shed level, charge estimate, payments left, tasks, radio window.
      case 'power.status':
        return power.scheduler.status() satisfies RpcResult<'power.status'>;
      case 'memory': {
        const m = process.memory();
        return { free: m.free, usage: m.usage, total: m.total } satisfies RpcResult<'memory'>;
      }
      case 'events.subscribe':
        return subscribe() satisfies RpcResult<'events.subscribe'>;
      case 'events.unsubscribe':
        unsubscribe();
        return true satisfies RpcResult<'events.unsubscribe'>;
      case 'events.replay':
        return { count: replay(param(params, 'from', 'number')) } satisfies RpcResult<'events.replay'>;
      // Changes whenever a matching file is written, moved or erased (names + addresses).
      case 'storage.hash': {
        const pattern = param(params, 'pattern', 'string', true);
        return { hash: require('Storage').hash(pattern === undefined ? undefined : new RegExp(pattern)) >>> 0 } satisfies RpcResult<'storage.hash'>;
      }
      // What a flasher verifies: the stored bytes of one file.
      case 'storage.crc32': {
        const name = param(params, 'name', 'string');
        const data = require('Storage').read(name);
        if (data === undefined) throw { code: 'not-found', message: name } satisfies RpcFailure;
        return { name: name, size: data.length, crc32: E.CRC32(data) >>> 0 } satisfies RpcResult<'storage.crc32'>;
      }
      // For a host on a real-time board that cannot wait up to 10 minutes for the next beat.
      case 'heartbeat':
        return power.beatNow() satisfies RpcResult<'heartbeat'>;
      case 'ble.pair':
        if (!blePair) throw { code: 'not-ready' } satisfies RpcFailure;
        return blePair() satisfies RpcResult<'ble.pair'>;
      case 'ble.forget':
        if (!bleForget) throw { code: 'not-ready' } satisfies RpcFailure;
        return bleForget() satisfies RpcResult<'ble.forget'>;
      case 'ble.status':
        if (!bleStatus) throw { code: 'not-ready' } satisfies RpcFailure;
        return bleStatus() satisfies RpcResult<'ble.status'>;
      // The bench's and the phone-less rigs' unlock (the phone uses the wallet service): card emulation follows (payments/card-emulation.ts).
      case 'wearer.unlock':
        if (!unlock()) throw { code: 'not-ready', message: 'not worn' } satisfies RpcFailure;
        return wearerState() satisfies RpcResult<'wearer.unlock'>;
      case 'wearer.lock':
        lock();
        return wearerState() satisfies RpcResult<'wearer.lock'>;
      case 'payments.last':
        return transactions() satisfies RpcResult<'payments.last'>;
      // Answers first, then resets the board after `delayMs` so the reply leaves the UART.
      case 'reboot': {
        const delayMs = param(params, 'delayMs', 'number', true);
        const inMs = delayMs === undefined ? 100 : delayMs;
        setTimeout(function () {
          E.reboot();
        }, inMs);
        return { inMs: inMs } satisfies RpcResult<'reboot'>;
      }
    }
    throw { code: 'unknown-method', message: method } satisfies RpcFailure;
  };
}

/**
 * `params[name]` (JSON params may be anything: no object, no such field), checked: a `type` value, and a
 * number never negative; absent only when `optional` (then undefined). Anything else is refused as
 * `bad-params` naming the field. One checker for every method: each function kept costs RAM for as long
 * as the strap runs.
 */
function param(params: unknown, name: string, type: 'number', optional?: false): number;
function param(params: unknown, name: string, type: 'number', optional: true): number | undefined;
function param(params: unknown, name: string, type: 'string', optional?: false): string;
function param(params: unknown, name: string, type: 'string', optional: true): string | undefined;
function param(params: unknown, name: string, type: 'number' | 'string', optional?: boolean): number | string | undefined {
  const value = params ? (params as { [key: string]: unknown })[name] : undefined;
  if (value === undefined && optional) return undefined;
  if (typeof value !== type || (type === 'number' && (value as number) < 0)) throw { code: 'bad-params', message: name } satisfies RpcFailure;
  return value as number | string;
}
