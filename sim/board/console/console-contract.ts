/**
 * The seams between the virtual board's JS engine, its REPL and the links that
 * carry console bytes (TCP, pseudo-terminal, in-process).
 *
 * Bytes on the console are carried as latin1 strings: one char per byte, as
 * Espruino's 8-bit strings on nRF52 boards.
 */

/** Result of running source code at global scope, as Espruino's interpreter does for a console line. */
export type EvalOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What the REPL needs from the board's JS engine. */
export interface ReplEngine {
  /** Runs `source` at global scope. Never throws: errors come back as values. */
  evaluate(source: string): EvalOutcome;
  /**
   * Runs host work that may run the board's code — formatting a value calls
   * its toString, an error's report reads its name — under the engine's
   * busy-loop limit: throws an ExecutionInterrupted when it trips. Without it
   * the work just runs.
   */
  guard?<T>(work: () => T): T;
}

/** Espruino's line editor and interpreter loop, fed with console bytes. */
export interface Repl {
  /** Bytes from the host (what a terminal types or a tool sends). */
  receive(bytes: string): void;
  /** Output of the firmware (print, console.log): the REPL erases and redraws its input line around it. */
  printFromFirmware(text: string): void;
  /** An exception thrown by a callback (timer, watch, event): printed as Espruino prints "Uncaught ...". */
  reportUncaught(error: unknown): void;
  /** The board (re)started or a host connected: print the prompt. */
  showPrompt(): void;
  /** Espruino's `echo(bool)`. */
  setEcho(on: boolean): void;
}

export interface ReplOptions {
  engine: ReplEngine;
  /** Sends bytes to the host. */
  write(bytes: string): void;
}

/** Host side of a console: what a link (TCP socket, pty) connects to. */
export interface ConsolePort {
  /** Host → board bytes. */
  input(bytes: string): void;
  /** Board → host bytes. Returns an unsubscribe function. */
  onOutput(listener: (bytes: string) => void): () => void;
}

/**
 * The console password (E.setPassword / E.lockConsole, src/jswrap_espruino.c)
 * as the REPL sees it: while `locked`, every byte goes to a hidden password
 * line instead of the line editor (src/jsinteractive.c jsiHandleChar).
 */
export interface PasswordLock {
  /** jsiStatus & JSIS_PASSWORD_PROTECTED. */
  readonly locked: boolean;
  /** A line typed while locked: unlocks if it is the password. Returns whether the console is unlocked now. */
  tryPassword(line: string): boolean;
}
