/**
 * A locked console, byte for byte, as Espruino 2v29's src/jsinteractive.c
 * answers it: the JSIS_PASSWORD_PROTECTED branch of jsiHandleChar, the
 * `password>` prompt of jsiConsoleReturnInputLine, jsiShowInputLine off while
 * locked, jsiCtrlC ignored while locked.
 */
import { describe, expect, it } from 'vitest';
import type { PasswordLock } from '../console/console-contract';
import { connectedRepl } from './test-harness';

class TestLock implements PasswordLock {
  locked = true;
  tries: string[] = [];
  constructor(private readonly password: string | undefined) {}
  tryPassword(line: string): boolean {
    this.tries.push(line);
    if (this.password !== undefined && line === this.password) this.locked = false;
    return !this.locked;
  }
}

function locked(password: string | undefined = 'secret') {
  const lock = new TestLock(password);
  const h = connectedRepl({ lock });
  return { ...h, lock };
}

describe('a console locked with E.setPassword / E.lockConsole', () => {
  it('shows "password>" as its prompt', () => {
    const { repl, take } = locked();
    repl.showPrompt();
    expect(take()).toBe('password>');
  });

  it('echoes nothing of what is typed, and runs no line', () => {
    const { type, engine } = locked();
    expect(type('print("ran")')).toBe('');
    expect(engine.results).toEqual([]);
  });

  it('a wrong line: "\\r\\n  Invalid password\\r\\npassword>"; nothing runs', () => {
    const { type, engine, lock } = locked();
    expect(type('1+1\r')).toBe('\r\n  Invalid password\r\npassword>');
    expect(lock.tries).toEqual(['1+1']);
    expect(engine.results).toEqual([]);
  });

  it('CR LF is two attempts (the LF is an empty line), as jsiHandleChar keeps no CR state while locked', () => {
    const { type, lock } = locked();
    expect(type('nope\r\n')).toBe('\r\n  Invalid password\r\npassword>\r\n  Invalid password\r\npassword>');
    expect(lock.tries).toEqual(['nope', '']);
  });

  it('the right line: "\\r\\n  Logged in.\\r\\n>" and the console works again', () => {
    const { type, engine } = locked();
    expect(type('secret\n')).toBe('\r\n  Logged in.\r\n>');
    expect(type('1+2\n')).toBe('1+2\r\n=3\r\n>');
    expect(engine.results).toEqual([3]);
  });

  it('keeps at most 20 bytes of a line: a longer password can never be typed', () => {
    const { type, lock } = locked('x'.repeat(21));
    type('x'.repeat(25) + '\n');
    expect(lock.tries).toEqual(['x'.repeat(20)]);
  });

  it('takes control bytes, ESC sequences, DLE and packets as password bytes: no editing, no packet, no echo', () => {
    const { type, lock } = locked();
    expect(type('ab\x08\x1b[D\x10\x01\x20\x03x\r')).toBe('\r\n  Invalid password\r\npassword>');
    expect(lock.tries).toEqual(['ab\x08\x1b[D\x10\x01\x20x']);
  });

  it('ignores Ctrl-C (jsiCtrlC returns while locked): it neither clears nor joins the line', () => {
    const { type, lock } = locked();
    type('sec\x03ret\n');
    expect(lock.tries).toEqual(['secret']);
    expect(lock.locked).toBe(false);
  });

  it('redraws the prompt and what was typed so far around firmware output, cursor at the start (jsiConsoleReturnInputLine)', () => {
    const { repl, type, take } = locked();
    type('abc');
    repl.printFromFirmware('tick\n');
    expect(take()).toBe('\r\x1b[Jtick\r\npassword>abc\x1b[D\x1b[D\x1b[D');
  });

  it('without a password (gone after reset()), no line unlocks it', () => {
    const { type, lock } = locked(undefined);
    expect(type('\n')).toBe('\r\n  Invalid password\r\npassword>');
    expect(type('anything\n')).toBe('\r\n  Invalid password\r\npassword>');
    expect(lock.locked).toBe(true);
  });
});
