/**
 * The frames' checksum: CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320,
 * init and final XOR 0xFFFFFFFF; what Espruino's E.CRC32 computes) over the
 * frame body's bytes, one byte per char (latin1), as 8 lower-case hex digits.
 */
import { crc32 } from 'node:zlib';

export function crcHex(body: string): string {
  return (crc32(Buffer.from(body, 'latin1')) >>> 0).toString(16).padStart(8, '0');
}
