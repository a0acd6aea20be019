/**
 * The strap's console RPC service: the host calls `strap.rpc("<frame>")` on an
 * echo-off console line and reads one reply frame back. Request frame (inside
 * the JS string): `<id>|<method>|<params JSON>|<crc32 hex>`, the CRC over
 * everything before the last `|`. Reply line: STX `R|<id>|<1 ok, 0 error>|<JSON>|<crc>`;
 * an error's JSON is `{"code": ..., "message"?: ...}`.
 *
 * A frame that fails its CRC or does not parse is refused with an error reply
 * (`bad-crc`, `bad-frame`, `too-long`) and nothing runs: the host retries with
 * the same id. Replies to frames that passed the check are cached by id (the
 * last CACHE_SIZE): a retry of the same frame prints the cached reply again
 * instead of running the method twice.
 */
import { asciiJson, crcHex, printFrame } from './console-frame';
import type { RpcErrorCode, RpcFailure, RpcMethodName, RpcResult } from './rpc-types';

/** Runs one method (rpc-types.ts RpcMethods); throws an RpcFailure (`unknown-method` for a method it does not have). */
export type RpcDispatch = (method: string, params: unknown) => RpcResult<RpcMethodName>;

/** Longest request frame accepted, in bytes; the host refuses to send longer ones. */
export const MAX_REQUEST_BYTES = 512;
/** A host keeps one request on the wire, so a retry always finds its reply; 3 leaves room for a second client. */
const CACHE_SIZE = 3;

/** Request ids are 1-24 word characters (protocols/strap-rpc/README.md); Espruino's regexes have no {n}. */
const MAX_ID_CHARS = 24;

export function createConsoleRpc(dispatch: RpcDispatch): (frame: string) => void {
  // Each reply as `<id>|<crc>|<line>`: one string per entry rather than an object of three.
  const cache: string[] = [];

  return function (frame: string): void {
    if (typeof frame !== 'string' || frame.length > MAX_REQUEST_BYTES) {
      printFrame(errorBody('', typeof frame === 'string' ? 'too-long' : 'bad-frame'));
      return;
    }
    const last = frame.lastIndexOf('|');
    const body = frame.substr(0, last);
    const crc = frame.substr(last + 1);
    const first = body.indexOf('|');
    const second = body.indexOf('|', first + 1);
    const id = first > 0 ? body.substr(0, first) : '';
    if (last < 0 || second < 0 || id.length > MAX_ID_CHARS || !/^\w+$/.test(id)) {
      printFrame(errorBody('', 'bad-frame'));
      return;
    }
    if (crcHex(body) !== crc) {
      printFrame(errorBody(id, 'bad-crc'));
      return;
    }
    // Neither the id (word characters) nor the CRC (hex) holds a '|': the key ends where the line starts.
    const key = id + '|' + crc + '|';
    for (const hit of cache) {
      if (hit.indexOf(key) === 0) {
        print(hit.substr(key.length));
        return;
      }
    }
    let params: unknown;
    try {
      params = JSON.parse(body.substr(second + 1));
    } catch (e) {
      printFrame(errorBody(id, 'bad-frame'));
      return;
    }
    const line = printFrame(run(dispatch, id, body.substr(first + 1, second - first - 1), params));
    cache.push(key + line);
    if (cache.length > CACHE_SIZE) cache.shift();
  };
}

/** The reply body for one call: the method's value, or the error it threw. */
function run(dispatch: RpcDispatch, id: string, method: string, params: unknown): string {
  try {
    return 'R|' + id + '|1|' + asciiJson(dispatch(method, params));
  } catch (e) {
    const failure = e as RpcFailure | undefined;
    if (failure && typeof failure.code === 'string') return errorBody(id, failure.code, failure.message);
    return errorBody(id, 'failed', String(e));
  }
}

function errorBody(id: string, code: RpcErrorCode, message?: string): string {
  return 'R|' + id + '|0|' + asciiJson(rpcFailure(code, message));
}

/** An error answer, `{code}` or `{code, message}`: what a method throws (rpc-methods.ts) and what a reply carries. */
export function rpcFailure(code: RpcErrorCode, message?: string): RpcFailure {
  return message === undefined ? { code: code } : { code: code, message: message };
}
