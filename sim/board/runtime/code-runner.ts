/**
 * Runs firmware code for the board (loop callbacks, console lines) and deals
 * with what it throws (src/jsinteractive.c jsiCheckErrors): a halted board
 * swallows it, a busy loop is "Execution Interrupted" (or a watchdog reset
 * while the WDT runs), anything else goes to process.on('uncaughtException')
 * or is printed as "Uncaught ...".
 */
import type { BoardClock } from './board-clock';
import type { BoardCpu } from './cpu-time';
import type { BoardEvents } from '../board-events';
import type { BoardRepl } from '../console/board-repl';
import type { EvalOutcome } from '../console/console-contract';
import { EXECUTION_INTERRUPTED, EXECUTION_INTERRUPTED_TEXT, ExecutionInterrupted, interruptsExecution, markInterrupting } from '../console/execution-interrupted';
import type { ErrorSite } from '../repl/error-report';
import type { ErrorTrace } from '../repl/repl';
import { PowerCut } from '../storage/flash-memory';
import { BoardHalted } from './board-halted';
import { boardSites, consoleFilename, siteText } from './board-stack';
import { StackOverflow } from './context/program-runner';
import type { TimerCallback } from './event-loop';
import type { Ram, RamSlot } from './ram';

export { CONSOLE_FILENAME, consoleFilename } from './board-stack';

export interface CodeRunnerWiring {
  clock: BoardClock;
  cpu: Pick<BoardCpu, 'startAtMs'>;
  slot: RamSlot;
  events: BoardEvents;
  watchdog: { readonly running: boolean };
  console: { readonly muted: boolean; readonly repl: BoardRepl; printText(ram: Ram, text: string): void };
  /** The watchdog resets the chip. */
  watchdogReset(): void;
}

export class CodeRunner {
  constructor(private readonly wiring: CodeRunnerWiring) {}

  /** Runs firmware code from the loop. Returns false when it was interrupted as a busy loop. */
  runCallback(ram: Ram, callback: TimerCallback, thisArg: unknown, args: readonly unknown[]): boolean {
    const { slot, events } = this.wiring;
    if (!slot.isCurrent(ram)) return true;
    events.noteJs('start', 'callback');
    try {
      if (typeof callback === 'string') ram.runner.runProgram(callback, 'callback');
      else ram.runner.call(callback, thisArg, args);
      return true;
    } catch (error) {
      return this.handleThrown(ram, error);
    } finally {
      events.noteJs('end', 'callback');
    }
  }

  /** What happens to something thrown out of firmware code. Returns false for an interrupted busy loop. */
  handleThrown(ram: Ram, error: unknown): boolean {
    if (error instanceof BoardHalted || error instanceof PowerCut || !this.wiring.slot.isCurrent(ram)) return true;
    if (error instanceof ExecutionInterrupted) {
      if (this.wiring.watchdog.running) {
        // the CPU is stuck: on hardware the watchdog fires and resets the chip
        this.stuck(ram);
        return true;
      }
      this.wiring.console.printText(ram, EXECUTION_INTERRUPTED_TEXT + '\n');
      return false;
    }
    if (error instanceof StackOverflow) {
      // Espruino's "Too much recursion": reported, and execution was interrupted too
      markInterrupting(error.error);
      this.reportUncaught(ram, error.error);
      return false;
    }
    this.reportUncaught(ram, error);
    return true;
  }

