/**
 * Byte layout of a Storage file header, as Espruino 2v29 writes it
 * (src/jsflash.h, JsfFileHeader):
 *
 *   offset 0  uint32 LE  size of the data in the low 24 bits, flags in the top 8
 *   offset 4  char[28]   file name, NUL padded (not terminated when 28 long)
 *   offset 32 data, then padding up to the next JSF_ALIGNMENT (4 on nRF52)
 *
 * A header whose size word is 0xFFFFFFFF is erased flash (end of the chain).
 * A deleted/replaced file keeps its header with the first 4 name bytes set to 0.
 */
export const HEADER_SIZE = 32;
export const NAME_LENGTH = 28;
export const ALIGNMENT = 4;
export const WORD_UNSET = 0xffffffff;

/** Top-8-bit flags (jsflash.h JsfFileFlags). */
export const FLAG_STORAGEFILE = 64;
export const FLAG_COMPRESSED = 128;

export interface FileHeader {
  /** Raw size word (size | flags << 24). */
  sizeWord: number;
  /** 28 name bytes as stored. */
  nameBytes: Uint8Array;
}

export function fileSize(header: FileHeader): number {
  return header.sizeWord & 0x00ffffff;
}

export function fileFlags(header: FileHeader): number {
  return header.sizeWord >>> 24;
}

/** True when the file was deleted or replaced (first four name bytes zeroed). */
export function isDeleted(header: FileHeader): boolean {
  return header.nameBytes[0] === 0 && header.nameBytes[1] === 0 && header.nameBytes[2] === 0 && header.nameBytes[3] === 0;
}

/** Largest size the header's 24-bit size field holds (jsfGetFileSize masks with 0x00FFFFFF). */
export const MAX_FILE_SIZE = 0x00ffffff;

/**
 * jsfAlignAddress, in exact arithmetic: a 32-bit `& ~3` would turn sizes from
 * 2^31 - 3 up negative. Storage addresses and sizes here stay far below 2^53.
 */
export function alignUp(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

/** Name bytes for a file name: latin1, truncated to 28 bytes like jsfNameFromVar. */
export function encodeName(name: string): Uint8Array {
  const bytes = new Uint8Array(NAME_LENGTH);
  for (let i = 0; i < Math.min(name.length, NAME_LENGTH); i++) bytes[i] = name.charCodeAt(i) & 0xff;
  return bytes;
}

/** The name as a string: bytes up to the first NUL. */
export function decodeName(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

export function namesEqual(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < NAME_LENGTH; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The header bytes. A size the 24-bit field cannot hold is a programming error here, never silently cut. */
export function encodeHeader(size: number, flags: number, nameBytes: Uint8Array): Uint8Array {
  if (!Number.isInteger(size) || size < 1 || size > MAX_FILE_SIZE) throw new RangeError(`Storage file size ${size} does not fit a JSF header (1..${MAX_FILE_SIZE})`);
  const out = new Uint8Array(HEADER_SIZE);
  const word = (size | ((flags & 0xff) << 24)) >>> 0;
  out[0] = word & 0xff;
  out[1] = (word >>> 8) & 0xff;
  out[2] = (word >>> 16) & 0xff;
  out[3] = (word >>> 24) & 0xff;
  out.set(nameBytes.subarray(0, NAME_LENGTH), 4);
  return out;
}

export function decodeHeader(bytes: Uint8Array): FileHeader {
  const sizeWord = (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
  return { sizeWord, nameBytes: bytes.slice(4, 4 + NAME_LENGTH) };
}
