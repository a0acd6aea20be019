import { describe, expect, it } from 'vitest';
import { connectedRepl } from './test-harness';

describe('firmware output around the prompt', () => {
  it('erases the prompt, prints, and redraws the prompt', () => {
    const { repl, take } = connectedRepl();
    repl.printFromFirmware('tap\n');
    expect(take()).toBe('\r\x1b[Jtap\r\n>');
  });

  it('redraws a partial input line and puts the cursor back where it was', () => {
    const { repl, type, take } = connectedRepl();
    type('abcd');
    type('\x1b[D\x1b[D');
    repl.printFromFirmware('evt\n');
    expect(take()).toBe('\x1b[D\x1b[D\r\x1b[Jevt\r\n>abcd\x1b[D\x1b[D');
    expect(type('\x05')).toBe('cd');
  });

  it('sends \\n in firmware text as \\r\\n', () => {
    const { repl, take } = connectedRepl();
    repl.printFromFirmware('a\nb\n');
    expect(take()).toBe('\r\x1b[Ja\r\nb\r\n>');
  });

  it('prints output of the line being executed between the echo and the =result', () => {
    const { type } = connectedRepl();
    expect(type('print("x"); 5\n')).toBe('print("x"); 5\r\nx\r\n=5\r\n>');
  });

  it('does not erase anything when the prompt is already off the screen', () => {
    const { repl, take } = connectedRepl();
    repl.setEcho(false);
    repl.printFromFirmware('quiet\n');
    expect(take()).toBe('quiet\r\n');
  });

  it('reports an exception from a callback as Uncaught, then redraws the prompt', () => {
    const { repl, type, take } = connectedRepl();
    type('ab');
    repl.reportUncaught(new Error('in timer'));
    expect(take()).toBe('\x1b[D\x1b[D\r\x1b[JUncaught Error: in timer\r\n>ab');
  });

  it('lets a board that runs its own loop decide when the prompt comes back', () => {
    const { repl, take } = connectedRepl({ loop: 'board' });
    repl.printFromFirmware('one\n');
    repl.printFromFirmware('two\n');
    expect(take()).toBe('\r\x1b[Jone\r\ntwo\r\n');
    repl.endLoopPass();
    expect(take()).toBe('>');
  });

  it('starts over after reset(): empty input, echo on, prompt after the banner', () => {
    const { repl, type, take } = connectedRepl();
    type('half');
    repl.setEcho(false);
    repl.resetConsoleState();
    repl.printFromFirmware('\nbanner\n');
    expect(take()).toBe('\r\nbanner\r\n>');
    expect(type('1\n')).toBe('1\r\n=1\r\n>');
  });
});
