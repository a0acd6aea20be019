/**
 * The host bridge's local API for the companion app, a dashboard and the HIL
 * rig: HTTP and a WebSocket event stream on 127.0.0.1 only, every request but
 * /health carrying the bearer token printed once at start.
 *
 *   GET  /health   200 {"ok": true}                       no token
 *   GET  /status   200 strap.status() as JSON
 *   GET  /payments 200 the last transactions the strap kept (RPC payments.last), newest first
 *   POST /rpc      {"method", "params"?} → 200 {"result"}
 *   GET  /events   WebSocket (subprotocol "strap-events"): one JSON message per
 *                  {"type": "subscribed"|"event"|"gap"|"reboot"|"log"|"error", ...}
 *
 * Errors: {"error": {"code", "message"}} with 400 bad JSON or request, 401 no
 * or wrong token, 403 a Host that is not this loopback address (DNS
 * rebinding), 404, 405, 413, 426 (/events without an upgrade), 502/503/504
 * when the strap or its link failed (rpc-http-status.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { RpcClient } from '../rpc/rpc-client';
import { generateToken, presentedToken, tokenMatches, tokenWeakness } from './bearer-token';
import { HttpError, readJsonBody, sendError, sendJson } from './http-json';
import { httpErrorFor } from './rpc-http-status';
import { streamEvents } from './event-stream-socket';
import type { WebSocketAcceptor } from './websocket/event-socket';
import { offeredProtocols, writeHttpError } from './websocket/upgrade-http';
import { wsAcceptor } from './websocket/ws-acceptor';

export const EVENTS_PROTOCOL = 'strap-events';

export interface LocalApiOptions {
  rpc: RpcClient;
  /** A loopback address (default 127.0.0.1); anything else is refused. */
  host?: string;
  /** Default 0: the system picks a free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. A given one must pass tokenWeakness (≥ 32 characters, …) or the start fails. */
  token?: string;
  /** Where the URL and token are printed, once (default: stderr). */
  announce?: (line: string) => void;
  /** Default: the `ws` package (websocket/ws-acceptor.ts). */
  webSocket?: WebSocketAcceptor;
}

/** startLocalApi was given a token that guards nothing (too short, too repetitive, bad characters). */
export class WeakTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WeakTokenError';
  }
}

export interface LocalApi {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];
const CLOSE_GRACE_MS = 300;

export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.includes(host)) throw new Error(`the local API listens on loopback only, not ${host}`);
  const token = options.token ?? generateToken();
  const weakness = tokenWeakness(token);
  if (weakness) throw new WeakTokenError(`the API token is too weak: ${weakness}`);
  const webSocket = options.webSocket ?? wsAcceptor();
  const events = streamEvents(options.rpc);
  let port = 0;

  const server: Server = createServer((request, response) => {
    handleRequest(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, httpErrorFor(error));
      else response.destroy();
    });
  });

  const guard = (request: IncomingMessage, protocols: string[] = []): HttpError | undefined => {
    if (!hostAllowed(request.headers.host, port)) return new HttpError(403, 'bad-host', 'Host must be this loopback address');
    if (!tokenMatches(token, presentedToken(request, protocols))) {
      return new HttpError(401, 'unauthorized', 'a valid bearer token is required', { 'WWW-Authenticate': 'Bearer' });
    }
    return undefined;
  };

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/health') {
      if (!hostAllowed(request.headers.host, port)) throw new HttpError(403, 'bad-host', 'Host must be this loopback address');
      allow(request, 'GET');
      return sendJson(response, 200, { ok: true });
    }
    const refused = guard(request);
    if (refused) throw refused;
    if (path === '/status') {
      allow(request, 'GET');
      return sendJson(response, 200, await options.rpc.status());
    }
    if (path === '/payments') {
      allow(request, 'GET');
      return sendJson(response, 200, await options.rpc.call('payments.last'));
    }
    if (path === '/rpc') {
      allow(request, 'POST');
      const body = await readJsonBody(request);
      if (!body || typeof body !== 'object' || Array.isArray(body) || typeof (body as { method?: unknown }).method !== 'string') {
        throw new HttpError(400, 'bad-request', 'the body must be {"method": string, "params"?: any}');
      }
      const { method, params } = body as { method: string; params?: unknown };
      return sendJson(response, 200, { result: await options.rpc.callAny(method, params) });
    }
    if (path === '/events') {
      allow(request, 'GET');
      throw new HttpError(426, 'upgrade-required', 'GET /events is a WebSocket', { Upgrade: 'websocket', Connection: 'Upgrade' });
    }
    throw new HttpError(404, 'not-found', `no ${path} here`);
  }

  const upgraded = new Set<Duplex>();
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const protocols = offeredProtocols(request);
    const refused = guard(request, protocols) ?? (path === '/events' ? undefined : new HttpError(404, 'not-found', `no WebSocket at ${path}`));
    if (refused) return writeHttpError(socket, refused);
    const protocol = protocols.includes(EVENTS_PROTOCOL) ? EVENTS_PROTOCOL : undefined;
    webSocket
      .accept(request, socket, head, protocol)
      .then((client) => client && events.add(client))
      .catch(() => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  (options.announce ?? ((line) => process.stderr.write(line + '\n')))(`strap local API on ${url} (token: ${token})`);

  return {
    url,
    port,
    token,
    close: async () => {
      events.closeAll();
      server.closeAllConnections();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // WebSocket clients get a moment to answer the close frame, then their sockets go.
      const grace = setTimeout(() => upgraded.forEach((socket) => socket.destroy()), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
    },
  };
}

function allow(request: IncomingMessage, method: 'GET' | 'POST'): void {
  if (request.method !== method) throw new HttpError(405, 'method-not-allowed', `use ${method}`, { Allow: method });
}

/** Loopback names with this server's port only: a page whose DNS name was rebound to 127.0.0.1 is refused. */
function hostAllowed(header: string | undefined, port: number): boolean {
  if (!header) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(header.toLowerCase());
}
