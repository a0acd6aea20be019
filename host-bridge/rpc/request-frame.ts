/**
 * Request frames, host → strap. The frame `<id>|<method>|<params JSON>|<crc>`
 * is passed as a JS string literal to the firmware's console service:
 * the console line is `strap.rpc("<frame>")`, sent echo-off (DLE first) by
 * the console client. Frames are ASCII, so the literal needs only `\"` and
 * `\\` escapes, which Espruino's lexer reads back to the same bytes.
 */
import { asciiJson } from './ascii-json';
import { crcHex } from './frame-crc';
import { RpcUsageError } from './rpc-errors';

/** Longest request frame the strap accepts (firmware/app/console-rpc.ts MAX_REQUEST_BYTES). */
export const MAX_REQUEST_BYTES = 512;

const ID = /^\w{1,24}$/;
const METHOD = /^[A-Za-z][\w.]{0,47}$/;

export interface RequestFrame {
  id: string;
  method: string;
  /** The frame text (what the firmware checks). */
  frame: string;
  /** The console statement that delivers it. */
  statement: string;
}

export function encodeRequest(id: string, method: string, params?: unknown): RequestFrame {
  if (!ID.test(id)) throw new RpcUsageError(`request id ${JSON.stringify(id)} must be 1-24 word characters`);
  if (!METHOD.test(method)) throw new RpcUsageError(`method ${JSON.stringify(method)} must be a name like "status" or "events.subscribe"`);
  let json: string;
  try {
    json = asciiJson(params ?? null);
  } catch (error) {
    throw new RpcUsageError(`params of ${method} are not JSON: ${(error as Error).message}`);
  }
  const body = `${id}|${method}|${json}`;
  const frame = `${body}|${crcHex(body)}`;
  if (frame.length > MAX_REQUEST_BYTES) {
    throw new RpcUsageError(`request ${method} is ${frame.length} bytes framed; the strap accepts at most ${MAX_REQUEST_BYTES}`);
  }
  return { id, method, frame, statement: `strap.rpc(${JSON.stringify(frame)})` };
}
