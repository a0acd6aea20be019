/**
 * Requests to the local API (host-bridge/api/local-api.ts) as raw bytes on a
 * socket, so that what node's HTTP parser refuses is tried too: methods
 * (valid, lower-case, unknown, huge), paths (/health /status /rpc /events,
 * encoded, dotted, query strings, long), headers (Host right and wrong,
 * the real token, a wrong one, none, twice, huge; Content-Length short,
 * long, negative, doubled; chunked bodies, broken chunks; WebSocket upgrades
 * with and without keys), bodies (valid `{"method","params"}` for every
 * method of the contract, then mutated JSON, deep nesting, 70 KB).
 */
import { METHODS } from '../../protocols/strap-rpc/contract';
import { SeededRandom } from '../../sim/clock/seeded-random';
import { chance, mutate, pick, randomBytes } from '../pick';

export interface ApiTarget {
  port: number;
  token: string;
}

const METHOD_NAMES = Object.keys(METHODS).filter((m) => m !== 'reboot').concat(['nope', '', '__proto__', 'constructor', 'storage.crc32']);

function body(rng: SeededRandom): string {
  const valid = JSON.stringify({ method: pick(rng, METHOD_NAMES), params: pick(rng, [undefined, null, {}, { name: '.bootcde' }, { pattern: '(a|a)*b' }, { from: -1 }, [1], 'x']) });
  switch (rng.int(0, 6)) {
    case 0:
    case 1:
      return valid;
    case 2:
      return mutate(rng, valid, rng.int(1, 4));
    case 3:
      return '{"method":"ping","params":' + '['.repeat(rng.int(10, 5000)) + ']'.repeat(rng.int(0, 10)) + '}';
    case 4:
      return 'x'.repeat(pick(rng, [0, 1, 65536, 70000]));
    case 5:
      return randomBytes(rng, rng.int(1, 200));
    default:
      return '';
  }
}

export function apiRequestCase(seed: number, target: ApiTarget): string {
  const rng = new SeededRandom(seed);
  const method = pick(rng, ['GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'post', 'PATCH', 'CONNECT', 'BREW', 'G\x00T', 'X'.repeat(rng.int(1, 5000))]);
  const path = pick(rng, [
    '/health', '/status', '/rpc', '/events', '/', '/rpc/', '//rpc', '/%72pc', '/rpc?x=1', '/../rpc', '/status#x', '*', 'http://127.0.0.1/rpc',
    '/' + 'a'.repeat(rng.int(1, 9000)), '/' + randomBytes(rng, 8),
  ]);
  const version = pick(rng, ['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'HTTP/1.1 x', '']);
  const content = body(rng);
  const headers: string[] = [];
  if (chance(rng, 0.85)) headers.push(`Host: ${pick(rng, [`127.0.0.1:${target.port}`, `localhost:${target.port}`, 'evil.example', `127.0.0.1:${target.port + 1}`, '', `[::1]:${target.port}`])}`);
  const token = pick(rng, [target.token, target.token, target.token + 'x', target.token.slice(1), '', 'x'.repeat(10000), randomBytes(rng, 12)]);
  if (chance(rng, 0.8)) headers.push(`Authorization: ${pick(rng, ['Bearer ', 'bearer ', 'Basic ', 'Bearer  ', ''])}${token}`);
  if (chance(rng, 0.5)) headers.push(`Content-Type: ${pick(rng, ['application/json', 'text/plain', 'multipart/form-data; boundary=x', ''])}`);
  const chunked = chance(rng, 0.15);
  if (chunked) headers.push('Transfer-Encoding: chunked');
  else if (chance(rng, 0.85)) headers.push(`Content-Length: ${pick(rng, [String(content.length), String(content.length), '0', String(content.length + 10), '-1', '1e3', '99999999999', `${content.length}, ${content.length}`])}`);
  if (chance(rng, 0.15)) {
    headers.push('Connection: Upgrade', 'Upgrade: websocket', `Sec-WebSocket-Version: ${pick(rng, ['13', '8', ''])}`);
    if (chance(rng, 0.7)) headers.push(`Sec-WebSocket-Key: ${pick(rng, ['dGhlIHNhbXBsZSBub25jZQ==', 'x', ''])}`);
    if (chance(rng, 0.6)) headers.push(`Sec-WebSocket-Protocol: ${pick(rng, ['strap-events', `strap-events, bearer.${target.token}`, `bearer.${target.token}x`, ', , ,'])}`);
  }
  if (chance(rng, 0.1)) headers.push(`X-Big: ${'y'.repeat(rng.int(1000, 20000))}`);
  if (chance(rng, 0.1)) headers.push(randomBytes(rng, rng.int(1, 40)));
  if (chance(rng, 0.1)) headers.push(pick(rng, headers.length ? headers : ['Host: x'])); // a duplicate
  const payload = chunked
    ? pick(rng, [`${content.length.toString(16)}\r\n${content}\r\n0\r\n\r\n`, `zz\r\n${content}\r\n`, `${(content.length + 5).toString(16)}\r\n${content}`, '0\r\n\r\n'])
    : content;
  let request = `${method} ${path} ${version}\r\n${headers.join('\r\n')}\r\n\r\n${payload}`;
  if (chance(rng, 0.15)) request = mutate(rng, request, rng.int(1, 3));
  return request;
}
