/**
 * The console password of Espruino 2v29 on the virtual board:
 *
 * - E.setPassword(pwd) (src/jswrap_espruino.c) keeps `jsvAsString(pwd)` in
 *   the RAM's hidden root; with no argument it removes it. It is RAM, not a
 *   Storage file: it is gone after reset()/load()/power-off unless save()
 *   put it into the saved state (.varimg), and the boot code may set it
 *   again.
 * - E.lockConsole() locks the console if a password is set
 *   (jsiStatus |= JSIS_PASSWORD_PROTECTED).
 * - Booting (jsiSemiInit, src/jsinteractive.c) locks it when the saved state
 *   just loaded holds a password, before the boot code runs. Power-on and a
 *   hard reset start unlocked (jsiInit sets jsiStatus afresh); the lock
 *   survives reset() and load() (it is in JSIS_SOFTINIT_MASK), even though
 *   those clear the password: such a console stays locked until power-off
 *   (jsiHandleChar only unlocks when a password exists and matches).
 * - A locked console takes each line as a password attempt
 *   (../repl/password-line.ts), on every link (Serial1, Bluetooth, TCP, pty).
 */
import type { Ram, RamSlot } from '../runtime/ram';
import type { PasswordLock } from './console-contract';

export class ConsoleLock implements PasswordLock {
  private protectedFlag = false;
  /** The hidden root's password, per RAM (a new RAM has none). */
  private readonly passwords = new WeakMap<Ram, string>();

  constructor(private readonly slot: RamSlot) {}

  get locked(): boolean {
    return this.protectedFlag;
  }

  /** E.setPassword: undefined removes it. */
  setPassword(ram: Ram, password: string | undefined): void {
    if (password === undefined) this.passwords.delete(ram);
    else this.passwords.set(ram, password);
  }

  /** E.lockConsole. */
  lockConsole(ram: Ram): void {
    if (this.passwords.has(ram)) this.protectedFlag = true;
  }

  /** jsiInit: power-on, hard reset, watchdog reset. */
  powerOn(): void {
    this.protectedFlag = false;
  }

  /** jsiSemiInit, once the saved state is loaded: a password there locks the console. */
  lockIfPasswordSet(ram: Ram): void {
    this.lockConsole(ram);
  }

  tryPassword(line: string): boolean {
    const ram = this.slot.current;
    const password = ram ? this.passwords.get(ram) : undefined;
    if (password !== undefined && line === password) this.protectedFlag = false;
    return !this.protectedFlag;
  }
}
