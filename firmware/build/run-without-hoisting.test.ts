import { describe, expect, it } from 'vitest';
import { runWithoutHoisting, withoutFunctionHoisting } from './run-without-hoisting';

describe('running output the way Espruino treats declarations', () => {
  it('rewrites adjacent function declarations (minified output) into valid assignments', () => {
    expect(withoutFunctionHoisting('function a(){}function b(){}a();')).toBe('var a = function a(){};var b = function b(){};a();');
  });

  it('makes a call before the declaration fail, as on Espruino', () => {
    expect(() => runWithoutHoisting('f();function f(){print(1)}')).toThrow(/is not a function/);
    expect(runWithoutHoisting('function f(){print(1)}f();')).toEqual(['1']);
  });
});
