/**
 * Built-ins whose argument checks Espruino 2v29 words (or does not make) as
 * V8 does not: source run in every fresh board context, captured before the
 * prelude (prelude.ts) hides Reflect and installed right after the allocation
 * check (allocation-prelude.ts), before any board code. Each replacement
 * checks its arguments as the C function does, raises Espruino's error type
 * and words (src/jsutils.c jsExceptionHere; `%t` as vcbprintf writes it) and
 * otherwise calls the original, so what Espruino and V8 both accept behaves
 * as before. Same name, length and `toString` as the original; only
 * intrinsics captured here are used, so board code cannot redirect them.
 *
 * Rules from the newest Espruino sources in the search index (the
 * single-file espruino_embedded.c build of src/):
 *  - src/jswrap_object.c jswrap_object_keys_or_property_names_cb: only
 *    iterables have keys, anything else has none, so `Object.keys`,
 *    `getOwnPropertyNames`, `values` and `entries` of null or undefined are
 *    `[]` (V8 throws); other values already agree.
 *  - src/jswrap_number.c jswrap_number_toFixed: the `int32` argument is
 *    clamped to 0..20 (V8 throws a RangeError past 100) and the digits are
 *    src/jsutils.c ftoa_bounded_extra's: each digit truncated, the last one
 *    rounded without carrying into the others (`(9.99).toFixed(1)` is "9.9",
 *    V8's "10.0"; `(2.5).toFixed()` is "2", V8's "3").
 *  - src/jswrap_object.c jswrap_object_create: a prototype that is neither
 *    an Object nor null is TypeError "Object prototype may only be an Object
 *    or null: %t"; an Object as second argument is Error "propertiesObject is
 *    not supported yet".
 *  - src/jswrap_object.c jswrap_object_defineProperty / defineProperties.
 *  - src/jswrap_array.c _jswrap_array_iterate_with_callback (forEach, map,
 *    filter, some, every, find, findIndex) and jswrap_array_reduce.
 *
 * jsvIsObject holds for Espruino's JSV_OBJECT only: not for arrays,
 * functions, typed arrays or ArrayBuffers (`isObject` below).
 */
import { REPLACE_METHOD_SOURCE } from './replace-method';
export interface EspruinoBuiltins {
  /** `%t` of a board value, as jsExceptionHere writes it (for tests). */
  typeName(value: unknown): string;
}

