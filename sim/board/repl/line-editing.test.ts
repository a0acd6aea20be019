import { describe, expect, it } from 'vitest';
import { connectedRepl } from './test-harness';

describe('line editing', () => {
  it('deletes backwards with backspace (0x08) and DEL (0x7f)', () => {
    const { type, engine } = connectedRepl();
    expect(type('12x')).toBe('12x');
    expect(type('\x08')).toBe('\x08 \x08');
    expect(type('y\x7f')).toBe('y\x08 \x08');
    expect(type('\n')).toBe('\r\n=12\r\n>');
    expect(engine.evaluated).toEqual(['12']);
  });

  it('does nothing for backspace on an empty line', () => {
    const { type } = connectedRepl();
    expect(type('\x08\x7f')).toBe('');
  });

  it('inserts in the middle of the line after cursor-left, redrawing the rest', () => {
    const { type, engine } = connectedRepl();
    type('13');
    expect(type('\x1b[D')).toBe('\x1b[D');
    // the line from the insert point + a space, backspaces back to the insert point, then the inserted char again
    expect(type('2')).toBe('23 \x08\x08\x08' + '2');
    expect(type('\x05\n')).toBe('3\r\n=123\r\n>');
    expect(engine.evaluated).toEqual(['123']);
  });

  it('splits the line at the cursor on Enter when the cursor is not at the end', () => {
    const { type, engine } = connectedRepl();
    type('12');
    type('\x1b[D');
    expect(type('\n')).toBe('\x1b[J\r\n:2\x1b[D');
    expect(type('\x05\n')).toBe('2\r\n=2\r\n>');
    expect(engine.evaluated).toEqual(['1\n2']);
  });

  it('deletes under the cursor with ESC [ 3 ~ and Ctrl-D', () => {
    const { type } = connectedRepl();
    type('1234');
    type('\x1b[D\x1b[D');
    expect(type('\x1b[3~')).toBe('4 \x08\x08');
    expect(type('\x04')).toBe(' \x08');
    expect(type('\n')).toBe('\r\n=12\r\n>');
  });

  it('moves to the start and end of the line with Ctrl-A / Ctrl-E and Home / End', () => {
    const { type } = connectedRepl();
    type('abc');
    expect(type('\x01')).toBe('\x08\x08\x08');
    expect(type('\x05')).toBe('abc');
    expect(type('\x1b[H')).toBe('\x08\x08\x08');
    expect(type('\x1b[F')).toBe('abc');
  });

  it('clears the line with Ctrl-U', () => {
    const { type } = connectedRepl();
    type('oops');
    expect(type('\x15')).toBe('\x1b[D\x1b[D\x1b[D\x1b[D\r\x1b[J>');
  });

  it('recalls earlier lines with the up arrow', () => {
    const { type } = connectedRepl();
    type('1+1\n');
    type('2+2\n');
    expect(type('\x1b[A')).toBe('\x1b[J2+2');
    expect(type('\x1b[A')).toBe('\x1b[D\x1b[D\x1b[D\x1b[J1+1');
    expect(type('\n')).toBe('\r\n=2\r\n>');
  });

  it('treats a tab as four spaces when echo is off, and offers no completion when it is on', () => {
    const { type, engine } = connectedRepl();
    expect(type('\t')).toBe('');
    type('\x10\t7\n');
    expect(engine.evaluated).toEqual(['    7']);
  });
});
