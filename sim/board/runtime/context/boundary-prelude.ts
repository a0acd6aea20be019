/**
 * The context side of the realm boundary: source spliced into the prelude
 * (prelude.ts) and run before any board code, with the context's pristine
 * intrinsics captured so later board code cannot redirect them.
 *
 *  - `wrap(impl)`: the context function the board sees for a host function.
 *    The host side (Realm.fn, membrane.ts) converts what it returns and throws;
 *    the wrapper is the last line: if a host object is still thrown (the host
 *    ran out of stack while converting), the board gets Espruino's stack
 *    overflow error instead.
 *  - `__boardCall__`: the trampoline ProgramRunner runs under the busy-loop
 *    limit. The call waiting for it sits in this closure, not on the global,
 *    and the trampoline is strict, so `fn.caller` of a board callback is null.
 *    `__boardLiteral__()` likewise hands a console line compiled once per
 *    shape its trailing string (program-cache.ts compileConsoleLine), and
 *    `__boardScan__` the memory count's closure scan (../closure-scan.ts).
 *  - V8's stack-trace API is closed: Node calls the context's
 *    `Error.prepareStackTrace` with CallSite objects made in whichever realm
 *    reads `.stack` (the host's, when the simulator reads it), and when the
 *    context has none it calls the HOST's (a test runner or source-map tool
 *    installs one), which then runs the board's own Function.prototype.call on
 *    the context's CallSites and throws a host-realm TypeError into board code
 *    once the board has replaced it. So `Error` is locked and
 *    `Error.prepareStackTrace` is locked to the prelude's own
 *    formatter, which hands V8's frames as text to the host (`setStackText`)
 *    and gives the board the host's answer: Espruino's trace
 *    (runtime/board-stack.ts); it reads only data properties and intrinsics
 *    captured here, so no board code runs; the board never sees a CallSite
 *    nor V8's text (kept here for the host: `rawStackOf`).
 *    `Error.stackTraceLimit` is locked at Infinity (Espruino's trace has
 *    every frame) and `Error.captureStackTrace` (which Espruino lacks) is
 *    gone. `stackOf` reads a stack from inside.
 *  - Running out of stack: the guard at a catch clause's entry tells the
 *    host when what it caught is the board's own stack overflow, and the
 *    run is interrupted there (program-runner.ts), as Espruino's
 *    jspCheckStackPosition interrupts execution.
 *  - `eval` and `Function` (Espruino has both) pass their source through the
 *    board's syntax gate first, as console lines and boot code do: it refuses
 *    what Espruino cannot parse, `import()` included (a dynamic import in a
 *    `vm` context rejects with a host-realm error). `eval` is always indirect
 *    (global scope). The gate hands back the source with the busy-loop guard put
 *    in (loop-guard.ts), and that is what compiles.
 *  - The busy-loop guard, `""["\0"](v)`: a locked method of String.prototype
 *    that counts down and asks the host (`setGuardCheck`) every so often
 *    whether the run is past its limit; the host answers with the budget
 *    until the next look, or the interrupt signal to throw.
 *    Function.prototype.toString gives a function's text back without it.
 */
import { GUARD_KEY, GUARD_PATTERN } from './loop-guard';

