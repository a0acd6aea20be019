import { describe, expect, it } from 'vitest';
import { startBoard } from '../../board-test-kit';
import { HIDDEN_GLOBALS, HIDDEN_MEMBERS } from './hidden-builtins';

describe('globals Espruino 2v29 lacks are really absent inside the board', () => {
  const t = startBoard();

  it.each(HIDDEN_GLOBALS)('typeof %s is undefined', (name) => {
    expect(t.value(`typeof ${name}`)).toBe('undefined');
  });

  it.each(HIDDEN_MEMBERS.map(([owner, member]) => `${owner}.${member}`))('%s is undefined', (path) => {
    expect(t.value(`typeof ${path}`)).toBe('undefined');
  });

  it('keeps what Espruino has', () => {
    expect(String(t.value('[typeof Promise, typeof JSON, typeof Uint8Array, typeof DataView, typeof globalThis, typeof global, typeof Object.assign, typeof btoa]'))).toBe(
      'function,object,function,function,object,object,function,function',
    );
    expect(t.value('Number.MAX_VALUE > 1 && Number("12") === 12 && new Number(3) instanceof Number && (5).constructor === Number')).toBe(true);
  });

  it('has no Node globals', () => {
    expect(t.value('[typeof process.exit, typeof Buffer, typeof setImmediate, typeof queueMicrotask, typeof module].join()')).toBe(
      'undefined,undefined,undefined,undefined,undefined',
    );
  });

  it('Promise has no finally/race/allSettled/any', () => {
    expect(t.value('[typeof Promise.race, typeof Promise.allSettled, typeof Promise.any, typeof Promise.prototype.finally].join()')).toBe(
      'undefined,undefined,undefined,undefined',
    );
  });

  it('functions the board provides belong to the board realm', () => {
    expect(t.value('setTimeout instanceof Function && E.hwRand.constructor === Function')).toBe(true);
    expect(t.value('E.toUint8Array([1,2]) instanceof Uint8Array')).toBe(true);
  });
});
