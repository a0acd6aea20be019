import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../clock/seeded-random';
import { createRepl } from './repl';
import { createTestEngine } from './test-engine';
import { connectedRepl } from './test-harness';

/**
 * After any junk a host gets a working console back the way EspruinoTools does:
 * Ctrl-C (clears the line), then a newline (ends a DLE "echo off for this line"
 * that Ctrl-C leaves set, as Espruino does). CAN (0x18) first ends an escape
 * sequence the junk may have left open (it would otherwise swallow a byte).
 */
function recovers(type: (bytes: string) => string): void {
  type('\x18\x03');
  type('\n');
  expect(type('6*7\n')).toBe('6*7\r\n=42\r\n>');
}

describe('garbage and partial input', () => {
  it('ignores NUL bytes', () => {
    const { type } = connectedRepl();
    expect(type('1\x00+\x002\x00\n')).toBe('1+2\r\n=3\r\n>');
  });

  it('recovers on the next line after an unmatched quote', () => {
    const { type } = connectedRepl();
    expect(type("'oops\n")).toMatch(/^'oops\r\nUncaught SyntaxError: Unterminated string constant\r\n/);
    expect(type('5\n')).toBe('5\r\n=5\r\n>');
  });

  it('swallows the byte after a lone ESC, as Espruino does, and carries on', () => {
    const { type } = connectedRepl();
    expect(type('\x1bx9\n')).toBe('9\r\n=9\r\n>');
    expect(type('\x1b')).toBe('');
    expect(type('\n')).toBe('\r\n:');
    recovers(type);
  });

  it('waits for the closing bracket after an unmatched one until Ctrl-C, like Espruino', () => {
    const { type } = connectedRepl();
    expect(type('((\n')).toBe('((\r\n:');
    expect(type('1\n')).toBe('1\r\n:');
    recovers(type);
  });

  it('takes a very long line', () => {
    const { type, engine } = connectedRepl();
    const long = '"' + 'z'.repeat(20000) + '".length';
    type('\x10' + long + '\n');
    expect(engine.results).toEqual([20000]);
    recovers(type);
  });

  it('drops input beyond the maximum line length instead of growing without bound', () => {
    const { type, repl } = connectedRepl({ maxInputLineLength: 100 });
    type('\x10' + '1'.repeat(500));
    expect(repl.inputLine.length).toBe(100);
    recovers(type);
  });

  it('never throws on random binary noise and recovers after Ctrl-C', () => {
    const rng = new SeededRandom('repl-garbage');
    for (let round = 0; round < 200; round++) {
      const { type } = connectedRepl();
      let noise = '';
      const n = rng.int(1, 200);
      for (let i = 0; i < n; i++) noise += String.fromCharCode(rng.int(0, 255));
      expect(() => type(noise)).not.toThrow();
      expect(() => type('\n')).not.toThrow();
      recovers(type);
    }
  });

  it('survives values that throw while being printed', () => {
    const { type } = connectedRepl();
    expect(type('({get a(){ throw 1 }, toString(){ throw 2 }})\n')).toMatch(/^\(\{get a\(\)\{ throw 1 \}, toString\(\)\{ throw 2 \}\}\)\r\n=/);
    recovers(type);
  });

  it('leaves the next line silent after Ctrl-C abandons a DLE line, as Espruino does', () => {
    const { type } = connectedRepl();
    type('\x10abc');
    type('\x03');
    expect(type('1\n')).toBe('');
    expect(type('2\n')).toBe('2\r\n=2\r\n>');
  });

  it('keeps executing when the link write throws (a closed socket)', () => {
    const engine = createTestEngine();
    const repl = createRepl({
      engine,
      write: () => {
        throw new Error('EPIPE');
      },
    });
    engine.attach(repl);
    expect(() => repl.receive('1+1\nprint(2)\n')).not.toThrow();
    expect(engine.results).toEqual([2, undefined]);
  });
});
