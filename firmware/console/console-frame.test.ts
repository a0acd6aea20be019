// The strap's own frame writer (Espruino subset, E.CRC32) and the protocols
// codec (protocols/strap-rpc/) give the same bytes for the same inputs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asciiJson as hostAsciiJson } from '../../protocols/strap-rpc/ascii-json';
import { FRAME_START, frameCrc, sealFrame } from '../../protocols/strap-rpc/frame';
import { asciiJson, crcHex, FRAME_START as STRAP_FRAME_START, printFrame } from './console-frame';
import { installConsoleGlobals } from './testing/console-globals';

let globals: ReturnType<typeof installConsoleGlobals>;
beforeEach(() => (globals = installConsoleGlobals()));
afterEach(() => globals.uninstall());


/** Latin1 strings of every length up to 64, from a fixed seed, with every byte value among them. */
function latin1Samples(): string[] {
  let seed = 7;
  const samples = ['', '123456789', 'R|h1|1|{"mode":"normal"}', String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))];
  for (let n = 0; n <= 64; n++) {
    let text = '';
    for (let i = 0; i < n; i++) text += String.fromCharCode((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
    samples.push(text);
  }
  return samples;
}

const VALUES: unknown[] = [
  null,
  undefined,
  true,
  0,
  -1.5,
  4.2,
  'caf\u00e9 \u00ff \u2028 \ud83d\ude00',
  'tab\tnew\nline "quoted" \\ back | bar \x00 \x1e \x7f',
  { echo: { a: [1, 2.5, null] }, t: 12.5 },
  { code: 'not-found', message: 'x.js' },
  ['FIFO_FULL'],
];

describe("the strap's console frame writer equals the protocols codec", () => {
  it('starts frames with the same byte (RS)', () => {
    expect(STRAP_FRAME_START).toBe(FRAME_START);
  });

  it('computes the same 8-hex-digit CRC, also where E.CRC32 answers a negative number', () => {
    const samples = latin1Samples();
    expect(samples.some((s) => (globalThis as unknown as { E: { CRC32(s: string): number } }).E.CRC32(s) < 0)).toBe(true);
    for (const text of samples) expect(crcHex(text), JSON.stringify(text)).toBe(frameCrc(text));
  });

  it('writes the same ASCII JSON', () => {
    for (const value of VALUES) expect(asciiJson(value), JSON.stringify(value)).toBe(hostAsciiJson(value));
  });

  it('prints the same frame line, and returns it', () => {
    for (const body of ['R|h1|1|' + asciiJson({ echo: 'x' }), 'E|3|7|btn|{"long":false}', 'R||0|{"code":"bad-frame"}']) {
      const line = printFrame(body);
      expect(line).toBe(FRAME_START + sealFrame(body));
      expect(globals.printed.at(-1)).toBe(line);
    }
  });
});
