/**
 * E.setPassword / E.lockConsole on the virtual board, as Espruino 2v29 does
 * them: src/jswrap_espruino.c (the password is `jsvAsString(pwd)` in the
 * hidden root, lockConsole sets JSIS_PASSWORD_PROTECTED when one is set),
 * src/jsinteractive.c (jsiSemiInit locks at boot when the loaded state holds
 * a password; the lock survives reset()/load() through JSIS_SOFTINIT_MASK;
 * jsiInit clears it at power-on; jsiHandleChar's password branch). The
 * byte-level behaviour of the locked line: ../repl/password-line.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';
import { PacketType } from '../../../protocols/espruino/packet';
import { encodePacket } from '../repl/packet-text';
import { FlashMemory } from '../storage/flash-memory';

describe('E.setPassword and E.lockConsole', () => {
  it('lock the console at once: the line answers =undefined, then the prompt is "password>"', () => {
    const t = startBoard();
    t.type('E.setPassword("s3cret")');
    expect(t.type('E.lockConsole()')).toBe('E.lockConsole()\r\n=undefined\r\npassword>');
  });

  it('while locked no line runs, whatever it is; the password unlocks and the console works again', () => {
    const t = startBoard();
    t.type('E.setPassword("s3cret"); E.lockConsole()');
    expect(t.type('var ran = 1')).toBe('\r\n  Invalid password\r\npassword>');
    expect(t.value('typeof ran')).toBe('undefined');
    expect(t.type('s3cret')).toBe('\r\n  Logged in.\r\n>');
    expect(t.type('1+1')).toBe('1+1\r\n=2\r\n>');
  });

  it('a packet cannot get past a locked console: an EVAL runs nothing and gets no answer', () => {
    const t = startBoard();
    t.type('E.setPassword("s3cret"); E.lockConsole()');
    t.take();
    t.board.console.input(encodePacket(PacketType.EVAL, 'var ran = 1'));
    t.board.run(2000);
    expect(t.take()).toBe('');
    expect(t.value('typeof ran')).toBe('undefined');
  });

  it('E.lockConsole() without a password does nothing; E.setPassword() with no argument removes it', () => {
    const t = startBoard();
    expect(t.type('E.lockConsole()')).toBe('E.lockConsole()\r\n=undefined\r\n>');
    t.type('E.setPassword("x"); E.setPassword()');
    expect(t.type('E.lockConsole()')).toBe('E.lockConsole()\r\n=undefined\r\n>');
  });

  it('the password is any value as a string (jsvAsString): E.setPassword(1234) unlocks with "1234"', () => {
    const t = startBoard();
    t.type('E.setPassword(1234); E.lockConsole()');
    expect(t.type('1234')).toBe('\r\n  Logged in.\r\n>');
  });

  it('firmware keeps running and printing while the console is locked', () => {
    const t = startBoard();
    t.type('E.setPassword("pw"); setInterval(function () { print("tick"); }, 100); E.lockConsole()');
    t.take();
    t.board.run(250);
    expect(t.take()).toBe('\r\x1b[Jtick\r\npassword>\r\x1b[Jtick\r\npassword>');
  });

  it('is RAM, not Storage: a password kept by save() (.varimg) locks the console at the next power-on; without save() it is gone', () => {
    const flash = new FlashMemory();
    const t = startBoard({ flash });
    t.type('E.setPassword("pw")');
    t.type('save()', 50);
    expect(t.board.readFile('.varimg')).toContain('E.setPassword(\\"pw\\")');
    t.take();
    t.board.powerCycle(10);
    t.board.run(100);
    expect(t.take().endsWith('password>')).toBe(true);
    expect(t.type('pw')).toBe('\r\n  Logged in.\r\n>');

    const unsaved = startBoard();
    unsaved.type('E.setPassword("pw"); E.lockConsole()');
    unsaved.take();
    unsaved.board.powerCycle(10);
    unsaved.board.run(100);
    expect(unsaved.take().endsWith('password>')).toBe(false);
    expect(unsaved.type('1+1')).toContain('=2');
  });

  it('the lock survives reset() (JSIS_SOFTINIT_MASK) though the password does not, so only a power cycle opens it', () => {
    const t = startBoard();
    t.type('E.setPassword("pw"); setTimeout(function () { reset(); }, 10); E.lockConsole()');
    t.board.run(100);
    t.take();
    expect(t.type('pw')).toBe('\r\n  Invalid password\r\npassword>');
    t.board.powerCycle(10);
    t.board.run(100);
    t.take();
    expect(t.type('1+1')).toContain('=2');
  });
});
