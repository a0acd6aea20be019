/**
 * Context-side source shared by the preludes that replace built-ins
 * (allocation-prelude.ts, espruino-builtins-prelude.ts): spliced into each,
 * where a `defineProperty` captured before any board code is in scope. A
 * replacement keeps the original's name, length and native-looking text.
 */
export const REPLACE_METHOD_SOURCE = String.raw`
  function nativeLooking(f, name, length) {
    defineProperty(f, 'name', { __proto__: null, value: name, configurable: true });
    defineProperty(f, 'length', { __proto__: null, value: length, configurable: true });
    defineProperty(f, 'toString', { __proto__: null, value: function toString() { return 'function ' + name + '() { [native code] }'; }, configurable: true, writable: true });
    return f;
  }
  function replaceMethod(owner, name, length, make) {
    var original = owner[name];
    defineProperty(owner, name, { __proto__: null, value: nativeLooking(make(original), name, length), configurable: true, writable: true, enumerable: false });
  }
`;
