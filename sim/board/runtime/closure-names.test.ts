import { describe, expect, it } from 'vitest';
import { capturedNames } from './closure-names';

describe('the names a function takes from the scopes around it', () => {
  it('are what it uses and does not declare', () => {
    expect(capturedNames('function (a, b) { var c = a + b + outer; return c * other.x }')).toEqual(['outer', 'other']);
  });

  it('leave out its parameters, locals, nested functions\' locals, property names and labels', () => {
    const source = 'function f(p, { q, r: [s] }, ...t) { let u = p; const v = { w: u, [key]: 1 }; function g(x) { return x + y } loop: for (var i in v) { break loop } try {} catch (e) { e.message } return f, g, v.w, q, s, t }';
    expect(capturedNames(source)).toEqual(['key', 'y']);
  });

  it('read a shorthand property as a use, and parse methods and arrows', () => {
    expect(capturedNames('function () { return { kept } }')).toEqual(['kept']);
    expect(capturedNames('method() { return state.n }')).toEqual(['state']);
    expect(capturedNames('(x) => x + total')).toEqual(['total']);
  });

  it('are none for native functions and text that does not parse', () => {
    expect(capturedNames('function push() { [native code] }')).toEqual([]);
    expect(capturedNames('function ( {')).toEqual([]);
  });
});
