import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RpcClient } from '../rpc/rpc-client';
import { drop, FakeStrapConsole, fakeStatus } from '../rpc/testing/fake-strap-console';
import { generateToken, tokenMatches, tokenWeakness } from './bearer-token';
import type { EventStreamMessage } from './event-stream-socket';
import { startLocalApi, WeakTokenError, type LocalApi, type LocalApiOptions } from './local-api';
import { connectNodeWebSocket } from './testing/node-websocket-client';
import type { EventSocket } from './websocket/event-socket';
import { wsAcceptor } from './websocket/ws-acceptor';
import { until } from '../../testing/until';

const running: { api: LocalApi; rpc: RpcClient; sockets: WebSocket[] }[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    for (const s of r.sockets) s.terminate();
    await r.api.close();
    r.rpc.close();
  }
});

async function start(timeoutMs = 200, more: Partial<LocalApiOptions> = {}) {
  const strap = new FakeStrapConsole({
    methods: {
      'storage.crc32': (p: { name: string }) => ({ name: p.name, size: 3, crc32: 7 }),
      'payments.last': () => [{ atc: 2, amount: 1250, currency: 978, outcome: 'online', upS: 40 }],
    },
  });
  const rpc = new RpcClient(strap, { timeoutMs, retries: 1 });
  const announced: string[] = [];
  const api = await startLocalApi({ rpc, announce: (line) => announced.push(line), ...more });
  const sockets: WebSocket[] = [];
  running.push({ api, rpc, sockets });
  const auth = { Authorization: `Bearer ${api.token}` };
  const request = (path: string, init: RequestInit = {}) => fetch(api.url + path, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });
  /** A ws client on /events (by default: token in the header, offering strap-events), open. */
  const ws = async (options: { protocols?: string[]; headers?: Record<string, string> } = {}) => {
    const socket = new WebSocket(`ws://127.0.0.1:${api.port}/events`, options.protocols ?? ['strap-events'], { headers: options.headers ?? auth });
    sockets.push(socket);
    return opened(socket);
  };
  /** The HTTP answer to an upgrade the server refuses. */
  const refused = (path: string, options: { protocols?: string[]; headers?: Record<string, string> } = {}) => {
    const socket = new WebSocket(`ws://127.0.0.1:${api.port}${path}`, options.protocols ?? ['strap-events'], { headers: options.headers ?? auth });
    sockets.push(socket);
    return refusal(socket);
  };
  return { strap, rpc, api, announced, request, ws, refused };
}

/** A message as the test socket keeps it: the stream's JSON, or a note that a binary one came. */
type TestMessage = EventStreamMessage | { type?: undefined; binary: true };

interface TestSocket {
  readonly ws: WebSocket;
  /** Text messages received so far, parsed as JSON. */
  readonly messages: TestMessage[];
  /** The close code, once the connection is gone. */
  readonly closed: Promise<number>;
  waitFor(check: (messages: TestMessage[]) => boolean, timeoutMs?: number): Promise<void>;
}

async function opened(ws: WebSocket): Promise<TestSocket> {
  const messages: TestMessage[] = [];
  ws.on('message', (data, isBinary) => messages.push(isBinary ? { binary: true } : (JSON.parse(data.toString()) as EventStreamMessage)));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('error', () => undefined);
  return {
    ws,
    messages,
    closed,
    waitFor: (check, timeoutMs = 3000) => until(() => check(messages), { timeoutMs, describe: () => `messages: ${JSON.stringify(messages)}` }),
  };
}

function refusal(ws: WebSocket): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    ws.once('open', () => reject(new Error('the upgrade was accepted')));
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode!, headers: response.headers, body });
        ws.terminate();
      });
    });
  });
}

/** An upgrade request a ws client would not send: raw headers, answered with a status. */
function rawUpgrade(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/events', headers: { Connection: 'Upgrade', Upgrade: 'websocket', ...headers } });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    request.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode!);
    });
    request.on('error', reject);
    request.end();
  });
}

