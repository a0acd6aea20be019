import { describe, expect, it } from 'vitest';
import { ForeignProtocolGuard, MAX_OPENING_BYTES, classifyOpening } from './foreign-protocol';

/** Feeds `chunks` one after the other; returns what was forwarded and the verdict. */
function feed(...chunks: string[]) {
  const guard = new ForeignProtocolGuard();
  let forwarded = '';
  let refused: string | undefined;
  for (const chunk of chunks) {
    const result = guard.take(chunk);
    forwarded += result.forward;
    refused ??= result.refused;
  }
  return { forwarded, refused, guard };
}

describe('refusing other protocols on a console link', () => {
  it('refuses an HTTP request line as soon as "HTTP/" and a digit arrive, forwarding nothing of it', () => {
    for (const opening of ['POST / HTTP/1.1\r\n', 'GET /x?y=1 HTTP/1.0\r\n', 'PRI * HTTP/2.0\r\n\r\nSM', 'OPTIONS * HTTP/1.1', 'foo /a HTTP/9']) {
      expect(classifyOpening(opening), opening).toBe('http-request');
      expect(feed(opening, 'print("body ran")\n').forwarded, opening).toBe('');
    }
  });

  it('refuses a whole browser request, whatever way it is split, before any byte reaches the console', () => {
    const request = 'POST /x HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Type: text/plain\r\nContent-Length: 17\r\n\r\nprint("pwned");\n';
    for (let cut = 1; cut < request.length; cut++) {
      const { forwarded, refused } = feed(request.slice(0, cut), request.slice(cut));
      expect(forwarded, `split at ${cut}`).toBe('');
      expect(refused).toBe('http-request');
    }
    const byteByByte = feed(...request.split(''));
    expect(byteByByte.forwarded).toBe('');
  });

  it('refuses a TLS handshake record (0x16 0x03) and an opening HTTP header line', () => {
    expect(feed('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03').refused).toBe('tls');
    expect(feed('\x16', '\x03').refused).toBe('tls');
    expect(feed('Host: 127.0.0.1:8080\r\n').refused).toBe('http-header');
    expect(feed('content-type : text/plain\n').refused).toBe('http-header');
  });

  it('lets console hosts through unchanged: the espruino CLI, packets, Ctrl-C, typed lines', () => {
    for (const opening of ['\n', '\x03', '\x10print()\n\x101+2\n\n', '\x10\x01\x20\x03abc', 'print(1+1)\n', 'var x = 5\n', 'LED1.set()\n', '1+2\n', '\x16A', 'reset();\n']) {
      const { forwarded, refused, guard } = feed(opening);
      expect(refused, JSON.stringify(opening)).toBeUndefined();
      expect(forwarded).toBe(opening);
      expect(guard.isConsole).toBe(true);
    }
  });

  it('holds back only what could still be a request line or a header name, and releases it once it cannot', () => {
    const guard = new ForeignProtocolGuard();
    expect(guard.take('var').forward).toBe('');
    expect(guard.take(' x').forward).toBe('');
    expect(guard.take(' =').forward).toBe('var x =');
    expect(guard.take(' 1\n').forward).toBe(' 1\n');
    const typing = new ForeignProtocolGuard();
    expect(typing.take('Ho').forward).toBe('');
    expect(typing.take('me').forward).toBe('');
    expect(typing.take('(').forward).toBe('Home(');
  });

  it('release() lets an opening that is still undecided through as console input (a word typed, then a pause)', () => {
    const guard = new ForeignProtocolGuard();
    expect(guard.take('first').forward).toBe('');
    expect(guard.holding).toBe(true);
    expect(guard.release().forward).toBe('first');
    expect(guard.take(' word').forward).toBe(' word');
    expect(guard.isConsole).toBe(true);
  });

  it('an opening line over 8 KiB that still reads like a request line is refused', () => {
    expect(feed('GET /' + 'a'.repeat(MAX_OPENING_BYTES)).refused).toBe('http-request');
    expect(feed('a+'.repeat(MAX_OPENING_BYTES)).refused).toBe('http-request');
  });

  it('after the opening, a header line refuses the connection at its line end: the line end is withheld and Ctrl-U clears the line', () => {
    const guard = new ForeignProtocolGuard();
    expect(guard.take('1+1\n').forward).toBe('1+1\n');
    const result = guard.take('var a = 1\nOrigin: http://evil.example\nprint("x")\n');
    expect(result.refused).toBe('http-header');
    expect(result.forward).toBe('var a = 1\nOrigin: http://evil.example\x15');
    expect(guard.take('print("more")\n').forward).toBe('');
  });

  it('does not look for headers inside packet data (DLE SOH, 2-byte header, data)', () => {
    const data = 'x\nHost: in a file\n';
    const packet = '\x10\x01' + String.fromCharCode(0x80, data.length) + data;
    const { forwarded, refused } = feed('\n', packet, 'print(1)\n');
    expect(refused).toBeUndefined();
    expect(forwarded).toBe('\n' + packet + 'print(1)\n');
  });

  it('indented object keys and lines that only start like a header name are console input', () => {
    expect(feed('\n', 'var o = {\n  Host: 1\n}\n').refused).toBeUndefined();
    expect(feed('\n', 'hostname = 1\n').refused).toBeUndefined();
  });
});
