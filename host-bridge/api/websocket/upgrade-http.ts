/**
 * The HTTP side of a WebSocket upgrade, before ws takes over: the subprotocols
 * a client offers (where a browser's `bearer.<token>` is), and the answer to
 * an upgrade the API refuses (401, 403, 404) in the API's JSON error shape.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpError } from '../http-json';

/** The subprotocols a client offered (Sec-WebSocket-Protocol, comma-separated). */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/** Answers a refused upgrade with a plain HTTP response and closes the socket. */
export function writeHttpError(socket: Duplex, error: HttpError): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  const lines = [`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`, 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [name, value] of Object.entries(error.headers)) lines.push(`${name}: ${value}`);
  socket.end(lines.join('\r\n') + '\r\n\r\n' + body);
}
