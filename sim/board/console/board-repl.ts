/**
 * The REPL as the board's console drives it (the real one is
 * sim/board/repl/repl.ts; tests may plug in another).
 */
import type { ErrorTrace, PacketHost } from '../repl/repl';
import type { PasswordLock, Repl, ReplOptions } from './console-contract';

export interface BoardRepl extends Repl {
  /** End of one idle-loop pass: pending Ctrl-C, prompt redraw. */
  endLoopPass?(): void;
  /** reset()/load()/power-on: input, history and echo back to their start state. */
  resetConsoleState?(): void;
}

export interface BoardReplOptions extends ReplOptions {
  engine: ReplOptions['engine'] & { locateError?(error: unknown): ErrorTrace | undefined };
  loop: 'board';
  /** Storage, events and the clock for Espruino's 2v25+ packet protocol (../repl/packet-handler.ts). */
  packets: PacketHost;
  /** The console password (E.setPassword / E.lockConsole). */
  lock: PasswordLock;
}

export type ReplFactory = (options: BoardReplOptions) => BoardRepl;
