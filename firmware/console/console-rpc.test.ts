// The strap's request reader and reply writer (console-rpc.ts) and the
// protocols codec (protocols/strap-rpc/frame.ts) agree byte for byte: the
// same frames are refused with the same codes, and the same calls answered
// with the same reply lines.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest, failureLine, MAX_REQUEST_BYTES, resultLine, sealFrame } from '../../protocols/strap-rpc/frame';
import { createConsoleRpc, MAX_REQUEST_BYTES as STRAP_MAX_REQUEST_BYTES, type RpcDispatch } from './console-rpc';
import { installConsoleGlobals } from './testing/console-globals';

let globals: ReturnType<typeof installConsoleGlobals>;
beforeEach(() => (globals = installConsoleGlobals()));
afterEach(() => globals.uninstall());


/** A dispatch with one method of each outcome (answers outside the method table on purpose: a method that returns nothing). */
function dispatch(method: string, params: unknown): unknown {
  switch (method) {
    case 'ping':
      return { echo: params, t: 1.5 };
    case 'nothing':
      return undefined;
    case 'missing':
      throw { code: 'not-found', message: (params as { name: string }).name };
    case 'coded':
      throw { code: 'not-ready' };
    case 'broken':
      throw new TypeError('x is not a function');
  }
  throw { code: 'unknown-method', message: method };
}

/** What the protocols codec says the strap prints for `frame`. */
function expectedLine(frame: unknown): string {
  const request = decodeRequest(frame);
  if (!request.ok) return failureLine(request.id, request.code);
  try {
    return resultLine(request.id, dispatch(request.method, request.params));
  } catch (e) {
    const failure = e as { code?: unknown; message?: string };
    return typeof failure.code === 'string' ? failureLine(request.id, failure.code, failure.message) : failureLine(request.id, 'failed', String(e));
  }
}

const sent = (id: string, method: string, params?: unknown) => {
  const request = encodeRequest(id, method, params);
  if ('problem' in request) throw new Error(request.problem);
  return request.frame;
};

const FRAMES: unknown[] = [
  sent('h1', 'ping', { text: 'caf\u00e9 | "q" \\', n: [1, 2.5, null] }),
  sent('h2', 'ping'),
  sent('h3', 'nothing'),
  sent('h4', 'missing', { name: 'x.js' }),
  sent('h5', 'coded'),
  sent('h6', 'broken'),
  sent('h7', 'pay'),
  sent('h8', 'toString'),
  'x1|reboot|{}|00000000',
  sealFrame('x2|ping|{oops'),
  'garbage',
  'a b|ping|{}|00000000',
  '|ping|null|00000000',
  'x3|ping',
  // issue 8: an id of 25 characters is refused as a bad frame, 24 are taken
  sealFrame(`${'i'.repeat(25)}|ping|null`),
  sealFrame(`${'i'.repeat(24)}|ping|null`),
  'x'.repeat(600),
  42,
  undefined,
];

describe("the strap's console RPC reads and answers as the protocols codec", () => {
  it('accepts the same longest request', () => {
    expect(STRAP_MAX_REQUEST_BYTES).toBe(MAX_REQUEST_BYTES);
  });

  it.each(FRAMES.map((frame) => [JSON.stringify(frame)?.slice(0, 40) ?? 'undefined', frame]))('prints the same reply line for %s', (_, frame) => {
    const rpc = createConsoleRpc(dispatch as RpcDispatch);
    rpc(frame as string);
    expect(globals.printed).toEqual([expectedLine(frame)]);
  });

  it('prints the same reply again for a retried frame without running the method twice', () => {
    let runs = 0;
    const rpc = createConsoleRpc(((method: string, params: unknown) => (runs++, dispatch(method, params))) as RpcDispatch);
    const frame = sent('r1', 'ping', { n: 1 });
    rpc(frame);
    rpc(frame);
    expect(runs).toBe(1);
    expect(globals.printed).toEqual([expectedLine(frame), expectedLine(frame)]);
  });
});
