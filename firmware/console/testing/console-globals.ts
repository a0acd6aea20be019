// The Espruino globals the console codecs use, for host-side tests: E.CRC32
// (node:zlib's CRC, answered signed as Espruino's 32-bit ints may be),
// E.toUint8Array / E.toString of one string or byte array (8-bit characters,
// the reply cache's) and print, collected.
import { crc32 as zlibCrc32 } from 'node:zlib';

export function installConsoleGlobals(): { printed: string[]; uninstall(): void } {
  const g = globalThis as { E?: unknown; print?: unknown };
  const printed: string[] = [];
  g.E = {
    CRC32: (data: string) => zlibCrc32(Buffer.from(data, 'latin1')) | 0,
    toUint8Array: (text: string) => new Uint8Array(Buffer.from(text, 'latin1')),
    toString: (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1'),
  };
  g.print = (line: string) => void printed.push(line);
  return {
    printed,
    uninstall: () => {
      delete g.E;
      delete g.print;
    },
  };
}
