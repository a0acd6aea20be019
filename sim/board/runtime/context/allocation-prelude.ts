/**
 * The board's allocation check, context side: source run in every fresh board
 * context right after the prelude (prelude.ts), before any board code. It
 * replaces the built-ins that can make a large value in one native call —
 * `ArrayBuffer` and the typed-array constructors, `Array.prototype.fill` and
 * `join`, `String.prototype.repeat`, `padStart`, `padEnd`, `JSON.stringify` —
 * and counts the elements `push` and `unshift` add (in bulk, 256 at a time),
 * and tells the host when board code first describes a property
 * (`Object.defineProperty`, `defineProperties`, `create` with descriptors,
 * `__defineGetter__`, `__defineSetter__`),
 * with versions that first ask for the JsVars the value would take on
 * Espruino (espruino-sizes.ts) and otherwise behave as the originals (same
 * name, length, prototype and constructor links, `instanceof` unchanged).
 *
 * Asking follows src/jsvar.c jsvNewWithFlags: when the free count the host
 * last gave is not enough, collect first (the host counts again, as
 * Espruino garbage-collects before it gives up), and only then fail: the host
 * prints "ERROR: Out of Memory!", raises the LOW_MEMORY and MEMORY flags and
 * interrupts the running code (memory-guard.ts). Small requests are not
 * counted one by one; the host's periodic count catches slow growth.
 */
import {
  FLAT_STRING_BREAK_EVEN,
  PUCKJS_BLOCK_SIZE,
  PUCKJS_TOTAL_BLOCKS,
  STRING_EXT_CHARS,
  STRING_FIRST_CHARS,
} from '../espruino-sizes';
import { REPLACE_METHOD_SOURCE } from './replace-method';

export interface AllocationHooks {
  /** Counts again and returns the free blocks (the board's garbage collection). */
  collect(): number;
  /** Fails the allocation the Espruino way; throws the board's interrupt. */
  outOfMemory(): never;
  /** Board code described a property (it may be non-enumerable): the host's count reads every own name from now on (memory-estimate.ts). */
  described(): void;
}

export interface AllocationControls {
  /** The free blocks the host counted. */
  setFree(blocks: number): void;
}

/**
 * Evaluates to a function: run before the prelude (which hides Reflect), it
 * captures the intrinsics; the installer it returns is called once the
 * realm's membrane exists, still before any board code.
 */
