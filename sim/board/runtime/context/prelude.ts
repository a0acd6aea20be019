/**
 * Source evaluated first in every fresh board context. It builds, inside the
 * context's own realm, what must not be a host object: the function wrapper,
 * Espruino's event methods on Object.prototype, InternalError, a Date and
 * Math.random driven by the board, an Espruino-scheduled Promise, and then
 * removes the built-ins Espruino lacks. It returns small value factories to
 * the host (see Realm) and keeps no global reference to the host hooks.
 *
 * Promise semantics (Espruino src/jswrap_promise.c): settling a promise queues
 * one event on the interpreter's event queue; when that event runs, the
 * `then`/`catch` callbacks run and their results settle the chained promises,
 * which queue further events. Events run after the timers that are due in the
 * same idle pass, so a `then` callback runs after a pending `setTimeout(f, 0)`.
 * A rejection that reaches an event with nothing to handle it raises
 * "Unhandled promise rejection: <value>" as an uncaught Error.
 */
import { BOUNDARY_SOURCE } from './boundary-prelude';

export interface PreludeHooks {
  /** Board clock in ms since the epoch (Date.now). */
  nowMs(): number;
  /** Uniform [0, 1) from the board's seeded generator. */
  random(): number;
  /** Puts a context function on the board's event queue. */
  queueEvent(fn: () => void): void;
  hiddenGlobals: readonly string[];
  hiddenMembers: ReadonlyArray<readonly [string, string]>;
}

export interface PreludeHelpers {
  global: object;
  /** The context's Object.prototype (the root every board object's prototype chain ends in). */
  objectPrototype: object;
  wrap(impl: Function, name: string): Function;
  /** Puts the call the `__boardCall__` trampoline makes next. */
  prepareCall(fn: (this: never, ...args: never[]) => unknown, thisArg: unknown, args: unknown[]): void;
  /** Puts the string the next `__boardLiteral__()` returns. */
  prepareLiteral(text: string): void;
  /** Puts the list `__boardScan__()` returns (closure-scan.ts). */
  offerScan(list: unknown[]): void;
  /** What `__boardScan__(values)` was last given. */
  takeScan(): unknown;
  /** An error's own stack as a string data property (what the board sees as `e.stack`); no board getter runs. */
  stackOf(error: unknown): string | undefined;
  /** V8's text of an error's frames, host frames included: for the host only. */
  rawStackOf(error: unknown): string | undefined;
  /** The stack text the host made for an error (to tell whether the board replaced `e.stack`). */
  generatedStackOf(error: unknown): string | undefined;
  /** How the board's `e.stack` is made from V8's frames (boundary-prelude.ts); called straight from V8, it must not throw. */
  setStackText(make: (raw: string, name: string, message: string) => string): void;
  /** V8's RangeError for running out of stack. */
  isStackOverflow(value: unknown): boolean;
  /** Espruino's "Too much recursion" Error carrying the overflow's stack. */
  overflowError(overflow: unknown): Error;
  /** The check `eval` and `Function` run their source through: the source to compile (guarded), or it throws the SyntaxError. */
  setCodeGate(check: (source: string) => string): void;
  /** What the busy-loop guard asks (Realm.setGuardCheck). */
  setGuardCheck(check: (kind?: number, value?: unknown) => unknown): void;
  /** Espruino's words for an error V8 raised (`Name:message`), asked at each catch clause's entry; must not throw. */
  setErrorWords(words: (name: string, message: string) => string | undefined): void;
  /** Puts an error V8 raised in Espruino's type and words, as a catch clause's entry does. */
  reword(error: unknown): void;
  object(): object;
  array(): unknown[];
  /** A board object with `source`'s own enumerable properties (a host object whose values are board values), as data properties. */
  objectOf(source: object): object;
  /** A board array of `items` (a host array of board values). */
  arrayOf(items: unknown[]): unknown[];
  uint8(length: number): Uint8Array;
  error(kind: string, message: string): Error;
  jsonParse(text: string): unknown;
  jsonStringify(value: unknown): string | undefined;
  listeners(target: unknown, event: string): ArrayLike<Function>;
  /** The built-in objects whose listeners the memory count reads (Object.prototype.on). */
  setBuiltinObjects(list: unknown[]): void;
  /** Those of them given a listener. */
  listenerTargets(): ArrayLike<object>;
}

