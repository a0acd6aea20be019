/**
 * CRC-32 as Espruino's E.CRC32 computes it, and zlib's crc32: the catalogue's
 * CRC-32/ISO-HDLC (IEEE 802.3 FCS; width 32, poly 0x04C11DB7 reflected as
 * 0xEDB88320, init 0xFFFFFFFF, refin/refout true, xorout 0xFFFFFFFF, check
 * 0xCBF43926 for the ASCII bytes "123456789"). Source: Greg Cook, "Catalogue of
 * parametrised CRC algorithms", entry CRC-32/ISO-HDLC
 * (reveng.sourceforge.io/crc-catalogue/17plus.htm#crc.cat.crc-32-iso-hdlc).
 *
 * Users: the virtual board's E.CRC32 and Storage hash, the strap RPC frames'
 * checksum (strap-rpc/frame.ts), the flasher's image check.
 */

/** The CRC of `bytes` (each element taken as a byte, & 0xFF), unsigned. */
export function crc32(bytes: ArrayLike<number>): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The CRC of a string taken one char per byte (latin1, as Espruino's 8-bit strings). */
export function crc32OfLatin1(text: string): number {
  // read from the string itself: no byte array made (the virtual board's E.CRC32 of each RPC frame)
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The CRC as 8 lower-case hex digits (how the strap's frames write it). */
export function crc32Hex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}

// ---------------------------------------------------------------------------

/** One entry per byte value: that byte shifted through the reflected polynomial eight times. */
const TABLE = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
