import { describe, expect, it } from 'vitest';
import { connectedRepl } from './test-harness';

describe('Ctrl-C', () => {
  it('erases a partial line on the terminal and gives a fresh prompt', () => {
    const { type } = connectedRepl();
    type('abc');
    // cursor back to the start of the input, CR past the '>', erase to end of screen, prompt
    expect(type('\x03')).toBe('\x1b[D\x1b[D\x1b[D\r\x1b[J>');
    expect(type('1\n')).toBe('1\r\n=1\r\n>');
  });

  it('prints nothing on an empty line (the exit prompt is for Linux builds only)', () => {
    const { type } = connectedRepl();
    expect(type('\x03')).toBe('');
    expect(type('\x03\x03')).toBe('');
  });

  it('abandons an unfinished multi-line input, climbing back to its first line', () => {
    const { type, engine } = connectedRepl();
    type('function f() {\n');
    expect(type('\x03')).toBe('\x1b[A\r\x1b[J>');
    expect(type('1\n')).toBe('1\r\n=1\r\n>');
    expect(engine.evaluated).toEqual(['1']);
  });

  it('acts at the end of the pass, so bytes after it in the same burst are dropped too', () => {
    const { type, engine } = connectedRepl();
    expect(type('ab\x03cd')).toBe('abcd\x1b[D\x1b[D\x1b[D\x1b[D\r\x1b[J>');
    expect(engine.evaluated).toEqual([]);
  });

  it('leaves a pending escape sequence alone (it is never queued as a character)', () => {
    const { type } = connectedRepl();
    // ESC then Ctrl-C then '[' 'C': still a cursor-right sequence; with nothing to move over it does nothing
    expect(type('\x1b\x03[C5\n')).toBe('5\r\n=5\r\n>');
  });
});
