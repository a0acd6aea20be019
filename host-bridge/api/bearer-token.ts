/**
 * The local API's bearer token: 32 random bytes in base64url (also a valid
 * WebSocket subprotocol token, so browsers can present it as `bearer.<token>`).
 * Compared in constant time: both sides are hashed to 32 bytes first, so
 * neither the content nor the length leaks through timing.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_PROTOCOL_PREFIX = 'bearer.';

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
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
