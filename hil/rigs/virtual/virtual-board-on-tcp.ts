/**
 * A virtual board as a bench would see it: paced to the wall clock, with its
 * console on a TCP port on 127.0.0.1, for tools that run in real time (the
 * espruino CLI, terminals, the host bridge).
 */
import { PacedDriver } from '../../../sim/clock/paced-driver';
import { VirtualClock } from '../../../sim/clock/virtual-clock';
import type { ConsolePort } from '../../../sim/board/console/console-contract';
import { startTcpConsole, type TcpConsole } from '../../../sim/board/console/links/tcp-console';
import { VirtualBoard, type VirtualBoardOptions } from '../../../sim/board/virtual-board';
import { LiPoCell } from '../../../sim/power/cell';

export interface VirtualBoardOnTcp {
  board: VirtualBoard;
  tcp: TcpConsole;
  /** The board's console as another link (e.g. a pseudo-terminal) should reach it: input wakes the paced board at once. */
  console: ConsolePort;
  /** Everything the console sent since start. */
  output(): string;
  /** Resolves when the console output (since start) matches, or rejects after `timeoutMs` of wall time. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

export async function startVirtualBoardOnTcp(options: Partial<VirtualBoardOptions> = {}): Promise<VirtualBoardOnTcp> {
  const clock = options.clock ?? new VirtualClock();
  const board = new VirtualBoard({ seed: 1, ...options, cell: options.cell ?? new LiPoCell(), clock, powerOn: false });
  const driver = new PacedDriver(clock);
  let all = '';
  board.console.onOutput((bytes) => (all += bytes));
  const port: ConsolePort = {
    input: (bytes) => {
      board.console.input(bytes);
      driver.poke();
    },
    onOutput: (listener) => board.console.onOutput(listener),
  };
  const tcp = await startTcpConsole({ console: port, onHostConnected: () => board.repl.showPrompt() });
  driver.start();
  board.powerOn();
  return {
    board,
    tcp,
    console: port,
    output: () => all,
    waitForOutput: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
          const match = all.match(pattern);
          if (match) return resolve(match);
          if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} on the console within ${timeoutMs} ms; got:\n${all.slice(-2000)}`));
          setTimeout(poll, 20);
        };
        poll();
      }),
    stop: async () => {
      driver.stop();
      await tcp.close();
    },
  };
}
