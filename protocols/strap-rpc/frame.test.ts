import vm from 'node:vm';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRequest, encodeRequest, eventLine, failureLine, frameCrc, MAX_REQUEST_BYTES, parseFrame, resultLine, sealFrame } from './frame';

const sent = (id: string, method: string, params?: unknown) => {
  const encoded = encodeRequest(id, method, params);
  if ('problem' in encoded) throw new Error(encoded.problem);
  return encoded;
};

describe('strap RPC frames: checksum', () => {
  it('is the CRC-32 of the body bytes as 8 lower-case hex digits (README.md "Frames (bytes)")', () => {
    expect(frameCrc('123456789')).toBe('cbf43926');
    expect(frameCrc('')).toBe('00000000');
    const body = 'h1|status|null';
    expect(frameCrc(body)).toBe((zlibCrc32(Buffer.from(body, 'latin1')) >>> 0).toString(16).padStart(8, '0'));
    expect(sealFrame(body)).toBe(`${body}|${frameCrc(body)}`);
  });
});

describe('strap RPC frames: requests, host → strap', () => {
  it('lays out id|method|params-json|crc8, params null when absent, and a strap.rpc statement', () => {
    expect(sent('h1', 'storage.crc32', { name: '.bootcde' }).frame).toBe(sealFrame('h1|storage.crc32|{"name":".bootcde"}'));
    expect(sent('h1', 'status').frame).toBe(sealFrame('h1|status|null'));
    const { frame, statement } = sent('h1', 'ping', { q: 'say "hi" \\ back' });
    let got: unknown;
    vm.runInNewContext(statement, { strap: { rpc: (f: unknown) => (got = f) } });
    expect(got).toBe(frame);
  });

  it('keeps the frame ASCII whatever the params hold', () => {
    expect(sent('h1', 'ping', { s: 'caf\u00e9 \u2028' }).frame).toMatch(/^[\x20-\x7e]+$/);
  });

  it('says why a request cannot be sent: bad id, bad method name, params not JSON, over 512 bytes', () => {
    expect(encodeRequest('h 1', 'status')).toEqual({ problem: expect.stringMatching(/request id/) });
    expect(encodeRequest('h1', 'status|x')).toEqual({ problem: expect.stringMatching(/method/) });
    expect(encodeRequest('h1', 'ping', { n: 1n })).toEqual({ problem: expect.stringMatching(/not JSON/) });
    expect(encodeRequest('h1', 'ping', 'x'.repeat(MAX_REQUEST_BYTES))).toEqual({ problem: expect.stringMatching(/at most 512/) });
  });

  it('reads a request back as the strap does: id, method, params and the CRC its reply cache keys on', () => {
    const { frame } = sent('h7', 'events.replay', { from: 3 });
    expect(decodeRequest(frame)).toEqual({ ok: true, id: 'h7', method: 'events.replay', params: { from: 3 }, crc: frame.slice(-8) });
  });

  it('refuses as the strap does: bad-frame without an id, too-long, bad-crc and bad JSON with the id', () => {
    expect(decodeRequest(42)).toEqual({ ok: false, id: '', code: 'bad-frame' });
    // issue 8: ids are 1-24 characters; a 25th makes the frame bad
    expect(decodeRequest(sealFrame(`${'i'.repeat(25)}|ping|null`))).toEqual({ ok: false, id: '', code: 'bad-frame' });
    expect(decodeRequest(sealFrame(`${'i'.repeat(24)}|ping|null`))).toMatchObject({ ok: true, id: 'i'.repeat(24) });
    expect(decodeRequest('garbage')).toEqual({ ok: false, id: '', code: 'bad-frame' });
    expect(decodeRequest('a b|ping|{}|00000000')).toEqual({ ok: false, id: '', code: 'bad-frame' });
    expect(decodeRequest('x'.repeat(600))).toEqual({ ok: false, id: '', code: 'too-long' });
    expect(decodeRequest('x2|reboot|{}|00000000')).toEqual({ ok: false, id: 'x2', code: 'bad-crc' });
    expect(decodeRequest(sealFrame('x3|ping|{oops'))).toEqual({ ok: false, id: 'x3', code: 'bad-frame' });
  });
});

describe('strap RPC frames: replies and events, strap → host', () => {
  it('prints RS then R|id|1|json, R|id|0|{code,message?} or E|boots|seq|name|json, then the CRC', () => {
    expect(resultLine('h1', { echo: 'é' })).toBe('\x1e' + sealFrame('R|h1|1|{"echo":"\\u00e9"}'));
    expect(failureLine('', 'bad-frame')).toBe('\x1e' + sealFrame('R||0|{"code":"bad-frame"}'));
    expect(failureLine('h2', 'not-found', 'x.js')).toBe('\x1e' + sealFrame('R|h2|0|{"code":"not-found","message":"x.js"}'));
    expect(eventLine(3, 7, 'btn', { long: false })).toBe('\x1e' + sealFrame('E|3|7|btn|{"long":false}'));
  });

  it('parses what it prints', () => {
    expect(parseFrame(resultLine('h1', { s: 'a|b' }).slice(1))).toEqual({ kind: 'reply', id: 'h1', ok: true, value: { s: 'a|b' } });
    expect(parseFrame(failureLine('h2', 'failed', 'x').slice(1))).toEqual({ kind: 'reply', id: 'h2', ok: false, value: { code: 'failed', message: 'x' } });
    expect(parseFrame(eventLine(1, 2, 'hb', { upS: 60 }).slice(1))).toEqual({ kind: 'event', boots: 1, seq: 2, name: 'hb', data: { upS: 60 } });
  });

  it('refuses a frame whose CRC does not match, keeping the id as a hint', () => {
    const damaged = resultLine('h9', { battPct: 100 }).slice(1).replace('100', '180');
    expect(parseFrame(damaged)).toEqual({ kind: 'corrupt', reason: 'crc', text: damaged, idHint: 'h9' });
  });
});