export const ALLOCATION_SOURCE = String.raw`(function () {
  'use strict';
  var G = globalThis, apply = Reflect.apply, construct = Reflect.construct, ownKeys = Reflect.ownKeys;
  var defineProperty = Object.defineProperty, getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  var getPrototypeOf = Object.getPrototypeOf, setPrototypeOf = Object.setPrototypeOf, keysOf = Object.keys;
  var Num = Number, Str = String, TypeErrorCtor = TypeError, isArray = Array.isArray, ceil = Math.ceil;
  return function install(hooks) {
  var collect = hooks.collect, outOfMemory = hooks.outOfMemory, describedHook = hooks.described;
  hooks = null;
  var free = ${PUCKJS_TOTAL_BLOCKS}, pending = 0;
  /** Requests under this many blocks are left to the host's periodic count. */
  var SMALL = 32;

  function need(blocks) {
    if (!(blocks >= SMALL)) return;
    if (blocks <= free - pending) { pending += blocks; return; }
    free = collect();
    pending = 0;
    if (blocks > free) outOfMemory();
    pending = blocks;
  }
  function stringBlocks(chars) {
    if (chars <= ${STRING_FIRST_CHARS}) return 1;
    if (chars < ${FLAT_STRING_BREAK_EVEN}) return 1 + ceil((chars - ${STRING_FIRST_CHARS}) / ${STRING_EXT_CHARS});
    return 1 + ceil(chars / ${PUCKJS_BLOCK_SIZE});
  }
  function num(v) { return typeof v === 'number' ? v : Num(v); }
  function count(v) {
    var n = num(v);
    return n !== n ? 0 : n < 0 ? 0 : n;
  }
  function lengthOf(o) {
    var d = o !== null && (typeof o === 'object' || typeof o === 'function') ? getOwnPropertyDescriptor(o, 'length') : undefined;
    return d && 'value' in d ? count(d.value) : 0;
  }
${REPLACE_METHOD_SOURCE}

  // ---- strings made in one call
  replaceMethod(Str.prototype, 'repeat', 1, function (original) {
    return function (times) {
      if (this === null || this === undefined) return apply(original, this, [times]);
      var s = Str(this), t = num(times), n = count(t);
      if (n !== Infinity) need(stringBlocks(s.length * n));
      return apply(original, s, [t]);
    };
  });
  ['padStart', 'padEnd'].forEach(function (name) {
    replaceMethod(Str.prototype, name, 2, function (original) {
      return function (maxLength, filler) {
        if (this === null || this === undefined) return apply(original, this, [maxLength, filler]);
        var s = Str(this), t = num(maxLength), n = count(t);
        if (n > s.length && n !== Infinity) need(stringBlocks(n));
        return apply(original, s, arguments.length > 1 ? [t, filler] : [t]);
      };
    });
  });

  // ---- arrays
  // push and unshift add one element each: counted in bulk, so a loop that pushes without end
  // meets the board's count inside the run, not only at its end
  var pushed = 0;
  ['push', 'unshift'].forEach(function (name) {
    replaceMethod(Array.prototype, name, 1, function (original) {
      return function () {
        pushed += arguments.length;
        if (pushed >= 256) { var n = pushed; pushed = 0; need(n); }
        return apply(original, this, arguments);
      };
    });
  });
  replaceMethod(Array.prototype, 'fill', 1, function (original) {
    return function (value) {
      if (isArray(this)) {
        var len = this.length, start = arguments.length > 1 ? relative(arguments[1], len) : 0;
        var end = arguments.length > 2 && arguments[2] !== undefined ? relative(arguments[2], len) : len;
        var integer = typeof value === 'number' && value === (value | 0);
        if (end > start) need((end - start) * (integer ? 1 : 2));
      }
      return apply(original, this, arguments);
    };
  });
  function relative(v, len) {
    var n = Num(v);
    n = n !== n ? 0 : n < 0 ? ceil(n) : n - (n % 1);
    return n < 0 ? (len + n < 0 ? 0 : len + n) : n > len ? len : n;
  }
  replaceMethod(Array.prototype, 'join', 1, function (original) {
    return function (separator) {
      if (isArray(this)) {
        var sep = separator === undefined ? ',' : Str(separator), len = this.length, chars = len > 1 ? (len - 1) * sep.length : 0;
        if (len <= 65536) for (var i = 0; i < len; i++) { var d = getOwnPropertyDescriptor(this, i); if (d && typeof d.value === 'string') chars += d.value.length; }
        need(stringBlocks(chars));
        return apply(original, this, [sep]);
      }
      return apply(original, this, arguments);
    };
  });

  // ---- JSON.stringify: the text's length estimated from the data first (own data properties, no getter runs)
  var JSONobject = JSON;
  replaceMethod(JSONobject, 'stringify', 3, function (original) {
    return function (value) {
      var budget = (free - pending) * ${PUCKJS_BLOCK_SIZE}, chars = jsonChars(value, budget + 1, [], 0);
      if (chars > ${PUCKJS_BLOCK_SIZE} * SMALL) need(stringBlocks(chars));
      return apply(original, JSONobject, arguments);
    };
  });
  function jsonChars(v, budget, ancestors, depth) {
    if (typeof v === 'string') return v.length + 2;
    if (v === null || (typeof v !== 'object')) return 8;
    if (depth > 64) return 2;
    for (var a = 0; a < ancestors.length; a++) if (ancestors[a] === v) return 0;
    ancestors[ancestors.length] = v;
    var total = 2, keys = keysOf(v), arrayLike = isArray(v);
    for (var i = 0; i < keys.length && total <= budget; i++) {
      var d = getOwnPropertyDescriptor(v, keys[i]);
      if (!d || !('value' in d)) continue;
      total += (arrayLike ? 1 : keys[i].length + 4) + jsonChars(d.value, budget - total, ancestors, depth + 1);
    }
    ancestors.length = ancestors.length - 1;
    return total;
  }

  // ---- ArrayBuffer and the typed arrays
  var RealArrayBuffer = ArrayBuffer;
  var bufferByteLength = getOwnPropertyDescriptor(RealArrayBuffer.prototype, 'byteLength').get;
  function isBuffer(v) {
    try { apply(bufferByteLength, v, []); return true; } catch (e) { return false; }
  }
  function replaceConstructor(name, length, bytesFor) {
    var Real = G[name];
    var Board = function () {
      if (!new.target) throw new TypeErrorCtor("Constructor " + name + " requires 'new'");
      need(bytesFor(arguments));
      return construct(Real, arguments, new.target === Board ? Real : new.target);
    };
    var keys = ownKeys(Real);
    for (var i = 0; i < keys.length; i++) {
      if (keys[i] === 'length' || keys[i] === 'name') continue;
      defineProperty(Board, keys[i], getOwnPropertyDescriptor(Real, keys[i]));
    }
    setPrototypeOf(Board, getPrototypeOf(Real));
    defineProperty(Real.prototype, 'constructor', { __proto__: null, value: Board, configurable: true, writable: true, enumerable: false });
    defineProperty(G, name, { __proto__: null, value: nativeLooking(Board, name, length), configurable: true, writable: true, enumerable: false });
  }
  replaceConstructor('ArrayBuffer', 1, function (args) {
    var bytes = count(args[0]);
    return bytes === Infinity ? 0 : 1 + stringBlocks(bytes);
  });
  ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'].forEach(function (name) {
    var perElement = G[name].BYTES_PER_ELEMENT;
    replaceConstructor(name, 3, function (args) {
      var source = args[0];
      if (source !== null && typeof source === 'object') {
        if (isBuffer(source)) return 0;
        var n = lengthOf(source);
        return n === Infinity ? 0 : 2 + stringBlocks(n * perElement);
      }
      var elements = count(source);
      return elements === Infinity ? 0 : 2 + stringBlocks(elements * perElement);
    });
  });

  // ---- property descriptors: until board code describes a property, every name it made is enumerable,
  // so the host's count reads names from V8's enumeration cache (memory-estimate.ts)
  var describedOnce = false;
  function described() {
    if (describedOnce) return;
    describedOnce = true;
    describedHook();
  }
  var ObjectCtor = Object;
  replaceMethod(ObjectCtor, 'defineProperty', 3, function (original) {
    return function () { described(); return apply(original, ObjectCtor, arguments); };
  });
  replaceMethod(ObjectCtor, 'defineProperties', 2, function (original) {
    return function () { described(); return apply(original, ObjectCtor, arguments); };
  });
  replaceMethod(ObjectCtor, 'create', 2, function (original) {
    return function (proto, properties) {
      if (properties !== undefined) described();
      return apply(original, ObjectCtor, arguments);
    };
  });
  ['__defineGetter__', '__defineSetter__'].forEach(function (name) {
    replaceMethod(ObjectCtor.prototype, name, 2, function (original) {
      return function () { described(); return apply(original, this, arguments); };
    });
  });

  return {
    setFree: function (blocks) { free = blocks; pending = 0; },
  };
  };
})()`;
