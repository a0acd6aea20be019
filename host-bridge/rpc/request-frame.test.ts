import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { frameCrc, MAX_REQUEST_BYTES } from '../../protocols/strap-rpc/frame';
import { encodeRequest } from './request-frame';
import { RpcUsageError } from './rpc-errors';

describe('request frames', () => {
  it('lays out id|method|params|crc32 with the CRC over the bytes before the last bar', () => {
    const { frame, statement } = encodeRequest('h1', 'storage.crc32', { name: '.bootcde' });
    expect(frame).toBe(`h1|storage.crc32|{"name":".bootcde"}|${frameCrc('h1|storage.crc32|{"name":".bootcde"}')}`);
    expect(statement).toBe(`strap.rpc(${JSON.stringify(frame)})`);
  });

  it('uses the CRC-32 that E.CRC32 computes (IEEE, check value cbf43926)', () => {
    expect(frameCrc('123456789')).toBe('cbf43926');
    expect(frameCrc('')).toBe('00000000');
  });

  it('sends null for absent params', () => {
    expect(encodeRequest('h1', 'status').frame).toMatch(/^h1\|status\|null\|[0-9a-f]{8}$/);
  });

  it('keeps the frame ASCII, escaping every other character, so the strap computes the same CRC', () => {
    const { frame } = encodeRequest('h1', 'ping', { s: 'caf\u00e9 \u2028 \n' });
    expect(frame).toMatch(/^[\x20-\x7e]+$/);
    expect(frame).toContain('"caf\\u00e9 \\u2028 \\n"');
  });

  it('builds a statement whose string literal evaluates to exactly the frame', () => {
    const { frame, statement } = encodeRequest('h1', 'ping', { q: 'say "hi" \\ back' });
    let got: unknown;
    vm.runInNewContext(statement, { strap: { rpc: (f: unknown) => (got = f) } });
    expect(got).toBe(frame);
  });

  it('refuses, before sending anything, bad ids, bad method names, non-JSON params and frames over the limit', () => {
    expect(() => encodeRequest('h 1', 'status')).toThrow(RpcUsageError);
    expect(() => encodeRequest('h1', 'status|x')).toThrow(/method/);
    expect(() => encodeRequest('h1', 'ping', { n: 1n })).toThrow(/not JSON/);
    expect(() => encodeRequest('h1', 'ping', { s: 'x'.repeat(MAX_REQUEST_BYTES) })).toThrow(/at most 512/);
  });
});
