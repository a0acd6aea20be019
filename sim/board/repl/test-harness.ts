/** A REPL on the vm test engine with its output captured, for the tests next to it. */
import { createRepl, type EspruinoRepl, type EspruinoReplOptions } from './repl';
import { createTestEngine, type TestEngine } from './test-engine';

export interface Harness {
  repl: EspruinoRepl;
  engine: TestEngine;
  /** Feeds bytes (one idle-loop pass) and returns what the board sent back. */
  type(bytes: string): string;
  /** Output since the last take. */
  take(): string;
}

/** A connected console with its first prompt already shown and taken. */
export function connectedRepl(options: Partial<EspruinoReplOptions> = {}): Harness {
  const engine = createTestEngine();
  let out = '';
  const repl = createRepl({ ...options, engine, write: (b) => (out += b) });
  engine.attach(repl);
  const take = (): string => {
    const o = out;
    out = '';
    return o;
  };
  repl.showPrompt();
  take();
  return {
    repl,
    engine,
    take,
    type(bytes: string): string {
      repl.receive(bytes);
      return take();
    },
  };
}
