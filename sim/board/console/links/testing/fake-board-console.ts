/**
 * A ConsolePort double that answers like an Espruino board's console, enough
 * for link tests and for driving the real espruino CLI. It is not the virtual
 * board: code runs in a bare node:vm context with a few Espruino globals.
 *
 * Console behaviour it imitates (docs/espruino-subset.md, "Console protocol"):
 * echo typed bytes unless the line starts with DLE (0x10); Enter runs the
 * line, prints `=result` when echoing, then the `>` prompt; ^C (0x03) clears
 * the line; ESC LF is a newline that does not run the line; ESC [ n d
 * (line-number hints) is swallowed.
 */
import vm from 'node:vm';
import { ConsoleChar } from '../../../../../protocols/espruino/console-bytes';
import type { ConsolePort } from '../../console-contract';

export interface FakeBoardOptions {
  /** What `process.env` holds; BOARD and VERSION of a Puck.js on 2v29 by default. */
  env?: Record<string, unknown>;
}

export class FakeBoardConsole implements ConsolePort {
  /** Every chunk the host sent, in order. */
  readonly received: string[] = [];
  /** Files written with require("Storage").write, as latin1 strings. */
  readonly storage = new Map<string, string>();
  /** Names passed to load() (".bootcde" when called without one). */
  readonly loads: string[] = [];
  /** How many times reset() ran. */
  resets = 0;

  private readonly listeners = new Set<(bytes: string) => void>();
  private line = '';
  private echoOffForLine = false;
  private escape = '';
  private context: vm.Context;
  private readonly env: Record<string, unknown>;

  constructor(options: FakeBoardOptions = {}) {
    this.env = options.env ?? { BOARD: 'PUCKJS', VERSION: '2v29', CONSOLE: 'Serial1' };
    this.context = this.freshContext();
  }

  /** Everything the host sent, joined. */
  get receivedText(): string {
    return this.received.join('');
  }

  input(bytes: string): void {
    this.received.push(bytes);
    for (const ch of bytes) this.take(ch);
  }

  onOutput(listener: (bytes: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Board → host bytes, as firmware output would be. */
  emit(bytes: string): void {
    for (const listener of this.listeners) listener(bytes);
  }

  showPrompt(): void {
    this.emit('>');
  }

  private take(ch: string): void {
    if (this.escape) return this.takeEscape(ch);
    switch (ch) {
      case '\x1b':
        this.escape = ch;
        return;
      case ConsoleChar.CTRL_C:
        this.line = '';
        this.echoOffForLine = false;
        this.emit('\r\n>');
        return;
      case ConsoleChar.DLE:
        if (this.line === '') this.echoOffForLine = true;
        return;
      case '\r':
        return;
      case '\n':
        return this.runLine();
      default:
        this.line += ch;
        if (!this.echoOffForLine) this.emit(ch);
    }
  }

  private takeEscape(ch: string): void {
    this.escape += ch;
    if (this.escape === '\x1b\n') {
      this.escape = '';
      this.line += '\n';
      if (!this.echoOffForLine) this.emit('\r\n:');
    } else if (this.escape.length === 2 && ch !== '[') {
      this.escape = '';
    } else if (this.escape.length > 2 && !/[0-9;]/.test(ch)) {
      this.escape = ''; // ESC [ n d and other CSI sequences: ignored
    }
  }

  private runLine(): void {
    const source = this.line;
    const echo = !this.echoOffForLine;
    this.line = '';
    this.echoOffForLine = false;
    if (echo) this.emit('\r\n');
    if (source.trim() !== '') {
      try {
        const value: unknown = vm.runInContext(source, this.context, { timeout: 1000 });
        if (echo) this.emit(`=${describe(value)}\r\n`);
      } catch (error) {
        this.emit(`Uncaught ${errorText(error)}\r\n`);
      }
    }
    this.emit('>');
  }

  private freshContext(): vm.Context {
    const print = (...args: unknown[]) => this.emit(`${args.map(printText).join(' ')}\r\n`);
    const storage = {
      write: (name: string, data: string, offset?: number, size?: number) => {
        const start = offset ?? 0;
        let file = this.storage.get(name) ?? '';
        if (start === 0 && size !== undefined) file = '\xff'.repeat(size);
        const text = String(data);
        file = file.slice(0, start).padEnd(start, '\xff') + text + file.slice(start + text.length);
        this.storage.set(name, file);
        return true;
      },
      read: (name: string) => this.storage.get(name),
      list: () => [...this.storage.keys()],
      erase: (name: string) => this.storage.delete(name),
    };
    return vm.createContext({
      print,
      console: { log: print },
      process: { env: this.env },
      JSON,
      require: (name: string) => {
        if (name === 'Storage') return storage;
        throw new Error(`Module ${name} not found`);
      },
      reset: () => {
        this.resets++;
        this.context = this.freshContext();
      },
      load: (name?: string) => {
        this.loads.push(name ?? '.bootcde');
      },
    });
  }
}

function printText(value: unknown): string {
  return typeof value === 'string' ? value : describe(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'function () { [native code] }';
  return JSON.stringify(value) ?? String(value);
}

function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error && 'message' in error) {
    return `${String(error.name)}: ${String(error.message)}`;
  }
  return String(error);
}
