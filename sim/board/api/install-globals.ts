/**
 * Interpreter-level globals (Espruino src/jswrap_interactive.c,
 * src/jswrap_modules.c): timers, print/console.log, require, reset/load/save,
 * echo, getTime/setTime, btoa/atob.
 */
import { formatPrint } from '../repl/format';
import type { BoardHost } from './board-host';
import { NOT_MODELLED_MODULES, notModelledError } from './not-modelled';

/**
 * Espruino's shortest timer: a timeout or interval below it (0, negative, a
 * fraction of a microsecond) takes it instead (src/jsinteractive.h
 * TIMER_MIN_INTERVAL, applied in src/jswrap_interactive.c
 * _jswrap_interface_setTimeoutOrInterval and jswrap_interface_changeInterval).
 * Without it an interval of 0 would stay due at one instant for good.
 */
export const TIMER_MIN_INTERVAL_MS = 0.1;

/** A timer's interval in ms. NaN (which Espruino's `<` lets through) takes the minimum too. */
export function timerInterval(ms: unknown): number {
  const delay = Number(ms);
  return delay >= TIMER_MIN_INTERVAL_MS ? delay : TIMER_MIN_INTERVAL_MS;
}

export function installGlobals(host: BoardHost, modules: Record<string, () => unknown>): void {
  const realm = host.realm;
  const fn = (name: string, impl: (this: unknown, ...args: any[]) => unknown) => realm.defineBuiltin(name, realm.fn(impl, name));

  // ---- timers (ids shared by timeouts and intervals, from 1)
  function addTimer(callback: unknown, ms: unknown, args: unknown[], repeat: boolean): number {
    if (typeof callback !== 'function' && typeof callback !== 'string') throw realm.error('Error', 'Function or String not supplied!');
    const delay = timerInterval(ms);
    return host.loop.addTimer({
      dueMs: host.nowMs() + delay,
      intervalMs: repeat ? delay : undefined,
      callback: callback as Function | string,
      args: realm.array(args),
    }).id;
  }
  function clear(args: unknown[], what: 'Timeout' | 'Interval'): void {
    if (args.length === 0) {
      host.loop.clearJsTimers();
      return;
    }
    const id = args[0];
    if (id === undefined || id === null) return;
    const timer = host.loop.getTimer(Number(id));
    if (!timer || timer.onDue) throw realm.error('Error', `Unknown ${what}`);
    host.loop.removeTimer(timer.id);
  }
  fn('setTimeout', (callback: unknown, ms: unknown, ...args: unknown[]) => addTimer(callback, ms, args, false));
  fn('setInterval', (callback: unknown, ms: unknown, ...args: unknown[]) => addTimer(callback, ms, args, true));
  fn('clearTimeout', (...args: unknown[]) => clear(args, 'Timeout'));
  fn('clearInterval', (...args: unknown[]) => clear(args, 'Interval'));
  fn('changeInterval', (id: unknown, ms: unknown) => {
    const timer = host.loop.getTimer(Number(id));
    if (!timer || timer.onDue || timer.intervalMs === undefined) throw realm.error('Error', 'Unknown Interval');
    const delay = timerInterval(ms);
    timer.intervalMs = delay;
    timer.dueMs = host.nowMs() + delay;
    host.loop.timersChanged();
  });

  // ---- console output
  fn('print', (...args: unknown[]) => host.printLine(formatPrint(args)));
  const consoleObject = realm.object({ log: realm.fn((...args: unknown[]) => host.printLine(formatPrint(args)), 'log') });
  realm.defineBuiltin('console', consoleObject);
  fn('echo', (on: unknown) => host.setEcho(!!on));

  // ---- time
  fn('getTime', () => host.timeSeconds());
  fn('setTime', (seconds: unknown) => host.setTimeSeconds(Number(seconds)));

  // ---- reset / load / save: done when the interpreter is next idle
  fn('reset', (clearFlash: unknown) => host.defer({ kind: 'reset', clearFlash: !!clearFlash }));
  fn('load', (filename: unknown) => host.defer({ kind: 'load', filename: filename === undefined ? undefined : String(filename) }));
  fn('save', () => host.defer({ kind: 'save' }));

  // ---- base64 (8-bit strings)
  fn('btoa', (text: unknown) => Buffer.from(String(text), 'latin1').toString('base64'));
  fn('atob', (text: unknown) => Buffer.from(String(text), 'base64').toString('latin1'));

  // ---- modules: built-ins, then Storage files evaluated as CommonJS
  const cache: Record<string, unknown> = {};
  fn('require', (nameArg: unknown) => {
    const name = String(nameArg);
    if (Object.prototype.hasOwnProperty.call(cache, name)) return cache[name];
    let exports: unknown;
    if (Object.prototype.hasOwnProperty.call(modules, name)) {
      exports = modules[name]!();
      if (exports !== null && typeof exports === 'object') realm.builtins.add(exports);
    }
    else if ((NOT_MODELLED_MODULES as readonly string[]).includes(name)) throw notModelledError(realm, `require('${name}')`);
    else {
      const file = host.storage.read(name);
      if (!file) throw realm.error('Error', `Module ${name} not found`);
      const source = Buffer.from(file).toString('latin1');
      const module = realm.object({ exports: realm.object() });
      const factory = host.runProgram(`(function (exports, module) {\n${source}\n})`, name) as Function;
      factory.call(undefined, module.exports, module);
      exports = module.exports;
    }
    cache[name] = exports;
    return exports;
  });
}
