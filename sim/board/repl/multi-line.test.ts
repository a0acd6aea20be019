import { describe, expect, it } from 'vitest';
import { connectedRepl } from './test-harness';

describe('multi-line input', () => {
  it('keeps collecting lines behind a ":" prompt until the brackets balance', () => {
    const { type, engine } = connectedRepl();
    expect(type('function add(a, b) {\n')).toBe('function add(a, b) {\r\n:');
    expect(type('  return a + b;\n')).toBe('  return a + b;\r\n:');
    expect(type('}\n')).toBe('}\r\n=undefined\r\n>');
    expect(engine.evaluated).toEqual(['function add(a, b) {\n  return a + b;\n}']);
    expect(type('add(2, 3)\n')).toBe('add(2, 3)\r\n=5\r\n>');
  });

  it('redraws a partial multi-line input with ":" continuation prompts', () => {
    const { repl, type, take } = connectedRepl();
    type('if (true) {\nprint(1)');
    repl.printFromFirmware('tick\n');
    expect(take()).toBe('\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[D\x1b[A\r\x1b[Jtick\r\n>if (true) {\r\n:print(1)');
  });

  it('waits for the end of a block comment or a template literal', () => {
    const { type, engine } = connectedRepl();
    expect(type('/* note\n')).toBe('/* note\r\n:');
    expect(type('*/ 6\n')).toBe('*/ 6\r\n=6\r\n>');
    expect(type('`a\n')).toBe('`a\r\n:');
    expect(type('b`\n')).toBe('b`\r\n="a\\nb"\r\n>');
    expect(engine.evaluated).toEqual(['/* note\n*/ 6', '`a\nb`']);
  });

  it('executes a line with an unfinished string at once, so that it errors', () => {
    const { type } = connectedRepl();
    expect(type('"abc\n')).toBe('"abc\r\nUncaught SyntaxError: Unterminated string constant\r\n    at REPL (:1:1)\r\n"abc\r\n^\r\n>');
  });

  it('ignores brackets inside strings, comments and regular expressions', () => {
    const { type } = connectedRepl();
    expect(type('"(" + \'[\' // {\n')).toBe('"(" + \'[\' // {\r\n="(["\r\n>');
    expect(type('/[(]/.test("(")\n')).toBe('/[(]/.test("(")\r\n=true\r\n>');
  });

  it('executes on too many closing brackets (and reports the error)', () => {
    const { type } = connectedRepl();
    expect(type('1)\n')).toMatch(/^1\)\r\nUncaught SyntaxError: /);
  });

  it('inserts a newline without executing on ESC LF (Alt-Enter, what EspruinoTools sends inside statements)', () => {
    const { type, engine } = connectedRepl();
    expect(type('var a = 1\x1b\n')).toBe('var a = 1\r\n:');
    expect(type('+ 2\n')).toBe('+ 2\r\n=undefined\r\n>');
    expect(engine.evaluated).toEqual(['var a = 1\n+ 2']);
    expect(type('a\n')).toBe('a\r\n=3\r\n>');
  });

  it('accepts \\r, \\n and \\r\\n as one line end each', () => {
    const { type, engine } = connectedRepl();
    expect(type('1\r')).toBe('1\r\n=1\r\n>');
    expect(type('2\n')).toBe('2\r\n=2\r\n>');
    expect(type('3\r\n')).toBe('3\r\n=3\r\n>');
    expect(type('(\r\n4)\r\n')).toBe('(\r\n:4)\r\n=4\r\n>');
    expect(engine.evaluated).toEqual(['1', '2', '3', '(\n4)']);
  });

  it('ignores ESC [ <n> d line-number hints but uses them for error positions', () => {
    const { type } = connectedRepl();
    expect(type('\x1b[12d5\n')).toBe('5\r\n=5\r\n>');
    expect(type('\x1b[40dnope\n')).toBe('nope\r\nUncaught ReferenceError: "nope" is not defined\r\n    at REPL (:40:1)\r\nnope\r\n^\r\n>');
  });
});
