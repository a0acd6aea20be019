/**
 * Espruino's console for the virtual board: bytes in from a host, bytes out as
 * Espruino 2v29 would send them (src/jsinteractive.c jsiHandleChar,
 * jsiHandleNewLine, jsiCheckErrors and the tail of jsiLoop).
 *
 * Espruino handles console input once per pass of its idle loop: every byte
 * that arrived is fed through the line editor, complete lines are executed,
 * and only at the end of the pass are a pending Ctrl-C applied and the prompt
 * redrawn (jsiConsoleReturnInputLine). By default each receive(),
 * printFromFirmware() and reportUncaught() call is one such pass; a board that
 * runs its own event loop passes `loop: 'board'` and calls endLoopPass() after
 * each of its iterations.
 */
import { ConsoleChar, CTRL_C, CTRL_U, DLE, SOH } from '../../../protocols/espruino/console-bytes';
import { PACKET_TIMEOUT_MS } from '../../../protocols/espruino/packet';
import type { PasswordLock, Repl, ReplEngine, ReplOptions } from '../console/console-contract';
import { EXECUTION_INTERRUPTED_TEXT, isExecutionInterrupted } from '../console/execution-interrupted';
import { countBrackets } from './bracket-count';
import { simpleStatement } from './simple-line';
import { crlf, ERASE_AFTER_CURSOR, moveCursorChar, trimRight } from './console-text';
import { REPL_STACK_NAME, uncaughtText, type ErrorTrace } from './error-report';
import { formatResult } from './format';
import { LineEditor } from './line-editor';
import { LineHistory } from './line-history';
import { PacketHandler, type PacketHost } from './packet-handler';
import { PacketReceiver } from './packet-receiver';
import { passwordLineChar } from './password-line';
import { toLatin1 } from './string-escape';
import { checkEspruinoSyntax, type SyntaxGateResult } from './syntax-gate';

export type { ErrorSite, ErrorTrace } from './error-report';
export type { PacketHost } from './packet-handler';

/** A ReplEngine that can also say where an error it returned happened. */
export interface LocatingEngine extends ReplEngine {
  /** Frames of `error` (as returned by evaluate, or passed to reportUncaught), innermost first, for Espruino's `    at ...` lines (error-report.ts). */
  locateError?(error: unknown): ErrorTrace | undefined;
}

export interface EspruinoReplOptions extends ReplOptions {
  engine: LocatingEngine;
  /** Who ends a pass of the idle loop (see the module comment). Default 'per-call'. */
  loop?: 'per-call' | 'board';
  /** Longest input line kept; further characters are dropped. Default 65536. */
  maxInputLineLength?: number;
  /** The check applied to every complete line before it is evaluated. Default checkEspruinoSyntax. */
  syntaxGate?: (source: string) => SyntaxGateResult;
  /**
   * The 2v25+ packet protocol (DLE SOH ...; packet-handler.ts): Storage,
   * events and a clock for it. Without it DLE SOH is what it was before
   * 2v25: an echo-off line starting with Ctrl-A.
   */
  packets?: PacketHost;
  /** The console password (E.setPassword / E.lockConsole): while locked, input is a password line (password-line.ts). */
  lock?: PasswordLock;
}

export interface EspruinoRepl extends Repl {
  /** The tail of jsiLoop: apply a pending Ctrl-C, then redraw the prompt and partial line if they were removed. */
  endLoopPass(): void;
  /** What reset()/load() do to the console (jsiSoftKill + jsiSemiInit): input and history dropped, echo on, prompt due. */
  resetConsoleState(): void;
  /** The partial input line (for diagnostics). */
  readonly inputLine: string;
}

export function createRepl(options: EspruinoReplOptions): EspruinoRepl {
  return new EspruinoConsole(options);
}

// ---------------------------------------------------------------------------

const enum Esc {
  None,
  HadEsc, // 27
  HadEscO, // 27 79
  HadEscBracket, // 27 91
  HadEscBracketNumber, // 27 91 digits
}

class EspruinoConsole implements EspruinoRepl {
  private readonly editor: LineEditor;
  private readonly history = new LineHistory();
  private readonly engine: LocatingEngine;
  private readonly gate: (source: string) => SyntaxGateResult;
  private readonly perCall: boolean;
  private esc = Esc.None;
  private escNumber = 0;
  private hadCr = false;
  private lineNumberOffset = 0;
  private ctrlC = false;
  private depth = 0;
  /** The last byte was a DLE at the start of an empty line (IPS_HAD_DLE): SOH now starts a packet. */
  private afterDle = false;
  private readonly packetIn = new PacketReceiver();
  private readonly packetHandler: PacketHandler | undefined;
  private cancelPacketTimer: (() => void) | undefined;
  private readonly maxInputLineLength: number;

