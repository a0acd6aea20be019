/**
 * What the board does with a complete host → board packet (Espruino 2v25+,
 * jsinteractive.c's packet processing as README_Protocol.md describes it and
 * EspruinoWebTools uart.js / EspruinoTools 0.1.67 core/serial.js expect):
 *
 * - EVAL: the data is code, run at global scope like a console line; the
 *   value goes back as a RESPONSE packet in E.toJS form (DROP_QUOTES JSON:
 *   `{a:1,b:"x"}`, `undefined`, strings with Espruino escapes) — the hosts
 *   parse it with a relaxed JSON parser (uart.js parseRJSON). Then ACK.
 *   An exception still ACKs (the packet was received) with RESPONSE
 *   `undefined`, and is reported as `Uncaught ...` after it.
 * - EVENT: the data is parsed as (relaxed) JSON and emitted as
 *   `E.on('packet', value)`. ACK.
 * - FILE_SEND: `{fn, s}` opens a transfer of `s` bytes (s ≥ 1: Storage has
 *   no empty files) to the Storage file `fn`. ACK; NAK for bad JSON, no name
 *   or no size. `s` is taken as Espruino takes an int (an int32: 1e12 is
 *   negative and refused); a size too big for Storage fails at the first
 *   DATA with Storage's own error. `fs:1` (SD card) and `c:1` (heatshrink, 2v29) are not
 *   modelled: NAK and a "not modelled" error.
 * - DATA: the next block of that file: Storage.write(fn, block, offset, s)
 *   at the running offset, so the first block (offset 0) creates the file
 *   with its full size and the rest fill it in, as EspruinoTools' chunked
 *   Storage uploads do. ACK; NAK (and the Storage error) without an open
 *   transfer, or past the declared size.
 * - FILE_RECV: `{fn}`: the file goes back as DATA packets (1024 bytes each
 *   here) and a zero-length DATA; then ACK. NAK if there is no such file.
 * - RESPONSE, or the unused types 0xC000/0xE000: NAK.
 *
 * What is inferred rather than read from Espruino's C source (not at hand
 * for 2v25+): the order RESPONSE-then-ACK, the E.toJS text of RESPONSE, the
 * error behaviour of EVAL, FILE_RECV's block size. See README.md.
 */
import { ConsoleChar } from '../../../protocols/espruino/console-bytes';
import { PT_MAX_LENGTH, PacketType } from '../../../protocols/espruino/packet';
import { jsvGetInteger } from '../storage/int-argument';
import type { ErrorTrace } from './error-report';
import { valueToJson, type JsonFlags } from './json-print';
import type { ReceivedPacket } from './packet-receiver';
import { encodePacket } from './packet-text';
import { toLatin1 } from './string-escape';

const { ACK, NAK } = ConsoleChar;

/** What the board provides for packets (Storage, events, its clock). */
export interface PacketHost {
  /** Storage.write(name, data, offset, size) on the board's flash; throws an Error with Espruino's message on failure. */
  writeFile(name: string, data: string, offset: number, size: number): void;
  /** Storage.read(name), latin1; undefined when there is no such file. */
  readFile(name: string): string | undefined;
  /** Queues `E.emit('packet', value)` with the packet's data parsed as JSON on the board. */
  emitPacketEvent(json: string): void;
  /** A one-shot timer on the board's clock (the 1 s packet timeout); returns its cancel. */
  setTimer(ms: number, callback: () => void): () => void;
}

/** What the handler needs from the console it lives in. */
export interface PacketConsole {
  /** Runs code at global scope (syntax gate included), as a console line. */
  evaluate(source: string): { ok: true; value: unknown } | { ok: false; error: unknown; site?: ErrorTrace };
  /** `Uncaught ...` on the console. */
  reportError(error: unknown, site?: ErrorTrace): void;
  /** Raw bytes to the host. */
  send(bytes: string): void;
}

/** Block size of the DATA packets that answer FILE_RECV (a choice of this model). */
export const FILE_RECV_BLOCK = 1024;

export class PacketHandler {
  private transfer: { name: string; size: number; offset: number } | undefined;

  constructor(
    private readonly host: PacketHost,
    private readonly console: PacketConsole,
  ) {}

  /** Forget an open FILE_SEND (reset()/load() clear Espruino's input state). */
  reset(): void {
    this.transfer = undefined;
  }

