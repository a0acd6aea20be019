/**
 * The strap's console RPC frames, both ways. Specification: README.md here
 * ("Frames (bytes)"); the strap's half is firmware/console/console-frame.ts,
 * console-rpc.ts and event-stream.ts, proven equal to this codec by their tests.
 *
 * Host → strap, one echo-off console line (the console client adds DLE, LF):
 *
 *   strap.rpc(<JS string literal of FRAME>)
 *   FRAME = id "|" method "|" params-json "|" crc8
 *
 * Strap → host, one printed line each (CR LF after it):
 *
 *   RS "R|" id "|" ("1" | "0") "|" json "|" crc8      a reply (1: result, 0: {code, message?})
 *   RS "E|" boots "|" seq "|" name "|" json "|" crc8  an event
 *
 * crc8 is the CRC-32 (../crc32.ts) of the bytes before the last "|" (after RS),
 * as 8 lower-case hex digits. All frame text is ASCII (ascii-json.ts).
 */
import { crc32Hex, crc32OfLatin1 } from '../crc32';
import { asciiJson, parseBoardJson } from './ascii-json';

/** RS (0x1E, "record separator"): starts every frame the strap prints; never in its log lines, none of the console's own control bytes. */
export const FRAME_START = '\x1e';
/** Longest request frame the strap accepts (firmware/console/console-rpc.ts MAX_REQUEST_BYTES). */
export const MAX_REQUEST_BYTES = 512;
/** A request id as the host writes it; the strap accepts any run of word characters. */
export const REQUEST_ID = /^\w{1,24}$/;
export const METHOD_NAME = /^[A-Za-z][\w.]{0,47}$/;

/** The checksum of a frame body: CRC-32 of its bytes, 8 lower-case hex digits. */
export function frameCrc(body: string): string {
  return crc32Hex(crc32OfLatin1(body));
}

/** `body|crc8` */
export function sealFrame(body: string): string {
  return `${body}|${frameCrc(body)}`;
}

// --- host → strap -----------------------------------------------------------

export interface EncodedRequest {
  /** The frame text (what the strap checks). */
  frame: string;
  /** The console statement that delivers it. */
  statement: string;
}

/** A request frame and its statement, or why it cannot be sent (nothing is sent then). */
export function encodeRequest(id: string, method: string, params?: unknown): EncodedRequest | { problem: string } {
  if (!REQUEST_ID.test(id)) return { problem: `request id ${JSON.stringify(id)} must be 1-24 word characters` };
  if (!METHOD_NAME.test(method)) return { problem: `method ${JSON.stringify(method)} must be a name like "status" or "events.subscribe"` };
  let json: string;
  try {
    json = asciiJson(params ?? null);
  } catch (error) {
    return { problem: `params of ${method} are not JSON: ${(error as Error).message}` };
  }
  const frame = sealFrame(`${id}|${method}|${json}`);
  if (frame.length > MAX_REQUEST_BYTES) return { problem: `request ${method} is ${frame.length} bytes framed; the strap accepts at most ${MAX_REQUEST_BYTES}` };
  return { frame, statement: requestStatement(frame) };
}

/** `strap.rpc("<frame>")`: frames are ASCII, so the literal holds only `\"` and `\\` escapes, which Espruino's lexer reads back to the same bytes. */
export function requestStatement(frame: string): string {
  return `strap.rpc(${JSON.stringify(frame)})`;
}

/** Why the strap refuses a request without running anything (README.md "Errors"). */
export type RefusalCode = 'bad-frame' | 'bad-crc' | 'too-long';

export type DecodedRequest =
  | { ok: true; id: string; method: string; params: unknown; crc: string }
  /** `id` is '' when it could not be read. */
  | { ok: false; id: string; code: RefusalCode };