  constructor(private readonly options: EspruinoReplOptions) {
    this.engine = options.engine;
    this.gate = options.syntaxGate ?? checkEspruinoSyntax;
    this.perCall = (options.loop ?? 'per-call') === 'per-call';
    this.maxInputLineLength = options.maxInputLineLength ?? 65536;
    this.editor = new LineEditor((bytes) => this.out(bytes), this.maxInputLineLength, () => this.locked);
    if (options.packets) {
      this.packetHandler = new PacketHandler(options.packets, {
        evaluate: (source) => this.evaluateChecked(source),
        reportError: (error, site) => this.printUncaught(error, site, 0),
        send: (bytes) => this.out(bytes),
      });
    }
  }

  get inputLine(): string {
    return this.editor.line;
  }

  private get locked(): boolean {
    return this.options.lock?.locked ?? false;
  }

  receive(bytes: string): void {
    this.pass(() => {
      for (let i = 0; i < bytes.length; i++) {
        const ch = bytes.charCodeAt(i) & 0xff;
        // A locked console takes every byte as part of the password (jsiHandleChar checks that first);
        // Ctrl-C does nothing then (jsiCtrlC returns while password protected).
        if (this.options.lock?.locked) {
          if (ch !== CTRL_C) passwordLineChar(ch, this.editor, this.options.lock, (b) => this.out(b));
        }
        // Inside a packet every byte is data (binary file blocks may hold 0x03).
        else if (this.packetIn.active) this.packetByte(ch);
        // Ctrl-C is taken in the UART interrupt and never queued (src/jsdevices.c jshPushIOCharEvent).
        else if (ch === CTRL_C) this.ctrlC = true;
        else if (this.takesPlainRun(bytes.charCodeAt(i))) i = this.insertPlainRun(bytes, i) - 1;
        else this.handleChar(ch);
      }
    });
  }

  /**
   * A printable byte that handleChar would only append to the end of a line
   * nobody sees (echo off: a host's RPC line): it and the printable bytes
   * after it go in at once, as appending them one by one would.
   */
  private takesPlainRun(code: number): boolean {
    const e = this.editor;
    return isPlainByte(code) && !this.afterDle && this.esc === Esc.None && e.cursor >= e.line.length && !e.shown();
  }

  /** Appends the printable bytes from `from` on (up to the line's limit, beyond which handleChar drops them too); returns where they end. */
  private insertPlainRun(bytes: string, from: number): number {
    let end = from + 1;
    while (end < bytes.length && isPlainByte(bytes.charCodeAt(end))) end++;
    const e = this.editor;
    const room = this.maxInputLineLength - e.line.length;
    if (room > 0) e.insert(bytes.slice(from, Math.min(end, from + room)));
    this.hadCr = false;
    return end;
  }

  printFromFirmware(text: string): void {
    this.pass(() => {
      this.editor.remove();
      this.out(crlf(toLatin1(text)));
    });
  }

  reportUncaught(error: unknown): void {
    this.pass(() => this.printUncaught(error, this.locate(error), 0));
  }

  showPrompt(): void {
    this.editor.removed = true;
    this.editor.restore();
  }

  setEcho(on: boolean): void {
    this.editor.echoOff = !on;
  }

  endLoopPass(): void {
    if (this.ctrlC) {
      this.ctrlC = false;
      this.editor.clear(true);
    }
    this.editor.restore();
  }

  resetConsoleState(): void {
    const e = this.editor;
    e.line = '';
    e.cursor = 0;
    e.echoOff = false;
    e.echoOffForLine = false;
    e.removed = true;
    this.history.clear();
    this.esc = Esc.None;
    this.hadCr = false;
    this.lineNumberOffset = 0;
    this.ctrlC = false;
    this.afterDle = false;
    this.packetIn.abort();
    this.stopPacketTimer();
    this.packetHandler?.reset();
  }

  // -------------------------------------------------------------------------

  private pass(work: () => void): void {
    this.depth++;
    try {
      work();
    } catch {
      // The console never throws at its caller; whatever failed, the next line starts clean.
    } finally {
      this.depth--;
      if (this.depth === 0 && this.perCall) this.endLoopPass();
    }
  }

  private out(bytes: string): void {
    if (!bytes) return;
    try {
      this.options.write(bytes);
    } catch {
      // A closed link loses output, as a real UART with nobody listening does.
    }
  }

