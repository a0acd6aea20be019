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
 * instead of running the method twice. A cached reply is kept as the bytes of
 * `<id>|<request crc>|<reply body>` in a Uint8Array: Espruino holds those in
 * one flat string (13 bytes a variable) where a string built up piece by piece
 * holds 9 characters a variable; the reply's own CRC is computed again when
 * it is printed again.
 */
import { asciiJson, crcHex, printFrame } from './console-frame';
import type { RpcFailure, RpcMethodName, RpcResult } from './rpc-types';

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
  const cache: Uint8Array[] = [];

  return function (frame: string): void {
    // A refusal is thrown as the failure it answers, as a method's own failure is: one reply path, no function
    // kept for error replies alone. `key` is set once the frame passed every check: only such replies are cached.
    let id = '';
    let key = '';
    let body: string;
    try {
      if (typeof frame !== 'string' || frame.length > MAX_REQUEST_BYTES) throw { code: typeof frame === 'string' ? 'too-long' : 'bad-frame' } satisfies RpcFailure;
      const last = frame.lastIndexOf('|');
      const checked = frame.substr(0, last);
      const crc = frame.substr(last + 1);
      const first = checked.indexOf('|');
      const second = checked.indexOf('|', first + 1);
      const named = first > 0 ? checked.substr(0, first) : '';
      if (last < 0 || second < 0 || named.length > MAX_ID_CHARS || !/^\w+$/.test(named)) throw { code: 'bad-frame' } satisfies RpcFailure;
      id = named;
      if (crcHex(checked) !== crc) throw { code: 'bad-crc' } satisfies RpcFailure;
      // Neither the id (word characters) nor the CRC (hex) holds a '|': the key ends where the line starts.
      const hitKey = id + '|' + crc + '|';
      for (const bytes of cache) {
        const hit = E.toString(bytes);
        if (hit.indexOf(hitKey) === 0) {
          printFrame(hit.substr(hitKey.length));
          return;
        }
      }
      // JSON.parse throws a SyntaxError (no code) on bad params: a bad frame, since `key` is not set yet.
      const params: unknown = JSON.parse(checked.substr(second + 1));
      key = hitKey;
      body = 'R|' + id + '|1|' + asciiJson(dispatch(checked.substr(first + 1, second - first - 1), params));
    } catch (e) {
      // A method's failure as `{code}` or `{code, message}`, whatever else it holds; anything else thrown
      // before the frame passed its checks is JSON.parse's (a bad frame), after it the method's (failed).
      const failure = e as RpcFailure | undefined;
      const coded = failure !== undefined && failure !== null && typeof failure.code === 'string';
      const code = coded ? failure.code : key ? 'failed' : 'bad-frame';
      const message = coded ? failure.message : key ? String(e) : undefined;
      body = 'R|' + id + '|0|' + asciiJson(message === undefined ? { code: code } : { code: code, message: message });
    }
    printFrame(body);
    if (key) {
      cache.push(E.toUint8Array(key + body));
      if (cache.length > CACHE_SIZE) cache.shift();
    }
  };
}