export const BOUNDARY_SOURCE = String.raw`
  var reflectApply = Reflect.apply, getPrototypeOf = Object.getPrototypeOf, ObjectPrototype = Object.prototype;
  var Str = String, RealFunction = Function, realEval = G.eval, SyntaxErrorCtor = SyntaxError, ErrorCtor = Error;
  var STACK_OVERFLOW = 'Too much recursion - the stack is about to overflow';

  function nativeToString() { return 'function () { [native code] }'; }
  function wrap(impl, name) {
    var f = function () {
      try {
        return reflectApply(impl, this, arguments);
      } catch (e) {
        if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
          var root = e, next;
          while ((next = getPrototypeOf(root)) !== null) root = next;
          if (root !== ObjectPrototype && root !== e) throw new ErrorCtor(STACK_OVERFLOW);
        }
        throw e;
      }
    };
    if (name) defineProperty(f, 'name', { __proto__: null, value: name, configurable: true });
    defineProperty(f, 'toString', { __proto__: null, value: nativeToString, configurable: true, enumerable: false, writable: true });
    return f;
  }

  // ---- the call trampoline
  var pendingCall = null;
  defineProperty(G, '__boardCall__', {
    __proto__: null,
    value: function __boardCall__() {
      var c = pendingCall;
      pendingCall = null;
      if (c === null) return undefined;
      return reflectApply(c.f, c.t, c.a);
    },
    writable: false, configurable: false, enumerable: false,
  });
  function prepareCall(f, t, a) { pendingCall = { f: f, t: t, a: a }; }
  // ---- a console line's trailing string, for a line compiled once per shape (program-cache.ts)
  var pendingLiteral = '';
  defineProperty(G, '__boardLiteral__', {
    __proto__: null,
    value: function __boardLiteral__() {
      var s = pendingLiteral;
      pendingLiteral = '';
      return s;
    },
    writable: false, configurable: false, enumerable: false,
  });
  function prepareLiteral(s) { pendingLiteral = s; }
  // ---- the memory count's closure scan (../closure-scan.ts): functions out to V8's inspector, values back
  var scanOffer = [], scanTaken = [];
  defineProperty(G, '__boardScan__', {
    __proto__: null,
    value: function __boardScan__(values) {
      if (arguments.length === 0) return scanOffer;
      scanTaken = values;
      return undefined;
    },
    writable: false, configurable: false, enumerable: false,
  });
  function offerScan(list) { scanOffer = list; scanTaken = []; }
  function takeScan() { var t = scanTaken; scanTaken = []; return t; }

  // ---- V8's stack-trace API, closed
  delete ErrorCtor.captureStackTrace;
  var getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  /** A string data property found along the prototype chain; never runs a getter (V8 may format outside the busy-loop limit). */
  function plainString(o, key, fallback) {
    for (var depth = 0; o !== null && (typeof o === 'object' || typeof o === 'function') && depth < 64; depth++) {
      var d = getOwnPropertyDescriptor(o, key);
      if (d) return 'value' in d && typeof d.value === 'string' ? d.value : fallback;
      o = getPrototypeOf(o);
    }
    return fallback;
  }
  // Espruino's stack text for an error: the host (setStackText) makes it from V8's frames, keeping only
  // the board's own code; V8's text, with the host's frames and file names, is kept here for the host
  // (rawStackOf) and never reaches the board. V8 formats when .stack is first read; the host's text is
  // remembered (generatedStackOf) so the report can tell a stack the board replaced.
  var RealWeakMap = WeakMap, weakGet = RealWeakMap.prototype.get, weakSet = RealWeakMap.prototype.set;
  var rawStacks = new RealWeakMap(), generatedStacks = new RealWeakMap(), stackText = null;
  function formatStack(error, trace) {
    var raw = '', n = trace.length;
    for (var i = 0; i < n; i++) {
      var site = trace[i];
      raw += '\n    at ' + reflectApply(site.toString, site, []);
    }
    var isObject = error !== null && (typeof error === 'object' || typeof error === 'function');
    if (isObject) reflectApply(weakSet, rawStacks, [error, raw]);
    var text = '';
    if (stackText !== null) {
      try {
        var made = stackText(raw, plainString(error, 'name', 'Error'), plainString(error, 'message', ''));
        text = typeof made === 'string' ? made : '';
      } catch (e) {
        text = '';
      }
    }
    if (isObject) reflectApply(weakSet, generatedStacks, [error, text]);
    return text;
  }
  function setStackText(make) { stackText = make; }
  defineProperty(ErrorCtor, 'prepareStackTrace', { __proto__: null, value: formatStack, writable: false, configurable: false, enumerable: false });
  // Espruino's trace has one frame per live lexer, however deep (src/jslex.c jslPrintStackTrace)
  defineProperty(ErrorCtor, 'stackTraceLimit', { __proto__: null, value: Infinity, writable: false, configurable: false, enumerable: false });
  defineProperty(G, 'Error', { __proto__: null, value: ErrorCtor, writable: false, configurable: false, enumerable: false });
  /** The error's own stack as a data property (reading its descriptor makes V8 format it; no getter of the board runs). */
  function ownStack(e) {
    if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return undefined;
    var d = getOwnPropertyDescriptor(e, 'stack');
    return d && 'value' in d ? d.value : undefined;
  }
  function stackOf(e) {
    var s = ownStack(e);
    return typeof s === 'string' ? s : undefined;
  }
  function rawStackOf(e) {
    ownStack(e);
    if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return undefined;
    return reflectApply(weakGet, rawStacks, [e]);
  }
  function generatedStackOf(e) {
    if (e === null || (typeof e !== 'object' && typeof e !== 'function')) return undefined;
    return reflectApply(weakGet, generatedStacks, [e]);
  }
  // Board code running out of stack: V8's RangeError, or Espruino's error the busy-loop guard made when
  // its own call to the host found no stack left (overflowMade). The host running out of stack inside an
  // API call is that call's error only (wrap, membrane.ts): the board's code can catch it.
  var ErrorProto = ErrorCtor.prototype, RangeErrorProto = RangeError.prototype, V8_STACK_OVERFLOW = 'Maximum call stack size exceeded';
  var RealWeakSet = WeakSet, weakSetAdd = RealWeakSet.prototype.add, weakSetHas = RealWeakSet.prototype.has;
  var guardOverflows = new RealWeakSet();
  function isStackOverflow(v) {
    if (v === null || typeof v !== 'object') return false;
    if (reflectApply(weakSetHas, guardOverflows, [v])) return true;
    return getPrototypeOf(v) === RangeErrorProto && plainString(v, 'message', '') === V8_STACK_OVERFLOW;
  }
  /** Espruino's error for an overflow (src/jsparse.c jspCheckStackPosition), with the overflow's frames as its stack. */
  function overflowError(v) {
    if (v !== null && typeof v === 'object' && getPrototypeOf(v) === ErrorProto) return v;
    var made = new ErrorCtor(STACK_OVERFLOW);
    var text = stackOf(v), raw = rawStackOf(v);
    if (raw !== undefined) reflectApply(weakSet, rawStacks, [made, raw]);
    if (text !== undefined) {
      // an assignment (V8's own stack property of the new error takes it; defining one would not)
      made.stack = text;
      reflectApply(weakSet, generatedStacks, [made, text]);
    }
    return made;
  }
  /** The boundary ran out of stack for board code: Espruino's error, and the run is interrupted from here on. */
  function overflowMade() {
    var made = new ErrorCtor(STACK_OVERFLOW);
    reflectApply(weakSetAdd, guardOverflows, [made]);
    guardBudget = 0;
    try {
      if (guardCheck !== null) guardCheck(3, made);
    } catch (e) {
      // the host has no stack left either: the run still ends at its top
    }
    return made;
  }

  // ---- eval and Function through the syntax gate
  var codeGate = null;
  function gate(source) {
    if (codeGate === null) throw new SyntaxErrorCtor('no code gate');
    return Str(codeGate(source));
  }
  var gatedEval = function (source) {
    if (typeof source !== 'string') return source;
    return realEval(gate(source));
  };
  defineProperty(gatedEval, 'name', { __proto__: null, value: 'eval', configurable: true });
  var GatedFunction = function Function() {
    var n = arguments.length, args = [], params = '';
    for (var i = 0; i < n; i++) defineProperty(args, i, { __proto__: null, value: Str(arguments[i]), writable: true, enumerable: true, configurable: true });
    for (var j = 0; j < n - 1; j++) params += (j ? ',' : '') + args[j];
    var text = '(function anonymous(' + params + '\n) {\n' + (n ? args[n - 1] : '') + '\n})';
    var guarded = gate(text);
    // V8 checks the parameters and the body apart (no body that closes the function early)
    reflectApply(RealFunction, undefined, args);
    return realEval(guarded);
  };
  defineProperty(GatedFunction, 'prototype', { __proto__: null, value: RealFunction.prototype, writable: false, configurable: false, enumerable: false });
  defineProperty(GatedFunction, 'length', { __proto__: null, value: 1, configurable: true });
  defineProperty(RealFunction.prototype, 'constructor', { __proto__: null, value: GatedFunction, writable: true, configurable: true, enumerable: false });
  defineProperty(G, 'Function', { __proto__: null, value: GatedFunction, writable: true, configurable: true, enumerable: false });
  defineProperty(G, 'eval', { __proto__: null, value: gatedEval, writable: true, configurable: true, enumerable: false });
  [gatedEval, GatedFunction].forEach(function (f) {
    defineProperty(f, 'toString', { __proto__: null, value: function toString() { return 'function ' + f.name + '() { [native code] }'; }, configurable: true, writable: true });
  });
  function setCodeGate(check) { codeGate = check; }

  // ---- the busy-loop guard
  var guardBudget = 0, guardCheck = null, StrProto = Str.prototype, RealRegExp = RegExp;
  var strReplace = StrProto.replace, strIndexOf = StrProto.indexOf;
  // guardCheck(kind, value): 0 a budget check, 1 a budget check at a catch clause's entry, 2 a catch
  // clause caught a stack overflow, 3 the guard made one, 4 one passes a finally block (program-runner.ts checkBusy)
  var loopGuard = function (v, caught) {
    // Espruino's catch does not run once the stack overflowed: jspCheckStackPosition interrupts execution
    // and an interrupted parser executes nothing, though the catch takes the exception
    if ((caught === 1 || caught === 2) && isStackOverflow(v)) {
      guardBudget = 0;
      var signal = null;
      try {
        // 2: a catch clause takes it; 4: it passes a finally block on its way out
        if (guardCheck !== null) signal = guardCheck(caught === 1 ? 2 : 4, v);
      } catch (e) {
        signal = null;
      }
      // the host tells a built-in's own overflow (JSON of a very deep value) from the board's: that one is caught
      if (typeof signal === 'number') {
        guardBudget = signal;
        return v;
      }
      throw signal !== null && typeof signal === 'object' ? signal : new ErrorCtor(STACK_OVERFLOW);
    }
    if (caught === 1 || caught === 2) reword(v);
    if (--guardBudget < 0) {
      guardBudget = 0;
      if (guardCheck === null) return v;
      var answer;
      try {
        answer = guardCheck(caught === 1 ? 1 : 0, v);
      } catch (e) {
        throw overflowMade();
      }
      if (typeof answer !== 'number') throw answer;
      guardBudget = answer;
    }
    return v;
  };
  defineProperty(loopGuard, 'toString', { value: nativeToString, configurable: false, enumerable: false, writable: false });
  defineProperty(StrProto, ${JSON.stringify(GUARD_KEY)}, { value: loopGuard, writable: false, configurable: false, enumerable: false });
  function setGuardCheck(check) { guardCheck = check; }

  // ---- Espruino's words for an error V8 raised, wherever board code catches it (repl/error-words.ts):
  // the host (setErrorWords) answers "Name:message" or nothing; the error's message and prototype change
  var errorWords = null, strSlice = StrProto.slice;
  var TypeErrorProto = TypeError.prototype, ReferenceErrorProto = ReferenceError.prototype;
  var wordProtos = { __proto__: null, Error: ErrorProto, TypeError: TypeErrorProto, RangeError: RangeErrorProto, ReferenceError: ReferenceErrorProto, SyntaxError: SyntaxErrorCtor.prototype };
  function reword(v) {
    if (errorWords === null || v === null || typeof v !== 'object') return;
    var proto = getPrototypeOf(v);
    var name = proto === TypeErrorProto ? 'TypeError' : proto === RangeErrorProto ? 'RangeError' : proto === ReferenceErrorProto ? 'ReferenceError' : '';
    if (name === '') return;
    var d = getOwnPropertyDescriptor(v, 'message');
    if (!d || !('value' in d) || typeof d.value !== 'string') return;
    var made;
    try {
      made = errorWords(name, d.value);
    } catch (e) {
      return;
    }
    if (typeof made !== 'string') return;
    var at = reflectApply(strIndexOf, made, [':']);
    var target = at > 0 ? wordProtos[reflectApply(strSlice, made, [0, at])] : undefined;
    if (target === undefined) return;
    try {
      defineProperty(v, 'message', { __proto__: null, value: reflectApply(strSlice, made, [at + 1]), writable: true, enumerable: false, configurable: true });
      if (target !== proto) setPrototypeOf(v, target);
    } catch (e) {
      // a frozen error keeps V8's words
    }
  }
  function setErrorWords(words) { errorWords = words; }
  var guardText = new RealRegExp(${JSON.stringify(GUARD_PATTERN)}, 'g');
  var realToString = RealFunction.prototype.toString;
  var boardToString = function toString() {
    var s = reflectApply(realToString, this, []);
    return reflectApply(strIndexOf, s, [${JSON.stringify(GUARD_KEY)}]) < 0 ? s : reflectApply(strReplace, s, [guardText, '']);
  };
  defineProperty(boardToString, 'toString', { value: nativeToString, configurable: true, enumerable: false, writable: true });
  defineProperty(RealFunction.prototype, 'toString', { value: boardToString, configurable: true, enumerable: false, writable: true });

  // ---- patterns made at run time through the syntax gate too: what Espruino's matcher lacks
  // (backreferences, lookaround: repl/regex-subset.ts) is refused as in a literal, and V8's
  // linear-time fallback (regexp-fallback.ts) covers every pattern that is left
  var reflectConstruct = Reflect.construct, ownKeys = Reflect.ownKeys, setPrototypeOf = Object.setPrototypeOf;
  var RegExpProto = RealRegExp.prototype;
  var sourceOf = getOwnPropertyDescriptor(RegExpProto, 'source').get, flagsOf = getOwnPropertyDescriptor(RegExpProto, 'flags').get;
  function gatePattern(re) {
    gate('/' + reflectApply(sourceOf, re, []) + '/' + reflectApply(flagsOf, re, []));
    return re;
  }
  function isRegExp(v) {
    try { reflectApply(sourceOf, v, []); return v !== RegExpProto; } catch (e) { return false; }
  }
  var GatedRegExp = function RegExp(pattern, flags) {
    var made = new.target ? reflectConstruct(RealRegExp, arguments, new.target === GatedRegExp ? RealRegExp : new.target) : reflectApply(RealRegExp, undefined, arguments);
    // a copy of a pattern that already passed (split() copies its separator with the sticky flag added) is not asked again
    return isRegExp(pattern) ? made : gatePattern(made);
  };
  var regExpKeys = ownKeys(RealRegExp);
  for (var rk = 0; rk < regExpKeys.length; rk++) {
    if (regExpKeys[rk] !== 'length' && regExpKeys[rk] !== 'name') defineProperty(GatedRegExp, regExpKeys[rk], getOwnPropertyDescriptor(RealRegExp, regExpKeys[rk]));
  }
  setPrototypeOf(GatedRegExp, getPrototypeOf(RealRegExp));
  defineProperty(GatedRegExp, 'toString', { __proto__: null, value: function toString() { return 'function RegExp() { [native code] }'; }, configurable: true, writable: true });
  defineProperty(RegExpProto, 'constructor', { __proto__: null, value: GatedRegExp, writable: true, configurable: true, enumerable: false });
  defineProperty(G, 'RegExp', { __proto__: null, value: GatedRegExp, writable: true, configurable: true, enumerable: false });
  // "s".match("pattern") and friends make their pattern inside the engine: gate the text first
  ['match', 'matchAll', 'search'].forEach(function (name) {
    var real = StrProto[name];
    var gated = {
      [name]: function (pattern) {
        if (typeof pattern === 'string') gatePattern(new RealRegExp(pattern));
        return reflectApply(real, this, arguments);
      },
    }[name];
    defineProperty(gated, 'toString', { __proto__: null, value: nativeToString, configurable: true, writable: true });
    defineProperty(StrProto, name, { __proto__: null, value: gated, writable: true, configurable: true, enumerable: false });
  });
`;
