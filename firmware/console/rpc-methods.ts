/**
 * The methods of the strap's console RPC (console-rpc.ts). Params and results
 * are JSON; a method refuses bad params by throwing `{code: 'bad-params'}`.
 *
 * One dispatch function with a switch rather than a table of closures: each
 * function object costs JsVars for as long as the strap runs (about 4 each),
 * a switch case costs nothing but flash. Later capabilities add cases.
 */
import type { RpcDispatch } from './console-rpc';
import type { EventStream } from './event-stream';
import type { BleStatus, PowerStatus, RpcFailure, RpcResult, StrapStatus, Transaction, WearerState } from './rpc-types';

declare global {
  interface StorageModule {
    /** Espruino's jsfHashFiles: a hash of the matching files' names and flash addresses (not their contents). */
    hash(pattern?: RegExp): number;
  }
}

/** What the methods read from the rest of the strap (boot passes them). */
export interface RpcSources {
  /** What `strap.status()` answers. */
  status(): StrapStatus;
  /** The scheduler's status; absent until the scheduler runs. */
  powerStatus?: () => PowerStatus;
  /** A heartbeat now; absent until the power policy runs. */
  beatNow?: () => RpcResult<'heartbeat'>;
  /** The BLE side (firmware/ble/); absent when the radio did not start. */
  ble?: { pair(): RpcResult<'ble.pair'>; forget(): RpcResult<'ble.forget'>; status(): BleStatus };
  /** The wearer's phone unlocks (false: the clasp is open) or locks the strap; absent until payments run. */
  unlock?: () => boolean;
  lock?: () => void;
  wearer?: () => WearerState;
  /** The kept transactions, newest first. */
  transactions?: () => Transaction[];
}

export function rpcMethods(sources: RpcSources, events: EventStream): RpcDispatch {
  return function (method, params) {
    switch (method) {
      case 'ping':
        return { echo: params, t: getTime() } satisfies RpcResult<'ping'>;
      case 'status':
        return sources.status() satisfies RpcResult<'status'>;
      // The scheduler's status: power mode, shed level, charge estimate, payments left, tasks, radio window.
      case 'power.status':
        if (!sources.powerStatus) throw failure('not-ready');
        return sources.powerStatus() satisfies RpcResult<'power.status'>;
      case 'memory': {
        const m = process.memory();
        return { free: m.free, usage: m.usage, total: m.total } satisfies RpcResult<'memory'>;
      }
      case 'events.subscribe':
        return events.subscribe() satisfies RpcResult<'events.subscribe'>;
      case 'events.unsubscribe':
        events.unsubscribe();
        return true satisfies RpcResult<'events.unsubscribe'>;
      case 'events.replay':
        return { count: events.replay(numberParam(params, 'from')) } satisfies RpcResult<'events.replay'>;
      // Changes whenever a matching file is written, moved or erased (names + addresses).
      case 'storage.hash': {
        const pattern = field(params, 'pattern');
        if (pattern !== undefined && typeof pattern !== 'string') throw failure('bad-params', 'pattern');
        return { hash: require('Storage').hash(pattern === undefined ? undefined : new RegExp(pattern)) >>> 0 } satisfies RpcResult<'storage.hash'>;
      }
      // What a flasher verifies: the stored bytes of one file.
      case 'storage.crc32': {
        const name = params && field(params, 'name');
        if (typeof name !== 'string') throw failure('bad-params', 'name');
        const data = require('Storage').read(name);
        if (data === undefined) throw failure('not-found', name);
        return { name: name, size: data.length, crc32: E.CRC32(data) >>> 0 } satisfies RpcResult<'storage.crc32'>;
      }
      // For a host on a real-time board that cannot wait up to 10 minutes for the next beat.
      case 'heartbeat':
        if (!sources.beatNow) throw failure('not-ready');
        return sources.beatNow() satisfies RpcResult<'heartbeat'>;
      case 'ble.pair':
        if (!sources.ble) throw failure('not-ready');
        return sources.ble.pair() satisfies RpcResult<'ble.pair'>;
      case 'ble.forget':
        if (!sources.ble) throw failure('not-ready');
        return sources.ble.forget() satisfies RpcResult<'ble.forget'>;
      case 'ble.status':
        if (!sources.ble) throw failure('not-ready');
        return sources.ble.status() satisfies RpcResult<'ble.status'>;
      // The bench's and the phone-less rigs' unlock (the phone uses the wallet service): card emulation follows (payments/card-emulation.ts).
      case 'wearer.unlock':
        if (!sources.unlock || !sources.wearer) throw failure('not-ready');
        if (!sources.unlock()) throw failure('not-ready', 'not worn');
        return sources.wearer() satisfies RpcResult<'wearer.unlock'>;
      case 'wearer.lock':
        if (!sources.lock || !sources.wearer) throw failure('not-ready');
        sources.lock();
        return sources.wearer() satisfies RpcResult<'wearer.lock'>;
      case 'payments.last':
        if (!sources.transactions) throw failure('not-ready');
        return sources.transactions() satisfies RpcResult<'payments.last'>;
      // Answers first, then resets the board after `delayMs` so the reply leaves the UART.
      case 'reboot': {
        const delayMs = field(params, 'delayMs') !== undefined ? numberParam(params, 'delayMs') : 100;
        setTimeout(function () {
          E.reboot();
        }, delayMs);
        return { inMs: delayMs } satisfies RpcResult<'reboot'>;
      }
    }
    throw failure('unknown-method', method);
  };
}

/** `params[name]` when params is an object (JSON params may be anything). */
function field(params: unknown, name: string): unknown {
  return params ? (params as { [key: string]: unknown })[name] : undefined;
}

function numberParam(params: unknown, name: string): number {
  const value = field(params, name);
  if (typeof value !== 'number' || value < 0) throw failure('bad-params', name);
  return value;
}

function failure(code: RpcFailure['code'], message?: string): RpcFailure {
  return message === undefined ? { code: code } : { code: code, message: message };
}
