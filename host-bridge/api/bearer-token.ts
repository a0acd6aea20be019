/**
 * The local API's bearer token: 32 random bytes in base64url (also a valid
 * WebSocket subprotocol token, so browsers can present it as `bearer.<token>`),
 * or one the user gives, if it is strong enough (tokenWeakness).
 * Compared in constant time: both sides are hashed to 32 bytes first, so
 * neither the content nor the length leaks through timing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_PROTOCOL_PREFIX = 'bearer.';

/** Shortest token accepted: 32 characters are 128 bits even as hex (`openssl rand -hex 16`). */
export const MIN_TOKEN_LENGTH = 32;
/** Fewer different characters than this is a pattern, not a secret (`aaaa…`, `abababab…`). */
export const MIN_DISTINCT_TOKEN_CHARS = 10;
/**
 * Characters a token may use: base64url, hex and `.` `~`, which are valid both
 * in an HTTP bearer token (RFC 6750 b64token) and in a WebSocket subprotocol
 * (`bearer.<token>`, an RFC 7230 token: no `+`, `/` or `=`).
 */
const TOKEN_CHARS = /^[A-Za-z0-9._~-]+$/;

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Why `token` is not good enough to guard the API, or undefined when it is:
 * at least 32 characters of base64url/hex, at least 10 different ones.
 * (generateToken gives 43 characters of base64url: 256 bits.)
 */
export function tokenWeakness(token: string): string | undefined {
  if (!TOKEN_CHARS.test(token)) {
    return 'a token may only contain letters, digits and - _ . ~ (base64url or hex, e.g. openssl rand -hex 32), no spaces, + / or =';
  }
  if (token.length < MIN_TOKEN_LENGTH) return `it is ${token.length} characters long; at least ${MIN_TOKEN_LENGTH} are needed (128 bits as hex: openssl rand -hex 16)`;
  if (new Set(token).size < MIN_DISTINCT_TOKEN_CHARS) return `it uses fewer than ${MIN_DISTINCT_TOKEN_CHARS} different characters: a pattern, not a secret`;
  return undefined;
}

export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The token a request carries: `Authorization: Bearer <token>`, or for WebSocket a `bearer.<token>` subprotocol. */
export function presentedToken(request: IncomingMessage, offeredProtocols: string[] = []): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : undefined;
  }
  const protocol = offeredProtocols.find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return protocol?.slice(TOKEN_PROTOCOL_PREFIX.length);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