/** Evaluates to a function: run before the prelude, it captures the intrinsics; the installer it returns is called before any board code. */
export const ESPRUINO_BUILTINS_SOURCE = String.raw`(function () {
  'use strict';
  var apply = Reflect.apply, defineProperty = Object.defineProperty, getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  var getPrototypeOf = Object.getPrototypeOf, isArray = Array.isArray, Num = Number, trunc = Math.trunc;
  var ErrorCtor = Error, TypeErrorCtor = TypeError, ObjectCtor = Object;
  var objectToString = Object.prototype.toString, numberValueOf = Number.prototype.valueOf, fromCharCode = String.fromCharCode;
  var typedArrayTag = getOwnPropertyDescriptor(getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
  return function install() {

  /** src/jsutils.c vcbprintf %t: "null", else jswGetBasicObjectName (the class whose check holds), else jsvGetTypeOf. */
  function typeName(v) {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'undefined': return 'undefined';
      case 'number': return 'Number';
      case 'string': return 'String';
      case 'boolean': return 'Boolean';
      case 'function': return 'Function';
    }
    if (isArray(v)) return 'Array';
    var typed = apply(typedArrayTag, v, []);
    if (typed !== undefined) return typed;
    if (isArrayBuffer(v)) return 'ArrayBuffer';
    return 'Object';
  }
  function isArrayBuffer(v) {
    return apply(objectToString, v, []) === '[object ArrayBuffer]';
  }
  /** src/jsvar.c jsvIsObject: a plain object (class instances, dates and errors are), not an array, function or buffer. */
  function isObject(v) {
    return typeof v === 'object' && v !== null && !isArray(v) && apply(typedArrayTag, v, []) === undefined && !isArrayBuffer(v);
  }
  /** src/jsvar.c jsvIsIterable: arrays, objects, functions, strings and buffers. */
  function isIterable(v) {
    return typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null);
  }
${REPLACE_METHOD_SOURCE}

  // ---- src/jswrap_object.c
  ['keys', 'getOwnPropertyNames', 'values', 'entries'].forEach(function (name) {
    replaceMethod(ObjectCtor, name, 1, function (original) {
      return function (object) {
        if (object === null || object === undefined) return [];
        return original(object);
      };
    });
  });
  replaceMethod(ObjectCtor, 'create', 2, function (original) {
    return function (proto, propertiesObject) {
      if (proto !== null && !isObject(proto)) throw new TypeErrorCtor('Object prototype may only be an Object or null: ' + typeName(proto));
      if (isObject(propertiesObject)) throw new ErrorCtor('propertiesObject is not supported yet');
      return apply(original, ObjectCtor, arguments);
    };
  });
  replaceMethod(ObjectCtor, 'defineProperty', 3, function (original) {
    return function (obj, name, desc) {
      if (typeof obj !== 'function' && !isArray(obj) && !isObject(obj)) throw new ErrorCtor('First argument must be Object, Function or Array, got ' + typeName(obj));
      if (!isObject(desc)) throw new ErrorCtor('Property description must be Object, got ' + typeName(desc));
      return apply(original, ObjectCtor, arguments);
    };
  });
  replaceMethod(ObjectCtor, 'defineProperties', 2, function (original) {
    return function (obj, props) {
      if (!isObject(obj)) throw new ErrorCtor('First argument must be Object, got ' + typeName(obj));
      if (!isObject(props)) throw new ErrorCtor('Second argument must be Object, got ' + typeName(props));
      return apply(original, ObjectCtor, arguments);
    };
  });

  // ---- src/jswrap_number.c jswrap_number_toFixed: an int32 argument (jsvGetInteger: NaN and non-numbers 0), clamped to 0..20,
  // written by ftoa_bounded_extra(value, buf, 70, 10, decimals)
  replaceMethod(Num.prototype, 'toFixed', 1, function () {
    return function (decimals) {
      var value = apply(numberValueOf, this, []);
      var d = typeof decimals === 'number' ? decimals : typeof decimals === 'string' || typeof decimals === 'boolean' ? Num(decimals) : 0;
      d = d !== d || d < 0 ? 0 : d > 20 ? 20 : trunc(d);
      return fixedText(value, d);
    };
  });
  /** C's (JsVarInt)double as the Cortex-M4 FPU does it (VCVT saturates). */
  function jsVarInt(x) {
    return x >= 2147483647 ? 2147483647 : x <= -2147483648 ? -2147483648 : trunc(x);
  }
  function itoch(v) {
    return v < 10 ? fromCharCode(48 + v) : fromCharCode(97 + v - 10);
  }
  /** src/jsutils.c ftoa_bounded_extra with radix 10 and fractionalDigits >= 0 (no exponent), step for step. */
  function fixedText(val, fractionalDigits) {
    if (val !== val) return 'NaN';
    if (val === Infinity) return 'Infinity';
    if (val === -Infinity) return '-Infinity';
    var len = 70, out = '';
    if (val < 0) {
      if (--len <= 0) return out;
      out += '-';
      val = -val;
    }
    if (jsVarInt(val + 0.0000001) === ((1 + jsVarInt(val)) | 0)) val = 1 + jsVarInt(val);
    var d = 1, v;
    while (d * 10 <= val) d *= 10;
    while (d >= 1) {
      v = trunc(val / d);
      val -= v * d;
      if (--len <= 0) return out;
      out += itoch(v);
      d /= 10;
    }
    if (fractionalDigits > 0) {
      val *= 10;
      if (--len <= 0) return out;
      out += '.';
      while (fractionalDigits > 0) {
        v = trunc(val + (fractionalDigits === 1 ? 0.5 : 0.00000001));
        val = (val - v) * 10;
        if (v === 10) v = 9;
        if (--len <= 0) return out;
        out += itoch(v);
        fractionalDigits--;
      }
    }
    return out;
  }

  // ---- src/jswrap_array.c: the callback checks before any element is visited
  function checkIteration(self, callback) {
    if (!isIterable(self)) throw new ErrorCtor('Must be called on something iterable');
    if (typeof callback !== 'function') throw new ErrorCtor('First argument must be a function');
  }
  var AP = Array.prototype;
  ['forEach', 'map', 'filter', 'some', 'every'].forEach(function (name) {
    replaceMethod(AP, name, 1, function (original) {
      return function (callback, thisArg) {
        checkIteration(this, callback);
        if (thisArg !== undefined && !isObject(thisArg)) throw new ErrorCtor('Second argument must be Object or undefined');
        return apply(original, this, arguments);
      };
    });
  });
  ['find', 'findIndex', 'reduce'].forEach(function (name) {
    replaceMethod(AP, name, 1, function (original) {
      return function (callback) {
        checkIteration(this, callback);
        return apply(original, this, arguments);
      };
    });
  });

  return { typeName: typeName };
  };
})()`;
