import { describe, expect, it } from 'vitest';
import { connectedRepl } from './test-harness';

describe('echo of typed input', () => {
  it('prints the prompt when a host connects', () => {
    const { repl, take } = connectedRepl();
    repl.showPrompt();
    expect(take()).toBe('>');
  });

  it('echoes each typed character and answers a line with =value and a new prompt', () => {
    const { type } = connectedRepl();
    expect(type('1')).toBe('1');
    expect(type('+2')).toBe('+2');
    expect(type('\n')).toBe('\r\n=3\r\n>');
  });

  it('executes a whole burst in one pass: lines after the first are not echoed until the prompt returns', () => {
    // jsiHandleNewLine sets inputLineRemoved; echo resumes when jsiLoop returns the input line.
    const { type } = connectedRepl();
    expect(type('1\n2\n3')).toBe('1\r\n=1\r\n=2\r\n>3');
  });

  it('does not echo, print a result or redraw the prompt for a line starting with DLE (0x10)', () => {
    const { type, engine } = connectedRepl();
    expect(type('\x101+2\n')).toBe('');
    expect(engine.results).toEqual([3]);
    expect(type('4\n')).toBe('4\r\n=4\r\n>');
  });

  it('treats DLE inside a line as an ignored control character', () => {
    const { type } = connectedRepl();
    expect(type('1\x10+1\n')).toBe('1+1\r\n=2\r\n>');
  });

  it('still shows what a DLE line prints, and the prompt comes back after it', () => {
    const { type } = connectedRepl();
    expect(type('\x10print("hi")\n')).toBe('hi\r\n>');
  });

  it('stops echo, results and prompts after setEcho(false), but not printed output', () => {
    const { repl, type, take } = connectedRepl();
    repl.setEcho(false);
    expect(type('1+2\n')).toBe('');
    expect(type('print(5)\n')).toBe('5\r\n');
    repl.setEcho(true);
    expect(take()).toBe('');
    expect(type('7\n')).toBe('7\r\n=7\r\n>');
  });

  it('turns echo off from the console with echo(0) and back on with echo(1)', () => {
    const { type } = connectedRepl();
    expect(type('echo(0)\n')).toBe('echo(0)\r\n');
    expect(type('1+1\n')).toBe('');
    expect(type('echo(1)\n')).toBe('=undefined\r\n>');
    expect(type('2\n')).toBe('2\r\n=2\r\n>');
  });
});