  /** src/jsinteractive.c jsiHandleChar (ch is a byte). */
  private handleChar(ch: number): void {
    const e = this.editor;
    if (this.afterDle) {
      this.afterDle = false;
      // 2v25+: DLE SOH on an empty line starts a packet (README_Protocol.md "Packet Transfer").
      if (ch === SOH && this.packetHandler) return this.startPacket();
    }
    if (ch === 0) {
      this.esc = Esc.None; // "ignore 0 - it's scary"
    } else if (ch === 1) {
      e.home();
    } else if (ch === 4) {
      e.deleteChar(false);
    } else if (ch === 5) {
      e.end();
    } else if (ch === CTRL_U || ch === 23) {
      e.clear(true);
    } else if (ch === 27) {
      this.esc = Esc.HadEsc;
    } else if (this.esc === Esc.HadEsc) {
      this.esc = Esc.None;
      if (ch === 79) this.esc = Esc.HadEscO;
      else if (ch === 91) this.esc = Esc.HadEscBracket;
      else if (ch === 10) this.handleNewLine(false); // Alt-Enter: newline without executing
    } else if (this.esc === Esc.HadEscO) {
      this.esc = Esc.None;
      if (ch === 70) e.end();
      else if (ch === 72) e.home();
      else if (ch === 111) this.handleChar(47);
      else if (ch === 106) this.handleChar(42);
      else if (ch === 109) this.handleChar(45);
      else if (ch === 107) this.handleChar(43);
      else if (ch === 77) this.handleChar(13);
    } else if (this.esc === Esc.HadEscBracket) {
      this.esc = Esc.None;
      if (ch >= 48 && ch <= 57) {
        this.escNumber = ch - 48;
        this.esc = Esc.HadEscBracketNumber;
      } else if (ch === 68) e.left();
      else if (ch === 67) e.right();
      else if (ch === 65) this.upDown(true);
      else if (ch === 66) this.upDown(false);
      else if (ch === 70) e.end();
      else if (ch === 72) e.home();
    } else if (this.esc === Esc.HadEscBracketNumber) {
      if (ch >= 48 && ch <= 57) {
        this.escNumber = (10 * this.escNumber + ch - 48) & 0xffff;
      } else {
        // ESC [ <n> d is the line-number hint EspruinoTools sends before each statement.
        if (ch === 100) this.lineNumberOffset = this.escNumber;
        else if (ch === 72) {
          if (this.escNumber === 2) e.clear(true);
        } else if (ch === 126) {
          if (this.escNumber === 1) e.home();
          else if (this.escNumber === 3) e.deleteChar(false);
          else if (this.escNumber === 4) e.end();
          else if (this.escNumber === 5) e.pageUpDown(false);
          else if (this.escNumber === 6) e.pageUpDown(true);
        }
        this.esc = Esc.None;
      }
    } else if (ch === DLE && e.line.length === 0) {
      // DLE at the start of a line: execute it without echo (and without a result line).
      e.echoOffForLine = true;
      this.afterDle = true;
    } else {
      this.esc = Esc.None;
      const hadCr = this.hadCr;
      this.hadCr = false;
      if (ch === 8 || ch === 127) {
        e.deleteChar(true);
      } else if (ch === 10 && hadCr) {
        // "\r\n": already handled on the '\r'
      } else if (ch === 13 || ch === 10) {
        this.hadCr = ch === 13;
        this.handleNewLine(true);
      } else if (ch === 9) {
        // Tab completes names when echo is on (not modelled: no completion is offered); with echo off it is 4 spaces.
        if (!e.echo()) e.insert('    ');
      } else if (ch >= 32) {
        e.insert(String.fromCharCode(ch));
      }
    }
  }

  /** Arrow up/down: history when at the end of an empty or recalled line, else move between lines. */
  private upDown(previous: boolean): void {
    const e = this.editor;
    const l = e.line.length;
    if ((l === 0 || this.history.has(e.line)) && e.cursor === l) {
      const next = this.history.neighbour(e.line, previous);
      if (next !== undefined) {
        e.replace(next);
      } else if (!previous) {
        if (e.shown()) this.out(moveCursorChar(e.line, e.cursor, 0) + ERASE_AFTER_CURSOR);
        e.line = '';
        e.cursor = 0;
      }
    } else {
      e.moveUpDown(previous ? -1 : 1);
    }
  }