  /** A console line at global scope, remembered for save(). */
  evaluateConsoleLine(source: string): EvalOutcome {
    const { slot, events } = this.wiring;
    const ram = slot.current;
    if (!ram || !slot.isCurrent(ram)) return { ok: true, value: undefined };
    ram.evalLog.push(source);
    events.noteJs('start', 'console');
    try {
      const value = ram.runner.runProgram(source, consoleFilename(ram.evalLog.count), true);
      // a console line always ends with a count: growth in one line is ended before the next
      if (slot.isCurrent(ram)) ram.memory.afterRun(true);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof ExecutionInterrupted) {
        if (this.wiring.watchdog.running) {
          this.stuck(ram);
          return { ok: true, value: undefined };
        }
        // what an interrupted line made is counted too (a loop stopped by the busy-loop limit)
        if (slot.isCurrent(ram)) this.countQuietly(ram);
        return { ok: false, error: EXECUTION_INTERRUPTED };
      }
      if (error instanceof BoardHalted || error instanceof PowerCut || !slot.isCurrent(ram)) return { ok: true, value: undefined };
      if (error instanceof StackOverflow) {
        markInterrupting(error.error);
        return { ok: false, error: error.error };
      }
      return { ok: false, error };
    } finally {
      events.noteJs('end', 'console');
    }
  }

  /**
   * Host work that may run firmware code (a getter, a toString) under the
   * busy-loop limit of the live RAM; throws ExecutionInterrupted when it trips.
   */
  guardHost<T>(work: () => T): T {
    const ram = this.wiring.slot.current;
    return ram ? ram.runner.guardHost(work) : work();
  }

  /** Listeners firmware gave `target.on(event, …)`, read under the busy-loop limit; none if reading them failed (reported). */
  listeners(ram: Ram, target: unknown, event: string): Function[] {
    try {
      return ram.realm.plainListeners(target, event) ?? ram.runner.guardHost(() => ram.realm.listeners(target, event));
    } catch (error) {
      this.handleThrown(ram, error);
      return [];
    }
  }

  /** A global of the firmware's (onInit), read under the busy-loop limit; undefined if reading it failed (reported). */
  readGlobal(ram: Ram, name: string): unknown {
    const plain = ram.realm.plainProperty(ram.realm.global, name);
    if (plain) return plain.value;
    try {
      return ram.runner.guardHost(() => ram.realm.global[name]);
    } catch (error) {
      this.handleThrown(ram, error);
      return undefined;
    }
  }

  /**
   * What jsiCheckErrors prints after `Uncaught ...` for `error`: its `stack`
   * (board-stack.ts). The frames when it is still the text the board made
   * (so a line-number hint can shift the console line's frame), the board's
   * own text when firmware replaced it, nothing when there is no string
   * `stack` (a thrown value that is not an Error).
   */
  locateConsoleError(error: unknown): ErrorTrace | undefined {
    const ram = this.wiring.slot.current;
    if (!ram) return undefined;
    // only the board's own errors: a host error's stack names the host's files
    if (!ram.realm.isBoardValue(error)) return undefined;
    let own: string | undefined;
    try {
      own = ram.runner.guardHost(() => ram.realm.stackOf(error));
    } catch {
      return undefined;
    }
    if (own === undefined) return undefined;
    if (own !== ram.realm.generatedStackOf(error)) return own;
    let said: [string, string] = ['', ''];
    try {
      // The error's name and message may be board getters: read them under the busy-loop limit.
      said = ram.runner.guardHost(() => {
        const e = error as { name?: unknown; message?: unknown };
        return [String(e.name), String(e.message)];
      });
    } catch {
      said = ['', ''];
    }
    const sites = boardSites(ram.runner.frames(error), said[0], said[1]);
    // the text made for `e.stack` is cut where the board's memory ended: then it is what is printed
    return sites.length ? (own.length < stackLength(sites) ? own : sites) : undefined;
  }

  /** The board's memory count after a line that is already ending interrupted: the error and flags, no second interruption. */
  private countQuietly(ram: Ram): void {
    try {
      ram.memory.afterRun(true);
    } catch (error) {
      if (!(error instanceof ExecutionInterrupted)) throw error;
    }
  }

  /** The RAM stops; the watchdog resets the chip once the running code has unwound. */
  private stuck(ram: Ram): void {
    ram.halted = true;
    const { clock, cpu } = this.wiring;
    clock.scheduleAt(cpu.startAtMs(clock.nowMs()), () => this.wiring.watchdogReset(), 'board:watchdog');
  }

  /** jsiCheckErrors: process.on('uncaughtException') handlers, else "Uncaught ..." on the console. */
  private reportUncaught(ram: Ram, error: unknown): void {
    const { muted, repl } = this.wiring.console;
    if (muted) return;
    let handlers: Function[];
    try {
      handlers = ram.realm.plainListeners(ram.process, 'uncaughtException') ?? ram.runner.guardHost(() => ram.realm.listeners(ram.process, 'uncaughtException'));
    } catch (failed) {
      if (failed instanceof ExecutionInterrupted) {
        this.wiring.console.printText(ram, EXECUTION_INTERRUPTED_TEXT + '\n');
        return;
      }
      handlers = [];
    }
    if (handlers.length > 0) {
      // an interrupted parser runs no handler, but the handler takes the exception (jsiCheckErrors)
      if (interruptsExecution(error)) {
        this.wiring.console.printText(ram, EXECUTION_INTERRUPTED_TEXT + '\n');
        return;
      }
      // the handler takes the exception as a catch clause would: in Espruino's words
      ram.realm.rewordError(error);
      for (const handler of handlers) {
        try {
          ram.runner.call(handler, ram.process, [error]);
        } catch (nested) {
          if (nested instanceof BoardHalted || nested instanceof PowerCut) return;
          repl.reportUncaught(nested);
        }
      }
      return;
    }
    repl.reportUncaught(error);
  }
}

/** Characters of the frames' text, to tell a stack cut by the board's memory (board-stack.ts). */
function stackLength(sites: ErrorSite[]): number {
  let n = 0;
  for (const site of sites) n += siteText(site).length;
  return n;
}