const json = async (response: Response) => ({ status: response.status, body: (await response.json()) as unknown });

describe('local API over HTTP on 127.0.0.1', () => {
  it('listens on 127.0.0.1 on a chosen port and prints its URL and token once', async () => {
    const { api, announced } = await start();
    expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(api.port).toBeGreaterThan(0);
    expect(api.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(announced).toEqual([`strap local API on ${api.url} (token: ${api.token})`]);
  });

  it('refuses to listen anywhere but loopback', async () => {
    const rpc = new RpcClient(new FakeStrapConsole());
    await expect(startLocalApi({ rpc, host: '0.0.0.0', announce: () => undefined })).rejects.toThrow(/loopback only/);
    rpc.close();
  });

  it('answers /health without a token', async () => {
    const { api } = await start();
    expect(await json(await fetch(api.url + '/health'))).toEqual({ status: 200, body: { ok: true } });
  });

  it('requires the bearer token on every other request: 401 without it or with a wrong one', async () => {
    const { api } = await start();
    const none = await fetch(api.url + '/status');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await none.json()) as unknown).toEqual({ error: { code: 'unauthorized', message: 'a valid bearer token is required' } });
    const wrong = await fetch(api.url + '/status', { headers: { Authorization: `Bearer ${api.token.slice(0, -1)}x` } });
    expect(wrong.status).toBe(401);
    expect((await fetch(api.url + '/nowhere')).status).toBe(401);
  });

  it('refuses a Host header that is not its loopback address (DNS rebinding)', async () => {
    const { api } = await start();
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: api.port, path: '/status', headers: { Host: `evil.example:${api.port}`, Authorization: `Bearer ${api.token}` } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
        .on('error', reject);
    });
    expect(status).toBe(403);
  });

  it('GET /status answers the strap status', async () => {
    const { request } = await start();
    expect(await json(await request('/status'))).toEqual({ status: 200, body: fakeStatus(1) });
  });

  it('GET /payments answers the last transactions the strap kept', async () => {
    const { request } = await start();
    expect(await json(await request('/payments'))).toEqual({ status: 200, body: [{ atc: 2, amount: 1250, currency: 978, outcome: 'online', upS: 40 }] });
  });

  it('POST /rpc calls a method and answers its result', async () => {
    const { request } = await start();
    const response = await request('/rpc', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'storage.crc32', params: { name: '.bootcde' } }) });
    expect(await json(response)).toEqual({ status: 200, body: { result: { name: '.bootcde', size: 3, crc32: 7 } } });
  });

  it('answers bad JSON with 400 bad-json and a body without a method with 400 bad-request', async () => {
    const { request } = await start();
    expect(await json(await request('/rpc', { method: 'POST', body: '{"method":' }))).toMatchObject({ status: 400, body: { error: { code: 'bad-json' } } });
    expect(await json(await request('/rpc', { method: 'POST', body: '[1]' }))).toMatchObject({ status: 400, body: { error: { code: 'bad-request' } } });
    expect(await json(await request('/rpc', { method: 'POST', body: '{"method":"bad name"}' }))).toMatchObject({ status: 400, body: { error: { code: 'usage' } } });
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const { request } = await start();
    const response = await request('/rpc', { method: 'POST', body: JSON.stringify({ method: 'ping', params: 'x'.repeat(70_000) }) }).catch((e: Error) => e);
    // The server may answer before reading the whole body; either way it is refused with 413.
    if (response instanceof Error) expect(response.message).toMatch(/fetch failed|socket/);
    else expect(await json(response)).toMatchObject({ status: 413, body: { error: { code: 'too-large' } } });
  });

  it('maps strap errors to HTTP statuses: unknown method 404, strap silent 504', async () => {
    const { request, strap } = await start(60);
    expect(await json(await request('/rpc', { method: 'POST', body: '{"method":"pay"}' }))).toMatchObject({ status: 404, body: { error: { code: 'unknown-method' } } });
    strap.requestFaults.push(drop, drop);
    expect(await json(await request('/status'))).toMatchObject({ status: 504, body: { error: { code: 'timeout' } } });
  });

  it('answers 405 with Allow for the wrong method, 404 for unknown paths, 426 for /events without an upgrade', async () => {
    const { request } = await start();
    const wrong = await request('/rpc');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(await json(await request('/nothing'))).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    expect(await json(await request('/events'))).toMatchObject({ status: 426, body: { error: { code: 'upgrade-required' } } });
  });
});