  /** src/jsinteractive.c jsiHandleNewLine. */
  private handleNewLine(execute: boolean): void {
    const e = this.editor;
    if (!e.atEnd()) {
      e.splitLine();
      return;
    }
    // a simple line (one call chain, what a host types) is balanced by its grammar: no count needed
    if (!execute || (simpleStatement(e.line) === undefined && countBracketsSafe(e.line) > 0)) {
      e.continueLine();
      return;
    }
    if (e.shown()) this.out('\r\n');
    if (!e.echoOffForLine) e.removed = true;
    const source = trimRight(e.line);
    e.line = '';
    e.cursor = 0;
    const lineOffset = this.lineNumberOffset;
    const isEmpty = source === '';
    let failed = false;
    let error: unknown;
    let site: ErrorTrace | undefined;
    let value: unknown;
    if (!isEmpty) {
      const gate = this.gate(source);
      if (!gate.ok) {
        failed = true;
        error = new SyntaxError(gate.message);
        site = { source, line: gate.line, col: gate.col, functionName: REPL_STACK_NAME };
      } else {
        const outcome = this.evaluate(source);
        if (outcome.ok) value = outcome.value;
        else {
          failed = true;
          error = outcome.error;
          site = this.locate(error);
        }
      }
    }
    // History only for lines a person typed (echo on).
    if (!isEmpty && e.echo()) this.history.add(source);
    this.lineNumberOffset = 0;
    if (e.echo() && !failed && !isEmpty) this.out(this.resultLine(value));
    if (failed) this.printUncaught(error, site, lineOffset);
    e.echoOffForLine = false;
  }

  /** DLE SOH: the DLE's echo-off was for the packet, not for a line; the next two bytes are its header. */
  private startPacket(): void {
    this.editor.echoOffForLine = false;
    this.packetIn.begin();
    this.stopPacketTimer();
    this.cancelPacketTimer = this.options.packets?.setTimer(PACKET_TIMEOUT_MS, () => {
      this.cancelPacketTimer = undefined;
      if (!this.packetIn.active) return;
      // Not complete within 1 s: dropped, NAK (README_Protocol.md "Responses").
      this.pass(() => {
        this.packetIn.abort();
        this.out(ConsoleChar.NAK);
      });
    });
  }

  private packetByte(ch: number): void {
    const packet = this.packetIn.push(ch);
    if (!packet) return;
    this.stopPacketTimer();
    this.packetHandler?.handle(packet);
  }

  private stopPacketTimer(): void {
    this.cancelPacketTimer?.();
    this.cancelPacketTimer = undefined;
  }

  /** A console line's evaluation: the syntax gate, then the engine. */
  private evaluateChecked(source: string): { ok: true; value: unknown } | { ok: false; error: unknown; site?: ErrorTrace } {
    const gate = this.gate(source);
    if (!gate.ok) return { ok: false, error: new SyntaxError(gate.message), site: { source, line: gate.line, col: gate.col, functionName: REPL_STACK_NAME } };
    const outcome = this.evaluate(source);
    return outcome.ok ? outcome : { ok: false, error: outcome.error, site: this.locate(outcome.error) };
  }

  private evaluate(source: string): { ok: true; value: unknown } | { ok: false; error: unknown } {
    try {
      return this.engine.evaluate(source);
    } catch (error) {
      return { ok: false, error };
    }
  }

  private locate(error: unknown): ErrorTrace | undefined {
    try {
      return this.engine.locateError?.(error);
    } catch {
      return undefined;
    }
  }

  /** jsiCheckErrors for an exception: input line off the screen, then `Uncaught ...`. */
  private printUncaught(error: unknown, site: ErrorTrace | undefined, lineOffset: number): void {
    this.editor.remove();
    const text = this.formatted(error, () => uncaughtText(error, site, lineOffset), 'Uncaught Error\n');
    this.out(crlf(text ?? EXECUTION_INTERRUPTED_TEXT + '\n'));
  }

  /** `=<value>` after a line (formatting may run the board's code: a custom toString that never returns is interrupted). */
  private resultLine(value: unknown): string {
    const text = this.formatted(value, () => formatResult(value), 'undefined');
    return text === undefined ? EXECUTION_INTERRUPTED_TEXT + '\r\n' : '=' + crlf(text) + '\r\n';
  }

  /**
   * Text about `value`, made under the engine's guard when the value is an
   * object (only then can making it run the board's code): `fallback` if making
   * it failed, undefined if it was interrupted.
   */
  private formatted(value: unknown, make: () => string, fallback: string): string | undefined {
    const mayRunBoardCode = value !== null && (typeof value === 'object' || typeof value === 'function');
    try {
      return this.engine.guard && mayRunBoardCode ? this.engine.guard(make) : make();
    } catch (error) {
      return isExecutionInterrupted(error) ? undefined : fallback;
    }
  }
}

/** What handleChar appends as it is: printable (not DEL), a byte (not a wider char, which it takes & 0xff). */
function isPlainByte(ch: number): boolean {
  return ch >= 32 && ch <= 0xff && ch !== 127;
}

function countBracketsSafe(line: string): number {
  try {
    return countBrackets(line);
  } catch {
    return 0;
  }
}

