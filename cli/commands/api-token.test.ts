/**
 * Where `strap api` takes its token (api-token.ts): never the command line,
 * a 0600 file, $STRAP_API_TOKEN, or a new one; and never a weak one.
 * Regression for issue 8: `--token X` put the token in the process list and
 * an 18-character token was accepted.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../exit-codes';
import { resolveApiToken } from './api-token';

const dir = mkdtempSync(join(tmpdir(), 'strap-api-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STRONG = '3f9a1c7e5b2d48a6c0e1f7b9d3a5c8e2';

function file(name: string, content: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('the strap api token', () => {
  it('an 18-character token is refused as too weak, naming where it came from (regression)', () => {
    expect(() => resolveApiToken(undefined, { STRAP_API_TOKEN: 'abcdefghijklmnopqr' })).toThrow(UsageError);
    expect(() => resolveApiToken(undefined, { STRAP_API_TOKEN: 'abcdefghijklmnopqr' })).toThrow(
      '$STRAP_API_TOKEN is too weak to guard the API: it is 18 characters long; at least 32 are needed',
    );
  });

  it('refuses patterns, spaces and characters a WebSocket subprotocol cannot carry', () => {
    expect(() => resolveApiToken(undefined, { STRAP_API_TOKEN: 'ab'.repeat(20) })).toThrow('fewer than 10 different characters');
    expect(() => resolveApiToken(undefined, { STRAP_API_TOKEN: STRONG + ' x' })).toThrow('letters, digits and - _ . ~');
    expect(() => resolveApiToken(undefined, { STRAP_API_TOKEN: 'p0+/q1=r2s3t4u5v6w7x8y9zAaBbCcDdEe' })).toThrow('no spaces, + / or =');
  });

  it('takes a strong token from $STRAP_API_TOKEN', () => {
    expect(resolveApiToken(undefined, { STRAP_API_TOKEN: STRONG })).toEqual({ token: STRONG, origin: 'env' });
  });

  it('makes a 256-bit token when none is given', () => {
    const made = resolveApiToken(undefined, {});
    expect(made.origin).toBe('generated');
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('reads the first line of a 0600 --token-file, which wins over the environment', () => {
    const path = file('ok', `${STRONG}\n# comment\n`, 0o600);
    expect(resolveApiToken(path, { STRAP_API_TOKEN: 'x'.repeat(40) })).toEqual({ token: STRONG, origin: 'file', path });
  });

  it('refuses a token file others can read, naming the mode and the chmod to run', () => {
    const path = file('open', STRONG, 0o644);
    expect(() => resolveApiToken(path, {})).toThrow(`--token-file ${path} can be read by others (mode 644); run chmod 600 ${path}`);
  });

  it('refuses a weak token in a file, a symbolic link and a directory', () => {
    expect(() => resolveApiToken(file('weak', 'short-token-18char', 0o600), {})).toThrow('is too weak to guard the API');
    const link = join(dir, 'link');
    symlinkSync(file('target', STRONG, 0o600), link);
    expect(() => resolveApiToken(link, {})).toThrow('is a symbolic link');
    expect(() => resolveApiToken(dir, {})).toThrow(UsageError);
  });

  it('creates a missing --token-file with a new token, mode 0600', () => {
    const path = join(dir, 'new-token');
    const made = resolveApiToken(path, {});
    expect(made).toMatchObject({ origin: 'file', path, created: true });
    expect(readFileSync(path, 'utf8')).toBe(made.token + '\n');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(resolveApiToken(path, {})).toEqual({ token: made.token, origin: 'file', path });
  });
});
