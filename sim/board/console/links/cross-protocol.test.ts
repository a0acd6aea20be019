/**
 * The TCP console refuses other protocols (./foreign-protocol.ts), tested with
 * a real board behind it and real clients: node:http as a browser's POST
 * would arrive, node:tls as an https:// fetch would. Regression for issue 8:
 * the console ran the body lines of an HTTP request sent to its port.
 */
import http from 'node:http';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { startBoard, type TestBoard } from '../../board-test-kit';
import { startTcpConsole, type TcpConsole } from './tcp-console';
import { connectTestClient, type TestClient } from './testing/tcp-test-client';
import { until } from '../../../../testing/until';

interface Served {
  t: TestBoard;
  tcp: TcpConsole;
  notes: string[];
}

describe('the TCP console refuses cross-protocol requests', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  /** A board behind a TCP console, its virtual time pumped while the test waits on real sockets. */
  async function serve(): Promise<Served> {
    const t = startBoard();
    const notes: string[] = [];
    const tcp = await startTcpConsole({
      console: t.board.console,
      onHostConnected: () => t.board.repl.showPrompt(),
      onNote: (text) => notes.push(text),
      openingGraceMs: 50,
    });
    const pump = setInterval(() => t.board.run(5), 2);
    stops.push(async () => {
      clearInterval(pump);
      await tcp.close();
    });
    return { t, tcp, notes };
  }

  async function host(port: number): Promise<TestClient> {
    const client = await connectTestClient(port);
    stops.push(async () => void client.socket.destroy());
    return client;
  }

  /** The next host is served: it gets a prompt and `print(1+1)` prints 2. */
  async function servesNextHost({ tcp }: Served): Promise<void> {
    const next = await host(tcp.port);
    next.send('print(1+1)\n');
    await next.waitFor((text) => /\r\n2\r\n/.test(text));
  }

  it('an HTTP POST (node:http) is answered 400 and closed; no line of its body runs; the board serves the next host', async () => {
    const served = await serve();
    const body = 'var pwned = 1;\nprint("PWNED");\n';
    const response = await new Promise<{ status?: number; text: string }>((resolve) => {
      const request = http.request(
        { host: '127.0.0.1', port: served.tcp.port, method: 'POST', path: '/', headers: { 'Content-Type': 'text/plain' } },
        (res) => {
          let text = '';
          res.setEncoding('latin1');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode, text }));
        },
      );
      request.on('error', (error) => resolve({ text: error.message }));
      request.end(body);
    });
    served.t.board.run(50);
    expect(served.t.output()).not.toContain('PWNED');
    expect(served.t.value('typeof pwned')).toBe('undefined');
    expect(response.status).toBe(400);
    expect(response.text).toContain('Espruino console, not an HTTP server');
    expect(served.notes.join('\n')).toMatch(/refused 127\.0\.0\.1:\d+: it spoke an HTTP request \(POST \/ HTTP\/1\.1\)/);
    await servesNextHost(served);
  });

  it('the bytes of a browser\'s cross-origin form POST (the issue\'s reproducer): no body line runs, the socket is closed', async () => {
    const served = await serve();
    const body = 'var pwned = 1;\nprint("PWNED");\n';
    const request =
      'POST / HTTP/1.1\r\nHost: 127.0.0.1:' + served.tcp.port + '\r\nConnection: keep-alive\r\nContent-Length: ' + body.length +
      '\r\nOrigin: http://evil.example\r\nContent-Type: text/plain\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\n' +
      'Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\nReferer: http://evil.example/\r\n\r\n' + body;
    const browser = await host(served.tcp.port);
    browser.send(request);
    let closed = false;
    void browser.closed.then(() => (closed = true));
    await until(() => closed || served.t.output().includes('PWNED'));
    served.t.board.run(50);
    expect(served.t.output()).not.toContain('PWNED');
    expect(served.t.value('typeof pwned')).toBe('undefined');
    expect(closed).toBe(true);
    await servesNextHost(served);
  });

  it('a TLS connect (node:tls) is closed during its handshake; nothing runs; the board serves the next host', async () => {
    const served = await serve();
    const outcome = await new Promise<string>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: served.tcp.port, rejectUnauthorized: false });
      socket.on('secureConnect', () => resolve('connected'));
      socket.on('error', (error) => resolve(`error: ${error.message}`));
      socket.on('close', () => resolve('closed'));
    });
    expect(outcome).not.toBe('connected');
    served.t.board.run(50);
    expect(served.t.output()).not.toMatch(/Uncaught/);
    expect(served.notes.join('\n')).toMatch(/it spoke TLS/);
    await servesNextHost(served);
  });

  it('a refused request does not displace the host that is connected', async () => {
    const served = await serve();
    const engineer = await host(served.tcp.port);
    engineer.send('\n');
    await engineer.waitFor((text) => text.endsWith('>'));
    await new Promise<void>((resolve) => {
      const request = http.request({ host: '127.0.0.1', port: served.tcp.port, method: 'POST', path: '/x' }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      request.on('error', () => resolve());
      request.end('print("PWNED")\n');
    });
    engineer.send('print(6*7)\n');
    await engineer.waitFor((text) => text.includes('42'));
    expect(engineer.text()).not.toContain('took over');
    expect(served.notes.join('\n')).not.toContain('displaced');
  });

  it('a host that sends an HTTP header line later is closed at that line, which never runs', async () => {
    const served = await serve();
    const client = await host(served.tcp.port);
    client.send('var before = 1\n');
    await until(() => served.t.value('typeof before') === 'number');
    client.send('Origin: http://evil.example\nvar after = 1\n');
    await client.closed;
    served.t.board.run(50);
    expect(served.t.value('typeof after')).toBe('undefined');
    expect(served.t.output()).not.toContain('SyntaxError');
    expect(served.notes.join('\n')).toMatch(/it spoke an HTTP header \(Origin: http:\/\/evil\.example\)/);
    await servesNextHost(served);
  });
});