describe('local API event stream over WebSocket', () => {
  it('subscribes the strap and pushes its events, gaps, reboots and log lines as JSON messages, in order', async () => {
    const { ws, strap } = await start();
    const socket = await ws();
    expect(socket.ws.protocol).toBe('strap-events');
    await socket.waitFor((m) => m.some((x) => x.type === 'subscribed'));
    strap.event('btn', { long: false });
    strap.line('[hb] up=60s batt=100% 4.20V mode=normal');
    strap.reboot();
    await socket.waitFor((m) => m.filter((x) => x.type === 'subscribed').length === 2);
    strap.event('hb', { upS: 1 });
    await socket.waitFor((m) => m.some((x) => x.type === 'event' && x.name === 'hb'));
    expect(socket.messages.filter((m) => m.type !== 'log')).toEqual([
      { type: 'subscribed', boots: 1, seq: 0 },
      { type: 'event', boots: 1, seq: 1, name: 'btn', data: { long: false } },
      { type: 'reboot', boots: 2 },
      { type: 'subscribed', boots: 2, seq: 0 },
      { type: 'event', boots: 2, seq: 1, name: 'hb', data: { upS: 1 } },
    ]);
    expect(socket.messages.filter((m) => m.type === 'log').map((m) => m.line)).toEqual([
      '[hb] up=60s batt=100% 4.20V mode=normal',
      'strap 0.1.0 on PUCKJS (Espruino 2v29), boot #2',
    ]);
  });

  it('accepts the token as a bearer.<token> subprotocol (browsers cannot set headers) and answers with strap-events', async () => {
    const { ws, api } = await start();
    for (const protocols of [['strap-events', `bearer.${api.token}`], [`bearer.${api.token}`, 'strap-events']]) {
      const socket = await ws({ protocols, headers: {} });
      expect(socket.ws.protocol).toBe('strap-events');
      await socket.waitFor((m) => m.some((x) => x.type === 'subscribed'));
    }
  });

  it('refuses an upgrade without the token, or with a wrong one in the header or the subprotocol, with 401', async () => {
    const { refused, api } = await start();
    const wrong = `${api.token.slice(0, -1)}${api.token.endsWith('x') ? 'y' : 'x'}`;
    const attempts: { protocols?: string[]; headers: Record<string, string> }[] = [
      { headers: {} },
      { headers: { Authorization: `Bearer ${wrong}` } },
      { protocols: ['strap-events', `bearer.${wrong}`], headers: {} },
    ];
    for (const attempt of attempts) {
      const answer = await refused('/events', attempt);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer');
      expect(JSON.parse(answer.body)).toEqual({ error: { code: 'unauthorized', message: 'a valid bearer token is required' } });
    }
  });

  it('answers an upgrade anywhere but /events with 404', async () => {
    const { refused } = await start();
    const answer = await refused('/elsewhere');
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'not-found' } });
  });

  it('leaves a handshake it cannot complete to ws, which answers the HTTP error; nothing is left waiting', async () => {
    const acceptor = wsAcceptor();
    const accepted: (EventSocket | undefined)[] = [];
    const webSocket = { accept: (...args: Parameters<typeof acceptor.accept>) => acceptor.accept(...args).then((client) => (accepted.push(client), client)) };
    const { api } = await start(200, { webSocket });
    const auth = { Host: `127.0.0.1:${api.port}`, Authorization: `Bearer ${api.token}` };
    expect(await rawUpgrade(api.port, { ...auth, 'Sec-WebSocket-Key': 'not a key', 'Sec-WebSocket-Version': '13' })).toBe(400);
    expect(await rawUpgrade(api.port, { ...auth, 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version': '7' })).toBe(400);
    await until(() => accepted.length === 2);
    expect(accepted).toEqual([undefined, undefined]);
  });

  it('unsubscribes the strap when its last client leaves', async () => {
    const { ws, strap, rpc } = await start();
    const socket = await ws();
    await socket.waitFor((m) => m.some((x) => x.type === 'subscribed'));
    expect(strap.subscribed).toBe(true);
    socket.ws.terminate();
    await until(() => !strap.subscribed);
    expect(rpc.subscribed).toBe(false);
  });

  it('closes its clients with 1001 going-away when the API stops', async () => {
    const { ws, api } = await start();
    const socket = await ws();
    await api.close();
    expect(await socket.closed).toBe(1001);
  });

  it('drops a client that stops reading instead of buffering for it without bound', async () => {
    const { ws, strap } = await start();
    const socket = await ws();
    await socket.waitFor((m) => m.some((x) => x.type === 'subscribed'));
    socket.ws.pause();
    // Past the kernel's socket buffers (a few MiB on loopback) the server holds the rest: 1 MiB at most.
    const line = 'x'.repeat(64 * 1024);
    for (let sent = 0; strap.subscribed && sent < 1024; sent++) {
      strap.line(line);
      if (sent % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    await until(() => !strap.subscribed);
  });
});

describe('bearer tokens', () => {
  it('are 32 random bytes, base64url, different each time', () => {
    const a = generateToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(generateToken()).not.toBe(a);
  });

  it('a token of the user\'s own must be ≥ 32 characters of base64url/hex with ≥ 10 different ones (regression: an 18-character one was accepted)', () => {
    expect(tokenWeakness('abcdefghijklmnopqr')).toMatch(/18 characters long; at least 32/);
    expect(tokenWeakness('0123456789'.repeat(3) + '0')).toMatch(/at least 32/);
    expect(tokenWeakness('ab'.repeat(16))).toMatch(/fewer than 10 different characters/);
    expect(tokenWeakness('3f9a1c7e5b2d48a6c0e1f7b9d3a5c8e2')).toBeUndefined(); // openssl rand -hex 16
    expect(tokenWeakness('3f9a1c7e5b2d48a6c0e1f7b9d3a5c8e2/x')).toMatch(/no spaces, \+ \/ or =/);
    expect(tokenWeakness(generateToken())).toBeUndefined();
  });

  it('startLocalApi refuses to start with a weak token', async () => {
    const rpc = new RpcClient(new FakeStrapConsole(), { timeoutMs: 100 });
    try {
      await expect(startLocalApi({ rpc, token: 'test-token-1', announce: () => undefined })).rejects.toThrow(WeakTokenError);
    } finally {
      rpc.close();
    }
  });

  it('match only the exact token, whatever the length presented', () => {
    const token = generateToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, token + 'x')).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, undefined)).toBe(false);
  });
});

describe('local API event stream with an independent client', () => {
  it("works with Node's own WebSocket client, token as subprotocol", async () => {
    const { api, strap } = await start();
    const client = connectNodeWebSocket(`ws://127.0.0.1:${api.port}/events`, ['strap-events', `bearer.${api.token}`]);
    try {
      await client.waitFor((m) => m.some((x) => x.type === 'subscribed'));
      strap.event('btn', { long: true });
      await client.waitFor((m) => m.some((x) => x.type === 'event'));
      expect(client.messages()).toEqual([
        { type: 'open', protocol: 'strap-events' },
        { type: 'subscribed', boots: 1, seq: 0 },
        { type: 'event', boots: 1, seq: 1, name: 'btn', data: { long: true } },
      ]);
    } finally {
      await client.stop();
    }
    expect(client.messages().at(-1)).toEqual({ type: 'closed', code: 1000 });
  });
});
