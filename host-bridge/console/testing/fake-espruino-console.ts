/**
 * A stand-in for an Espruino console at the byte level, for the console
 * client's unit tests (host-bridge never imports the virtual board; tests
 * against the real virtual board live in hil/). It follows what the virtual
 * board's REPL measures (sim/board/repl/README.md) closely enough for the
 * client: echo unless the line starts with DLE, `=value` for echoed lines,
 * the `>` prompt, Ctrl-C / Ctrl-U clearing the line, ESC LF as a newline that
 * does not execute, `Uncaught ...` reports with position lines, firmware
 * output erasing the prompt ("\r ESC[J"), lines run in a node:vm context.
 *
 * Test hooks: log() prints like firmware, raw() puts bytes on the wire,
 * transformOutput rewrites what the board sends (to splice logs or noise
 * into replies), muted swallows all input.
 */
import vm from 'node:vm';
import { ConsoleChar } from '../../../protocols/espruino/console-bytes';
import type { MemoryDevice } from '../../transports/memory-transport';

export interface FakeEspruinoOptions {
  env?: Record<string, unknown>;
  /** Rewrites every chunk the board sends. */
  transformOutput?: (bytes: string) => string;
}

export class FakeEspruinoConsole {
  /** Ignore all input (a board that does not answer). */
  muted = false;
  transformOutput: ((bytes: string) => string) | undefined;
  readonly storage = new Map<string, string>();
  /** Every byte received, latin1. */
  received = '';
  private device: MemoryDevice | undefined;
  private detach: (() => void) | undefined;
  private line = '';
  private dle = false;
  private esc = false;
  private hadCr = false;
  private readonly context: vm.Context;

  constructor(options: FakeEspruinoOptions = {}) {
    this.transformOutput = options.transformOutput;
    const env = { VERSION: '2v24', BOARD: 'PUCKJS', CONSOLE: 'Serial1', ...options.env };
    const print = (...args: unknown[]) => this.printFromLine(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    const storage = this.storage;
    this.context = vm.createContext({
      print,
      console: { log: print },
      process: { env },
      atob: (s: string) => Buffer.from(String(s), 'base64').toString('latin1'),
      btoa: (s: string) => Buffer.from(String(s), 'latin1').toString('base64'),
      require: (name: string) => {
        if (name !== 'Storage') throw new Error(`Module ${name} not found`);
        return {
          write(file: string, data: string, offset = 0, size?: number) {
            const existing = offset === 0 ? '\xff'.repeat(size ?? data.length) : (storage.get(file) ?? '');
            storage.set(file, existing.slice(0, offset) + data + existing.slice(offset + data.length));
            return true;
          },
          read(file: string, offset = 0, length?: number) {
            const f = storage.get(file);
            return f === undefined ? undefined : f.slice(offset, length === undefined ? undefined : offset + length);
          },
        };
      },
    });
  }

  /** Connects to the board end of a link (again after a reconnect). */
  attach(device: MemoryDevice): this {
    this.detach?.();
    this.device = device;
    this.detach = device.onData((bytes) => this.input(bytes.toString('latin1')));
    return this;
  }

  /** Firmware output: prompt erased, text, prompt back. */
  log(text: string): void {
    this.send(`\r\x1b[J${text}\r\n>`);
  }

  /** Raw bytes from the board. */
  raw(bytes: string): void {
    this.send(bytes);
  }

  /** Runs JS in the board's context (as firmware would), e.g. to define globals. */
  run(code: string): unknown {
    return vm.runInContext(code, this.context);
  }

  // -------------------------------------------------------------------------

  private send(bytes: string): void {
    const out = this.transformOutput ? this.transformOutput(bytes) : bytes;
    if (out) this.device?.write(Buffer.from(out, 'latin1'));
  }

  private input(bytes: string): void {
    this.received += bytes;
    if (this.muted) return;
    for (const ch of bytes) this.char(ch);
  }

  private char(ch: string): void {
    const echo = !this.dle;
    if (this.esc) {
      this.esc = false;
      if (ch === '\n') this.line += '\n';
      return;
    }
    const hadCr = this.hadCr;
    this.hadCr = false;
    if (ch === ConsoleChar.CTRL_C || ch === ConsoleChar.CTRL_U) {
      if (this.line) this.send('\r\x1b[J>');
      this.line = '';
      return;
    }
    if (ch === '\x1b') {
      this.esc = true;
      return;
    }
    if (ch === ConsoleChar.DLE && this.line === '') {
      this.dle = true;
      return;
    }
    if (ch === '\n' && hadCr) return;
    if (ch === '\r' || ch === '\n') {
      this.hadCr = ch === '\r';
      this.execute(echo);
      return;
    }
    if (ch < ' ') return;
    this.line += ch;
    if (echo) this.send(ch);
  }

  private printed = false;

  private printFromLine(text: string): void {
    this.printed = true;
    this.send(text.replace(/\n/g, '\r\n') + '\r\n');
  }

  private execute(echo: boolean): void {
    const source = this.line;
    this.line = '';
    this.dle = false;
    this.printed = false;
    if (echo) this.send('\r\n');
    if (source.trim() === '') {
      if (echo) this.send('>');
      return;
    }
    try {
      const value: unknown = vm.runInContext(source, this.context, { timeout: 1000 });
      if (echo) this.send(`=${value === undefined ? 'undefined' : JSON.stringify(value)}\r\n`);
    } catch (error) {
      this.send(uncaughtReport(error, source));
    }
    if (echo || this.printed) this.send('>');
  }
}

/** Espruino 2v29's report: `Uncaught <Error>: <message>`, `    at REPL (:1:C)`, the line, a marker. */
function uncaughtReport(error: unknown, source: string): string {
  const e = error as { name?: string; message?: string; stack?: string };
  let message = String(e.message ?? error);
  if (e.name === 'ReferenceError') message = message.replace(/^(\S+) is not defined$/, '"$1" is not defined');
  const col = Number(/evalmachine\.<anonymous>:\d+:(\d+)/.exec(String(e.stack))?.[1] ?? 1);
  return `Uncaught ${e.name ?? 'Error'}: ${message}\r\n    at REPL (:1:${col})\r\n${source}\r\n${' '.repeat(col - 1)}^\r\n`;
}
