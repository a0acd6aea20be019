/**
 * A probe that runs inside a board and looks for a way out of its realm: it
 * keeps what callbacks were handed (`record`), walks everything reachable
 * from the global object and from what it kept — every own property, every
 * getter's result, prototypes, `constructor`, functions' `caller` and
 * `arguments`, whatever any of that throws — and calls each of the board's
 * modelled API functions (the ones the host wraps, told apart by their shared
 * `toString`) with good and bad arguments, walking what they return and throw.
 *
 * A value is the board's when the root of its prototype chain is the board's
 * Object.prototype (or it has no prototype at all). For every
 * `x.constructor.constructor` found, the probe also checks it is the board's
 * own `Function`, and if not, whether code it compiles sees the host's
 * globals (`setImmediate`, which the board does not have).
 *
 * Written in the Espruino subset (the board's syntax gate refuses the rest).
 */
export const REALM_PROBE_SOURCE = String.raw`
var __probe = (function () {
  var OP = Object.prototype, BoardFunction = Function, gpo = Object.getPrototypeOf;
  var gopn = Object.getOwnPropertyNames, gops = Object.getOwnPropertySymbols, gopd = Object.getOwnPropertyDescriptor;
  var nativeToString = E.hwRand.toString;
  var seen = [], queue = [], problems = [], apis = [], apiFunctions = [], walked = 0, calls = 0, recorded = [];
  var SKIP_CALLS = [E.reboot, reset, load, save, E.setConsole, E.enableWatchdog, E.setBootCode, clearTimeout, clearInterval, clearWatch];

  function isObject(v) { return v !== null && (typeof v === 'object' || typeof v === 'function'); }
  function isBoards(v) {
    var root = v, next, n = 0;
    while ((next = gpo(root)) !== null && n++ < 1000) root = next;
    return root === OP || root === v;
  }
  function problem(text) { if (problems.length < 50) problems.push(text); }
  function note(v, path) {
    if (!isObject(v) || seen.indexOf(v) >= 0) return;
    seen.push(v);
    queue.push({ v: v, path: path });
    if (!isBoards(v)) problem(path + ' is an object of another realm');
  }
  function keyText(k) { return typeof k === 'symbol' ? '[' + String(k) + ']' : String(k); }
  function checkFunctionConstructor(F, path) {
    if (typeof F !== 'function' || F === BoardFunction) return;
    var sees = 'unknown';
    try { sees = F('return typeof setImmediate')(); } catch (e) { note(e, path + '(…) threw'); }
    problem(path + ' is not the board\'s Function (code it compiles sees setImmediate: ' + sees + ')');
  }
  function visit(v, path) {
    walked++;
    try { note(gpo(v), path + '.__proto__'); } catch (e) { note(e, path + ' getPrototypeOf threw'); }
    var keys = [];
    try { keys = gopn(v).concat(gops(v)); } catch (e) { note(e, path + ' keys threw'); }
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i], p = path + '.' + keyText(k), d;
      try { d = gopd(v, k); } catch (e) { note(e, p + ' descriptor threw'); continue; }
      if (!d) continue;
      if ('value' in d) {
        note(d.value, p);
        if (typeof d.value === 'function' && d.value.toString === nativeToString && apiFunctions.indexOf(d.value) < 0) {
          apiFunctions.push(d.value);
          apis.push({ f: d.value, owner: v, path: p });
        }
      } else {
        note(d.get, p + ' getter');
        note(d.set, p + ' setter');
        if (d.get) { try { note(d.get.call(v), p + ' (got)'); } catch (e) { note(e, p + ' getter threw'); } }
      }
    }
    if (typeof v === 'function') {
      try { note(v.caller, path + '.caller'); } catch (e) { note(e, path + '.caller threw'); }
      try { note(v.arguments, path + '.arguments'); } catch (e) { note(e, path + '.arguments threw'); }
    }
    try {
      var C = v.constructor;
      note(C, path + '.constructor');
      if (isObject(C)) {
        var CC = C.constructor;
        note(CC, path + '.constructor.constructor');
        checkFunctionConstructor(CC, path + '.constructor.constructor');
      }
    } catch (e) { note(e, path + '.constructor threw'); }
  }
  function drain() {
    while (queue.length) { var item = queue.shift(); visit(item.v, item.path); }
  }

  // ---- arguments for the API sweep
  function badValues() {
    var cyclic = [1, 2]; cyclic.push(cyclic);
    var deep = {}; var at = deep; for (var i = 0; i < 5000; i++) { at.data = {}; at = at.data; }
    var hostile = {};
    Object.defineProperty(hostile, 'data', { get: function () { throw new Error('getter'); } });
    hostile.toString = function () { throw new TypeError('toString'); };
    hostile.valueOf = function () { throw new RangeError('valueOf'); };
    return [undefined, null, -1, 0, NaN, 1e12, 'probe', '', {}, [], cyclic, deep, hostile, function () { return 1; }, new Uint8Array(3), [1, [2, [3]]], { data: [1, 2], count: 2 }, true];
  }
  function sweep() {
    var values = badValues(), list = apis.slice();
    for (var i = 0; i < list.length; i++) {
      var api = list[i];
      if (SKIP_CALLS.indexOf(api.f) >= 0) continue;
      var selves = [api.owner];
      if (api.owner === Pin.prototype) selves.push(D1);
      for (var s = 0; s < selves.length; s++) {
        callWith(api, selves[s], []);
        for (var j = 0; j < values.length; j++) {
          callWith(api, selves[s], [values[j]]);
          callWith(api, selves[s], ['probe', values[j]]);
          callWith(api, selves[s], [D1, values[j], values[j]]);
        }
      }
    }
    clearTimeout();
    clearWatch();
  }
  function callWith(api, self, args) {
    calls++;
    try { note(api.f.apply(self, args), api.path + '(…) returned'); } catch (e) { note(e, api.path + '(…) threw'); }
  }

  return {
    record: function () {
      for (var i = 0; i < arguments.length; i++) recorded.push(arguments[i]);
    },
    /** Walks the global object and what was recorded (then sweeps the API and walks again): '' when nothing leads out. */
    run: function (sweepApi) {
      note(globalThis, 'global');
      for (var i = 0; i < recorded.length; i++) note(recorded[i], 'recorded[' + i + ']');
      drain();
      if (sweepApi) { sweep(); drain(); }
      return problems.join('\n');
    },
    stats: function () { return { walked: walked, apis: apis.length, calls: calls, recorded: recorded.length }; },
  };
})();
`;
