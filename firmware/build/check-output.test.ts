import { describe, expect, it } from 'vitest';
import { checkOutput } from './check-output';

// The output rules on hand-written ES5, where positions are easy to read.

const rulesOf = (code: string): string[] => checkOutput(code).map((finding) => `${finding.position.line}:${finding.rule}`);

describe('hoisting and var-in-branch on ES5 output', () => {
  it('treats the body of an immediately called function as straight-line code', () => {
    expect(rulesOf('(function () {\n  (function () { later(); })();\n  function later() {}\n})();')).toEqual(['2:hoisting']);
  });

  it('does not flag references from functions that run later', () => {
    expect(rulesOf('(function () {\n  setTimeout(function () { later(); });\n  function later() {}\n})();')).toEqual([]);
  });

  it('does not flag typeof probes', () => {
    expect(rulesOf('(function () {\n  print(typeof later);\n  var later = 1;\n  print(typeof Map);\n})();')).toEqual([]);
  });

  it('flags a var read after the loop that declared it', () => {
    expect(rulesOf('(function () {\n  for (var k in {}) print(k);\n  print(k);\n})();')).toEqual(['3:var-in-branch']);
  });

  it('accepts a var declared in a loop head or a try block', () => {
    expect(rulesOf('(function () {\n  for (var i = 0; i < 2; i++) print(i);\n  try { var v = JSON.parse("1"); } catch (e) { v = 0; }\n  print(i, v);\n})();')).toEqual([]);
  });

  it('flags a var read before its declaration runs', () => {
    expect(rulesOf('(function () {\n  print(x);\n  var x = 1;\n})();')).toEqual(['2:hoisting']);
  });

  it('follows calls transitively to a function declared further down', () => {
    expect(rulesOf('(function () {\n  function a() { b(); }\n  function b() { c(); }\n  a();\n  function c() {}\n})();')).toEqual(['4:hoisting']);
  });
});

describe('globals on ES5 output', () => {
  it('flags absent globals only when nothing declares them', () => {
    expect(rulesOf('(function () {\n  var Map = function () {};\n  print(new Map());\n})();\nprint(new Set());')).toEqual(['5:absent-global']);
  });

  it('ignores property names that look like globals', () => {
    expect(rulesOf('(function () {\n  var o = { Map: 1, Symbol: 2 };\n  print(o.Map, o.Symbol, o.from);\n})();')).toEqual([]);
  });
});