/** A request frame as the strap reads it (firmware/console/console-rpc.ts), checks in its order. */
export function decodeRequest(frame: unknown): DecodedRequest {
  if (typeof frame !== 'string') return { ok: false, id: '', code: 'bad-frame' };
  if (frame.length > MAX_REQUEST_BYTES) return { ok: false, id: '', code: 'too-long' };
  const last = frame.lastIndexOf('|');
  const body = frame.slice(0, Math.max(0, last));
  const first = body.indexOf('|');
  const second = body.indexOf('|', first + 1);
  const id = first > 0 ? body.slice(0, first) : '';
  if (last < 0 || second < 0 || !REQUEST_ID.test(id)) return { ok: false, id: '', code: 'bad-frame' };
  const crc = frame.slice(last + 1);
  if (frameCrc(body) !== crc) return { ok: false, id, code: 'bad-crc' };
  let params: unknown;
  try {
    params = JSON.parse(body.slice(second + 1));
  } catch {
    return { ok: false, id, code: 'bad-frame' };
  }
  return { ok: true, id, method: body.slice(first + 1, second), params, crc };
}

// --- strap → host -----------------------------------------------------------

/** A reply line carrying the method's result. */
export function resultLine(id: string, result: unknown): string {
  return FRAME_START + sealFrame(`R|${id}|1|${asciiJson(result)}`);
}

/** A reply line carrying an error (`message` left out when absent). */
export function failureLine(id: string, code: string, message?: string): string {
  return FRAME_START + sealFrame(`R|${id}|0|${asciiJson(message === undefined ? { code } : { code, message })}`);
}

export function eventLine(boots: number, seq: number, name: string, data: unknown): string {
  return FRAME_START + sealFrame(`E|${boots}|${seq}|${name}|${asciiJson(data)}`);
}

export interface ReplyFrame {
  kind: 'reply';
  /** Empty when the strap could not read the request's id (bad-frame, too-long). */
  id: string;
  ok: boolean;
  /** The result, or the error object when !ok. */
  value: unknown;
}

export interface EventFrame {
  kind: 'event';
  boots: number;
  seq: number;
  name: string;
  data: unknown;
}

export interface CorruptFrame {
  kind: 'corrupt';
  reason: 'crc' | 'layout' | 'json';
  text: string;
  /** The reply id, when the damaged frame still shows one (not trustworthy, a hint). */
  idHint?: string;
}

export type BoardFrame = ReplyFrame | EventFrame | CorruptFrame;

/** One frame's text (after RS); trailing whitespace is ignored. */
export function parseFrame(raw: string): BoardFrame {
  const text = raw.replace(/\s+$/, '');
  const bar = text.lastIndexOf('|');
  const body = text.slice(0, bar);
  const crc = text.slice(bar + 1);
  if (bar < 0 || !/^[0-9a-f]{8}$/.test(crc)) return corrupt('layout', text);
  if (frameCrc(body) !== crc) return corrupt('crc', text);
  const fields = body.split('|');
  if (fields[0] === 'R' && fields.length >= 4 && (fields[2] === '1' || fields[2] === '0')) {
    const value = json(fields.slice(3).join('|'));
    if (value === FAILED) return corrupt('json', text);
    return { kind: 'reply', id: fields[1]!, ok: fields[2] === '1', value };
  }
  if (fields[0] === 'E' && fields.length >= 5 && /^\d+$/.test(fields[1]!) && /^\d+$/.test(fields[2]!)) {
    const data = json(fields.slice(4).join('|'));
    if (data === FAILED) return corrupt('json', text);
    return { kind: 'event', boots: Number(fields[1]), seq: Number(fields[2]), name: fields[3]!, data };
  }
  return corrupt('layout', text);
}

// ---------------------------------------------------------------------------

const FAILED = Symbol('not json');

function json(text: string): unknown {
  try {
    return parseBoardJson(text);
  } catch {
    return FAILED;
  }
}

function corrupt(reason: CorruptFrame['reason'], text: string): CorruptFrame {
  const hint = /^R\|(\w+)\|/.exec(text);
  return hint ? { kind: 'corrupt', reason, text, idHint: hint[1] } : { kind: 'corrupt', reason, text };
}
