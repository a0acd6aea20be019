import { describe, expect, it } from 'vitest';
import { beyondEs5ButArrows, toArrowFunctions, unsoundArrowFunctions } from './arrow-functions';
import { checkFirmwareSource } from './build';
import { runWithoutHoisting } from './run-without-hoisting';

const arrows = (code: string): string => toArrowFunctions(code, 'in.js').code;

describe('function expressions that cannot tell the difference become arrow functions', () => {
  it('writes an expression body for a lone return, a block otherwise, and parenthesises only when needed', () => {
    expect(arrows('f(function(n){return n+1});')).toBe('f(n=>n+1);');
    expect(arrows('f(function(n,t){return{a:n,b:t}});')).toBe('f((n,t)=>({a:n,b:t}));');
    expect(arrows('f(function(){return a(),b});')).toBe('f(()=>(a(),b));');
    expect(arrows('f(function(){return});')).toBe('f(()=>{return});');
    expect(arrows('f(function(n){a(n);b()});')).toBe('f(n=>{a(n);b()});');
    expect(arrows('x=a||function(){return 1};')).toBe('x=a||(()=>1);');
    expect(arrows('(function(){go()})();')).toBe('(()=>{go()})();');
    expect(arrows('var o={m:function(n){return n}},p=c?function(){return 1}:null;')).toBe('var o={m:n=>n},p=c?()=>1:null;');
  });

  it('converts nested functions too, and keeps the body of a converted one as written', () => {
    expect(arrows('f(function(n){return g(function(t){return n+t})});')).toBe('f(n=>g(t=>n+t));');
  });

  it('keeps a function that reads this or arguments anywhere in its text, and a named function expression', () => {
    const kept = [
      'f(function(){return this.a});',
      'f(function(){return function(){return this}});',
      'f(function(){return arguments.length});',
      'f(function g(n){return n?g(n-1):0});',
      'function C(n){this.n=n}',
    ];
    for (const code of kept) expect(arrows(code)).toBe(code);
  });

  it('turns runs of function declarations into one var, joined to the var statements around them', () => {
    expect(arrows('function a(n){return n}function b(){go()}print(a(1));')).toBe('var a=n=>n,b=()=>{go()};print(a(1));');
    expect(arrows('var x=1;function a(n){return n}var y=2;print(x);')).toBe('var x=1,a=n=>n,y=2;print(x);');
    expect(arrows('(function(){var x=1;function a(){return x}function K(){this.k=1}function b(){return 2}return[a(),new K,b()]})();')).toBe(
      // The outer function stays one: `this` is in its text (K's), and Espruino would store a this link for the arrow.
      '(function(){var x=1,a=()=>x;function K(){this.k=1}var b=()=>2;return[a(),new K,b()]})();',
    );
  });

  it('keeps declarations in nested blocks, and a declared function that is constructed', () => {
    expect(arrows('if(a){function d(){}}')).toBe('if(a){function d(){}}');
    expect(arrows('function P(){}P.prototype.m=1;')).toBe('function P(){}P.prototype.m=1;');
  });

  it('keeps a function that is constructed or whose prototype is read, under the name it is stored as', () => {
    expect(arrows('var K=function(){};new K;')).toBe('var K=function(){};new K;');
    expect(arrows('o.P=function(n){};o.P.prototype.x=1;')).toBe('o.P=function(n){};o.P.prototype.x=1;');
    expect(arrows('var Q=function(){};Q();')).toBe('var Q=()=>{};Q();');
  });

  it('leaves code that is not ES5 alone', () => {
    expect(arrows('let f = function(){ return 1 };')).toBe('let f = function(){ return 1 };');
  });

  it('leaves nothing beyond ES5 but the arrows, and every arrow sound', () => {
    const out = arrows('var a=[1,2].map(function(n){return[n,,n]}),b=function(n){return{k:n}};print(a,b(1));');
    expect(beyondEs5ButArrows(out)).toEqual([]);
    // An array hole stays out of an arrow's expression body: Espruino parses it without running it there.
    expect(out).toContain('n=>{return[n,,n]}');
    expect(unsoundArrowFunctions(out)).toEqual([]);
  });

  it('finds arrow functions the pass never makes', () => {
    const whys = unsoundArrowFunctions('f(()=>this);f(()=>arguments[0]);f(n=>[n,,n]);').map((problem) => problem.why);
    expect(whys).toEqual(['reads this', 'reads arguments', 'has an array hole in its expression body']);
  });
});

describe('a built program with arrow functions runs as before', () => {
  it('callbacks, closures and methods give the same output', async () => {
    const source = `class Tally {
  private items: number[] = [];
  add(n: number): this { this.items.push(n); return this; }
  total(): number { return this.items.reduce((sum, n) => sum + n, 0); }
  labels(): string[] { return this.items.map((n) => ({ n, odd: n % 2 === 1 })).filter((item) => item.odd).map((item) => 'odd ' + item.n); }
}
const tally = new Tally().add(1).add(2).add(3);
const later: (() => string)[] = [];
for (let i = 0; i < 3; i++) later.push(() => 'i=' + i);
print(tally.total(), tally.labels().join(','), later.map((f) => f()).join(' '));
`;
    const result = await checkFirmwareSource(source, { fileName: 'firmware/build/fixtures/arrows.ts' });
    expect(result.problems).toEqual([]);
    expect(result.code).toMatch(/=>/);
    expect(beyondEs5ButArrows(result.code)).toEqual([]);
    expect(runWithoutHoisting(result.code)).toEqual(['6 odd 1,odd 3 i=0 i=1 i=2']);
  });
});
