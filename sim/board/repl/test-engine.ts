/**
 * A small ReplEngine on node:vm for the REPL's tests: print/console.log/echo
 * wired to the REPL, and (for the EspruinoTools test) just enough of reset(),
 * load() and require("Storage") to take an upload. Not the virtual board.
 */
import vm from 'node:vm';
import type { EvalOutcome } from '../console/console-contract';
import { formatPrint } from './format';
import { REPL_STACK_NAME } from './error-report';
import type { ErrorTrace, EspruinoRepl, LocatingEngine } from './repl';
import { espruinoFrames, undefinedName, parseV8Stack, type V8Frame } from './stack-frames';

export interface TestEngine extends LocatingEngine {
  /** Connects print/console.log/echo to this REPL. */
  attach(repl: EspruinoRepl): void;
  /** Every source handed to evaluate, in order. */
  readonly evaluated: string[];
  /** Results of successful evaluations, in order. */
  readonly results: unknown[];
  /** Files written with require("Storage").write, as latin1 strings. */
  readonly storage: Map<string, string>;
  /** What reset()/load() asked for during the last lines; the host loop applies it after the pass, as Espruino does. */
  takeTodo(): 'reset' | 'load' | undefined;
  /** Fresh global scope (reset/load). */
  resetContext(): void;
  /** Runs JavaScript in the engine's realm (for building test values). */
  run(source: string): unknown;
}

export function createTestEngine(): TestEngine {
  let repl: EspruinoRepl | undefined;
  let todo: 'reset' | 'load' | undefined;
  const sources: string[] = [];
  const storage = new Map<string, string>();
  const evaluated: string[] = [];
  const results: unknown[] = [];

  const storageModule = {
    write(name: string, data: string, offset?: number, size?: number): boolean {
      const text = String(data);
      const at = offset ?? 0;
      let file = storage.get(name) ?? '';
      if (size !== undefined) file = '\xff'.repeat(size);
      else if (offset === undefined) file = '';
      file = file.slice(0, at).padEnd(at, '\xff') + text + file.slice(at + text.length);
      storage.set(name, file);
      return true;
    },
    read(name: string): string | undefined {
      return storage.get(name);
    },
  };

  const makeContext = (): vm.Context => {
    const print = (...args: unknown[]): void => repl?.printFromFirmware(formatPrint(args) + '\n');
    return vm.createContext({
      print,
      console: { log: print },
      echo: (on: unknown) => repl?.setEcho(!!on),
      reset: () => {
        todo = 'reset';
      },
      load: () => {
        todo = 'load';
      },
      require: (name: string) => {
        if (name === 'Storage') return storageModule;
        throw new Error(`Module ${name} not found`);
      },
    });
  };
  let context = makeContext();

  return {
    evaluated,
    results,
    storage,
    attach(r) {
      repl = r;
    },
    evaluate(source: string): EvalOutcome {
      evaluated.push(source);
      sources.push(source);
      try {
        // One file name per line, so an error's stack frame names the line it came from.
        const value: unknown = vm.runInContext(source, context, { filename: `REPL${sources.length - 1}` });
        results.push(value);
        return { ok: true, value };
      } catch (error) {
        return { ok: false, error };
      }
    },
    locateError(error: unknown): ErrorTrace | undefined {
      const stack = (error as { stack?: unknown } | null)?.stack;
      if (typeof stack !== 'string') return undefined;
      const raw = parseV8Stack(stack);
      const frames: V8Frame[] = [];
      raw.forEach((frame, i) => {
        const m = /^REPL(\d+)$/.exec(frame.file);
        const source = m ? sources[Number(m[1])] : undefined;
        if (source === undefined) return;
        const v8: V8Frame = { source, line: frame.line, col: frame.col, calledFromBoardCode: /^REPL\d+$/.test(raw[i + 1]?.file ?? ''), topLevelName: REPL_STACK_NAME };
        if (frame.name !== undefined) v8.v8Name = frame.name;
        frames.push(v8);
      });
      return frames.length ? espruinoFrames(frames, undefinedName(error)) : undefined;
    },
    takeTodo() {
      const t = todo;
      todo = undefined;
      return t;
    },
    resetContext() {
      context = makeContext();
    },
    run(source: string): unknown {
      return vm.runInContext(source, context);
    },
  };
}