  handle(packet: ReceivedPacket): void {
    switch (packet.type) {
      case PacketType.EVAL:
        return this.evalPacket(packet.data);
      case PacketType.EVENT:
        this.host.emitPacketEvent(packet.data);
        return this.console.send(ACK);
      case PacketType.FILE_SEND:
        return this.fileSend(packet.data);
      case PacketType.DATA:
        return this.data(packet.data);
      case PacketType.FILE_RECV:
        return this.fileReceive(packet.data);
      default:
        return this.console.send(NAK);
    }
  }

  private evalPacket(source: string): void {
    const outcome = this.console.evaluate(source);
    const text = outcome.ok ? safeToJs(outcome.value) : 'undefined';
    if (text.length > PT_MAX_LENGTH) {
      this.console.send(NAK);
      this.console.reportError(notModelled(`a RESPONSE packet of ${text.length} bytes (at most ${PT_MAX_LENGTH} fit a packet)`));
      return;
    }
    this.console.send(encodePacket(PacketType.RESPONSE, text) + ACK);
    if (!outcome.ok) this.console.reportError(outcome.error, outcome.site);
  }

  private fileSend(json: string): void {
    this.transfer = undefined;
    const spec = parseRelaxedObject(json);
    if (!spec || typeof spec.fn !== 'string' || spec.fn === '') return this.console.send(NAK);
    if (spec.fs) return this.refuse(notModelled('FILE_SEND with fs:1 (SD card via require("fs"))'));
    if (spec.c) return this.refuse(notModelled('FILE_SEND with c:1 (heatshrink-compressed DATA)'));
    // `s` is read as an int (jsvGetInteger into an int32): 1e12 becomes negative, and
    // jsfWriteFile would refuse it at the first DATA; refused here, before anything is written.
    const size = jsvGetIntegerOrUndefined(spec.s);
    if (size === undefined || size < 1) return this.console.send(NAK);
    this.transfer = { name: spec.fn, size, offset: 0 };
    this.console.send(ACK);
  }

  private data(block: string): void {
    const t = this.transfer;
    if (!t) return this.console.send(NAK);
    if (block.length === 0) return this.console.send(ACK);
    try {
      this.host.writeFile(t.name, block, t.offset, t.size);
    } catch (error) {
      this.transfer = undefined;
      return this.refuse(error);
    }
    t.offset += block.length;
    if (t.offset >= t.size) this.transfer = undefined;
    this.console.send(ACK);
  }

  private fileReceive(json: string): void {
    const spec = parseRelaxedObject(json);
    if (!spec || typeof spec.fn !== 'string') return this.console.send(NAK);
    if (spec.fs) return this.refuse(notModelled('FILE_RECV with fs:1 (SD card via require("fs"))'));
    const content = this.host.readFile(spec.fn);
    if (content === undefined) return this.console.send(NAK);
    let out = '';
    for (let at = 0; at < content.length; at += FILE_RECV_BLOCK) out += encodePacket(PacketType.DATA, content.slice(at, at + FILE_RECV_BLOCK));
    this.console.send(out + encodePacket(PacketType.DATA, '') + ACK);
  }

  private refuse(error: unknown): void {
    this.console.send(NAK);
    this.console.reportError(error);
  }
}

// ---------------------------------------------------------------------------

/** E.toJS (src/jswrap_espruino.c): compact JSON with unquoted identifier keys. */
const TO_JS_FLAGS: JsonFlags = {
  someNewlines: false,
  pretty: false,
  limit: false,
  showObjectNames: false,
  dropQuotes: true,
  showDevices: false,
};

function safeToJs(value: unknown): string {
  try {
    return toLatin1(valueToJson(value, TO_JS_FLAGS));
  } catch {
    return 'undefined';
  }
}

function notModelled(what: string): Error {
  return new Error(`not modelled by the virtual board: ${what}`);
}

/**
 * The JSON of FILE_SEND / FILE_RECV, parsed as Espruino's liberal JSON.parse
 * does for these packets: strict JSON, or object keys without quotes.
 */
function parseRelaxedObject(text: string): Record<string, unknown> | undefined {
  for (const candidate of [text, text.replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":')]) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // next candidate
    }
  }
  return undefined;
}

/** `s` as an int32 (../storage/int-argument.ts); undefined when it is missing or cannot be read. */
function jsvGetIntegerOrUndefined(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return jsvGetInteger(value);
  } catch {
    return undefined;
  }
}