export const PRELUDE_SOURCE = String.raw`(function (hooks) {
  'use strict';
  var G = globalThis;
  var nowMs = hooks.nowMs, random = hooks.random, queueEvent = hooks.queueEvent;
  var hiddenGlobals = Array.prototype.slice.call(hooks.hiddenGlobals);
  var hiddenMembers = Array.prototype.slice.call(hooks.hiddenMembers).map(function (m) { return [m[0], m[1]]; });
  hooks = null;
  var defineProperty = Object.defineProperty, hasOwn = Object.prototype.hasOwnProperty;
  var isArray = Array.isArray, JSONparse = JSON.parse, JSONstringify = JSON.stringify;
  // Board code may replace any built-in (Function.prototype.call = 1) or put
  // getters and setters on the prototypes (Object.prototype.get,
  // Array.prototype[0]): what the prelude runs after board code has started
  // uses these, captured now, called through apply (Reflect.apply, which the
  // board cannot reach), with descriptors that inherit nothing.
  var apply = Reflect.apply, Obj = Object, Str = String, TypeErrorCtor = TypeError;
  var getOwnPropertyNames = Object.getOwnPropertyNames, createObject = Object.create;
  var AP = Array.prototype;
  var arraySlice = AP.slice, arrayPush = AP.push, arrayUnshift = AP.unshift, arrayIndexOf = AP.indexOf, arraySplice = AP.splice;
  var stringIndexOf = String.prototype.indexOf, regExpTest = RegExp.prototype.test;

  function hidden(target, key, value) {
    defineProperty(target, key, { __proto__: null, value: value, configurable: true, enumerable: false, writable: true });
  }
  /** target[index] = value without running a setter the board put on Array.prototype. */
  function put(target, index, value) {
    defineProperty(target, index, { __proto__: null, value: value, configurable: true, enumerable: true, writable: true });
  }
${BOUNDARY_SOURCE}
  nowMs = wrap(nowMs); random = wrap(random); queueEvent = wrap(queueEvent);

  // ---- Espruino globals that are plain JS
  hidden(G, 'global', G);
  function InternalError(message) {
    if (!(this instanceof InternalError)) return new InternalError(message);
    hidden(this, 'message', message === undefined ? '' : Str(message));
  }
  InternalError.prototype = Object.create(Error.prototype);
  hidden(InternalError.prototype, 'constructor', InternalError);
  hidden(InternalError.prototype, 'name', 'InternalError');
  hidden(G, 'InternalError', InternalError);
  var errorTypes = Object.create(null);
  [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, InternalError].forEach(function (E) { errorTypes[E.name] = E; });

  // ---- Events on every object (Espruino's Object.prototype.on/emit/...)
  function eventKey(event) { return '#on' + event; }
  function listenersOf(target, event) {
    if (target === null || target === undefined) return [];
    var key = eventKey(event);
    if (!apply(hasOwn, Obj(target), [key])) return [];
    var current = target[key];
    if (isArray(current)) return apply(arraySlice, current, []);
    return typeof current === 'function' ? [current] : [];
  }
  // the board's built-in objects given a listener: the memory count reads their listeners (Espruino keeps
  // them as the object's own hidden children), which its walk from the firmware's globals never meets
  var builtinObjects = [], listenerTargets = [];
  function addListener(target, event, listener, prepend) {
    var key = eventKey(event);
    if (apply(arrayIndexOf, builtinObjects, [target]) >= 0 && apply(arrayIndexOf, listenerTargets, [target]) < 0) apply(arrayPush, listenerTargets, [target]);
    var current = apply(hasOwn, target, [key]) ? target[key] : undefined;
    if (current === undefined) hidden(target, key, listener);
    else if (isArray(current)) apply(prepend ? arrayUnshift : arrayPush, current, [listener]);
    else hidden(target, key, prepend ? [listener, current] : [current, listener]);
  }
  hidden(Object.prototype, 'on', function on(event, listener) { addListener(this, event, listener, false); });
  hidden(Object.prototype, 'addListener', function addListener_(event, listener) { addListener(this, event, listener, false); });
  hidden(Object.prototype, 'prependListener', function prependListener(event, listener) { addListener(this, event, listener, true); });
  hidden(Object.prototype, 'emit', function emit(event) {
    var args = apply(arraySlice, arguments, [1]);
    var list = listenersOf(this, event);
    for (var i = 0; i < list.length; i++) apply(list[i], this, args);
  });
  hidden(Object.prototype, 'removeListener', function removeListener(event, listener) {
    var key = eventKey(event);
    if (!apply(hasOwn, this, [key])) return;
    var current = this[key];
    if (isArray(current)) {
      var i = apply(arrayIndexOf, current, [listener]);
      if (i >= 0) apply(arraySplice, current, [i, 1]);
      if (current.length === 0) delete this[key];
    } else if (current === listener) delete this[key];
  });
  hidden(Object.prototype, 'removeAllListeners', function removeAllListeners(event) {
    if (event !== undefined) { delete this[eventKey(event)]; return; }
    var names = getOwnPropertyNames(this);
    for (var i = 0; i < names.length; i++) if (apply(stringIndexOf, names[i], ['#on']) === 0) delete this[names[i]];
  });

  // ---- Date on the board's clock; local time is UTC (E.setTimeZone(0), Espruino's default)
  var RealDate = Date;
  var UTC = RealDate.UTC, realParse = RealDate.parse;
  function parseAsUtc(text) {
    var s = Str(text);
    if (apply(regExpTest, /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/, [s])) s += 'Z';
    else if (!apply(regExpTest, /^\d{4}-\d\d-\d\d$/, [s]) && !apply(regExpTest, /(Z|GMT|UTC|[+-]\d\d:?\d\d)\s*$/i, [s])) s += ' GMT+0000';
    return realParse(s);
  }
  var BoardDate = function Date(a) {
    if (!new.target) return apply(dateToString, new RealDate(nowMs()), []);
    var n = arguments.length;
    if (n === 0) return new RealDate(nowMs());
    if (n === 1) return new RealDate(typeof a === 'string' ? parseAsUtc(a) : (a instanceof RealDate ? apply(getTime, a, []) : a));
    return new RealDate(apply(UTC, null, arguments));
  };
  BoardDate.prototype = RealDate.prototype;
  hidden(RealDate.prototype, 'constructor', BoardDate);
  hidden(BoardDate, 'now', function now() { return nowMs(); });
  hidden(BoardDate, 'parse', function parse(text) { return parseAsUtc(text); });
  hidden(BoardDate, 'UTC', UTC);
  var P = RealDate.prototype, getTime = P.getTime;
  var utc = { day: P.getUTCDay, month: P.getUTCMonth, date: P.getUTCDate, year: P.getUTCFullYear, hours: P.getUTCHours, minutes: P.getUTCMinutes, seconds: P.getUTCSeconds };
  ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'].forEach(function (part) {
    hidden(P, 'get' + part, P['getUTC' + part]);
    if (part !== 'Day') hidden(P, 'set' + part, P['setUTC' + part]);
  });
  hidden(P, 'getTimezoneOffset', function getTimezoneOffset() { return 0; });
  var DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function part(date, get) { return apply(get, date, []); }
  function dateToString() {
    return DAYS[part(this, utc.day)] + ' ' + MONTHS[part(this, utc.month)] + ' ' + part(this, utc.date) + ' ' + part(this, utc.year) + ' ' +
      two(part(this, utc.hours)) + ':' + two(part(this, utc.minutes)) + ':' + two(part(this, utc.seconds)) + ' GMT+0000';
  }
  hidden(P, 'toString', dateToString);
  hidden(G, 'Date', BoardDate);
  hidden(Math, 'random', function random_() { return random(); });

  // ---- Promise with Espruino's event-queue scheduling
  var PENDING = 0, FULFILLED = 1, REJECTED = 2;
  function stateOf(p) { return p.__promiseState; }
  function isThenable(v) { return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof v.then === 'function'; }
  function Promise(executor) {
    if (!(this instanceof Promise)) throw new TypeErrorCtor('Promise must be called with new');
    if (typeof executor !== 'function') throw new TypeErrorCtor('Promise executor must be a function');
    hidden(this, '__promiseState', { state: PENDING, value: undefined, reactions: [], handled: false });
    var self = this, done = false;
    function resolve(v) { if (done) return; done = true; resolveWith(self, v); }
    function reject(e) { if (done) return; done = true; settle(self, REJECTED, e); }
    try { executor(resolve, reject); } catch (e) { reject(e); }
  }
  function resolveWith(p, v) {
    if (v === p) { settle(p, REJECTED, new TypeErrorCtor('Promise resolved with itself')); return; }
    if (isThenable(v)) {
      var once = false;
      try {
        v.then(function (x) { if (!once) { once = true; resolveWith(p, x); } },
               function (e) { if (!once) { once = true; settle(p, REJECTED, e); } });
      } catch (e) { if (!once) { once = true; settle(p, REJECTED, e); } }
      return;
    }
    settle(p, FULFILLED, v);
  }
  function settle(p, state, value) {
    var s = stateOf(p);
    if (s.state !== PENDING) return;
    s.state = state;
    s.value = value;
    var reactions = s.reactions;
    s.reactions = [];
    queueEvent(function promiseSettled() {
      if (state === REJECTED && reactions.length === 0 && !s.handled) {
        s.handled = true;
        throw new Error('Unhandled promise rejection: ' + Str(value));
      }
      for (var i = 0; i < reactions.length; i++) react(reactions[i], state, value);
    });
  }
  function react(r, state, value) {
    var handler = state === FULFILLED ? r.onFulfilled : r.onRejected;
    if (typeof handler !== 'function') {
      if (state === FULFILLED) resolveWith(r.child, value); else settle(r.child, REJECTED, value);
      return;
    }
    var result;
    try { result = handler(value); } catch (e) { settle(r.child, REJECTED, e); return; }
    resolveWith(r.child, result);
  }
  function then(onFulfilled, onRejected) {
    var s = stateOf(this);
    var child = new Promise(function () {});
    var r = { onFulfilled: onFulfilled, onRejected: onRejected, child: child };
    if (s.state === PENDING) apply(arrayPush, s.reactions, [r]);
    else {
      var state = s.state, value = s.value;
      queueEvent(function promiseThen() { react(r, state, value); });
    }
    s.handled = true;
    return child;
  }
  function promiseResolve(v) { return new Promise(function (res) { res(v); }); }
  hidden(Promise.prototype, 'then', then);
  hidden(Promise.prototype, 'catch', function catch_(onRejected) { return this.then(undefined, onRejected); });
  hidden(Promise, 'resolve', function resolve(v) { return promiseResolve(v); });
  hidden(Promise, 'reject', function reject(e) { return new Promise(function (res, rej) { rej(e); }); });
  hidden(Promise, 'all', function all(items) {
    return new Promise(function (res, rej) {
      var list = apply(arraySlice, items, []), results = [], left = list.length;
      if (left === 0) { res(results); return; }
      function wait(i) {
        apply(then, promiseResolve(list[i]), [function (v) { put(results, i, v); if (--left === 0) res(results); }, rej]);
      }
      for (var i = 0; i < list.length; i++) wait(i);
    });
  });
  hidden(G, 'Promise', Promise);

  // ---- Remove what Espruino 2v29 does not have
  for (var i = 0; i < hiddenGlobals.length; i++) delete G[hiddenGlobals[i]];
  // Number's constants are non-configurable: hiding one means a replacement Number
  // that shares Number.prototype and copies every static except the hidden ones.
  var hiddenNumberStatics = hiddenMembers.filter(function (m) { return m[0] === 'Number'; }).map(function (m) { return m[1]; });
  if (hiddenNumberStatics.length) {
    var RealNumber = Number;
    var BoardNumber = function Number(v) {
      var n = arguments.length ? RealNumber(v) : 0;
      return new.target ? new RealNumber(n) : n;
    };
    BoardNumber.prototype = RealNumber.prototype;
    Object.getOwnPropertyNames(RealNumber).forEach(function (k) {
      if (k === 'prototype' || k === 'length' || k === 'name' || hiddenNumberStatics.indexOf(k) >= 0) return;
      var d = Object.getOwnPropertyDescriptor(RealNumber, k);
      defineProperty(BoardNumber, k, d);
    });
    hidden(RealNumber.prototype, 'constructor', BoardNumber);
    hidden(G, 'Number', BoardNumber);
  }
  for (var j = 0; j < hiddenMembers.length; j++) {
    if (hiddenMembers[j][0] === 'Number') continue;
    var owner = hiddenMembers[j][0].split('.').reduce(function (o, k) { return o[k]; }, G);
    delete owner[hiddenMembers[j][1]];
  }

  var U8 = Uint8Array;
  return {
    global: G,
    objectPrototype: ObjectPrototype,
    wrap: wrap,
    prepareCall: prepareCall,
    prepareLiteral: prepareLiteral,
    offerScan: offerScan,
    takeScan: takeScan,
    stackOf: stackOf,
    rawStackOf: rawStackOf,
    generatedStackOf: generatedStackOf,
    setStackText: setStackText,
    isStackOverflow: isStackOverflow,
    overflowError: overflowError,
    setCodeGate: setCodeGate,
    setGuardCheck: setGuardCheck,
    setErrorWords: setErrorWords,
    reword: reword,
    object: function () { return {}; },
    array: function () { return []; },
    // own data properties made as a literal makes them (CreateDataProperty: no setter of the board's runs)
    objectOf: function (source) { return { ...source }; },
    arrayOf: function (items) { return [...items]; },
    uint8: function (n) { return new U8(n); },
    error: function (kind, message) { return new errorTypes[kind](message); },
    jsonParse: function (text) { return JSONparse(text); },
    jsonStringify: function (value) { return JSONstringify(value); },
    listeners: listenersOf,
    setBuiltinObjects: function (list) { builtinObjects = list; },
    listenerTargets: function () { return listenerTargets; },
  };
})`;
