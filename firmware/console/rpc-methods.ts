/**
 * The methods of the strap's console RPC (console-rpc.ts). Params and results
 * are JSON; a method refuses bad params by throwing `{code: 'bad-params'}`.
 *
 * One dispatch function with a switch rather than a table of closures: each
 * function object costs JsVars for as long as the strap runs (about 4 each),
 * a switch case costs nothing but flash. Later capabilities add cases.
 */
import type { EventStream } from './event-stream';
import type { RpcDispatch } from './console-rpc';
import { status, StrapState } from './status';

declare global {
  interface StorageModule {
    /** Espruino's jsfHashFiles: a hash of the matching files' names and flash addresses (not their contents). */
    hash(pattern?: RegExp): number;
  }
}

export function rpcMethods(state: StrapState, events: EventStream): RpcDispatch {
  return function (method: string, params: any): unknown {
    switch (method) {
      case 'ping':
        return { echo: params, t: getTime() };
      case 'status':
        return status(state);
      // The scheduler's status: power mode, shed level, charge estimate, payments left, tasks, radio window.
      case 'power.status':
        if (!state.scheduler) throw { code: 'not-ready' };
        return state.scheduler.status();
      case 'memory': {
        const m = process.memory();
        return { free: m.free, usage: m.usage, total: m.total };
      }
      case 'events.subscribe':
        return events.subscribe();
      case 'events.unsubscribe':
        events.unsubscribe();
        return true;
      case 'events.replay':
        return { count: events.replay(numberParam(params, 'from')) };
      // Changes whenever a matching file is written, moved or erased (names + addresses).
      case 'storage.hash': {
        const pattern = params && params.pattern;
        if (pattern !== undefined && typeof pattern !== 'string') throw { code: 'bad-params', message: 'pattern' };
        return { hash: require('Storage').hash(pattern === undefined ? undefined : new RegExp(pattern)) >>> 0 };
      }
      // What a flasher verifies: the stored bytes of one file.
      case 'storage.crc32': {
        const name = params && params.name;
        if (typeof name !== 'string') throw { code: 'bad-params', message: 'name' };
        const data = require('Storage').read(name);
        if (data === undefined) throw { code: 'not-found', message: name };
        return { name: name, size: data.length, crc32: E.CRC32(data) >>> 0 };
      }
      // Answers first, then resets the board after `delayMs` so the reply leaves the UART.
      case 'reboot': {
        const delayMs = params && params.delayMs !== undefined ? numberParam(params, 'delayMs') : 100;
        setTimeout(function () {
          E.reboot();
        }, delayMs);
        return { inMs: delayMs };
      }
    }
    throw { code: 'unknown-method', message: method };
  };
}

function numberParam(params: any, name: string): number {
  const value = params ? params[name] : undefined;
  if (typeof value !== 'number' || value < 0) throw { code: 'bad-params', message: name };
  return value;
}
