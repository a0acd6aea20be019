/**
 * Espruino's flash file system ("jsf", src/jsflash.c in Espruino 2v29) on a
 * FlashMemory: the same header chain, the same search for free space, the
 * same "delete by zeroing the name" journaling and the same error texts, so a
 * power cut or a full flash behaves as on the board.
 *
 * Offsets here are relative to the start of the Storage area.
 */
import { crc32 } from '../../../protocols/crc32';
import type { FlashMemory } from './flash-memory';
import {
  FLAG_STORAGEFILE,
  HEADER_SIZE,
  MAX_FILE_SIZE,
  WORD_UNSET,
  alignUp,
  decodeHeader,
  decodeName,
  encodeHeader,
  encodeName,
  fileFlags,
  fileSize,
  isDeleted,
  namesEqual,
  type FileHeader,
} from './jsf-header';

/** An error Espruino raises with this exact message (thrown as `Error` on the board). */
export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface StorageStats {
  totalBytes: number;
  freeBytes: number;
  fileBytes: number;
  fileCount: number;
  trashBytes: number;
  trashCount: number;
}

export interface FoundFile {
  /** Offset of the file's data (just after its header). */
  dataOffset: number;
  header: FileHeader;
}

export interface ListFilter {
  /** Only files with one of these flag bits. */
  containing?: number;
  /** No file with any of these flag bits. */
  notContaining?: number;
  /** Keep the name? (String.match against the board's regex, done by the caller). */
  match?: (name: string) => boolean;
}

interface Located {
  offset: number;
  header: FileHeader;
}

export class JsfStorage {
  constructor(readonly flash: FlashMemory) {}

  private get end(): number {
    return this.flash.sizeBytes;
  }

  // ---------------------------------------------------------------- reading

  find(name: string): FoundFile | undefined {
    const wanted = encodeName(name);
    let found: FoundFile | undefined;
    this.walk(true, (at) => {
      if (namesEqual(at.header.nameBytes, wanted)) {
        found = { dataOffset: at.offset + HEADER_SIZE, header: at.header };
        return false;
      }
      return true;
    });
    return found;
  }

  /** jsfReadFile: undefined when missing; offset/length (JsVarInts) clipped to the file. */
  read(name: string, offset = 0, length = 0): Uint8Array | undefined {
    const file = this.find(name);
    if (!file) return undefined;
    const size = fileSize(file.header);
    if (!Number.isInteger(offset) || offset < 0) offset = 0;
    if (!Number.isInteger(length)) length = 0;
    if (length <= 0) length = size;
    if (offset > size) offset = size;
    if (offset + length > size) length = size - offset;
    if (length <= 0) return new Uint8Array(0);
    return this.flash.read(file.dataOffset + offset, length);
  }

  /** Names of live files, in flash order (jsfListFiles). */
  list(filter: ListFilter = {}): string[] {
    const names: string[] = [];
    this.forEachListed(filter, (name) => names.push(name));
    return names;
  }

  /** jsfHashFiles: rolling hash of matching names and their header addresses. */
  hash(filter: ListFilter = {}): number {
    let hash = 0xabcddcba;
    this.forEachListed(filter, (name, headerOffset) => {
      hash = ((hash << 1) | (hash >>> 31)) >>> 0;
      const nameBytes = Uint8Array.from(name, (c) => c.charCodeAt(0) & 0xff);
      hash = (hash ^ (this.flash.baseAddress + headerOffset) ^ crc32(nameBytes)) >>> 0;
    });
    return hash;
  }

  /** jsfGetStorageStats over all pages. */
  stats(): StorageStats {
    const stats: StorageStats = { totalBytes: this.end, freeBytes: 0, fileBytes: 0, fileCount: 0, trashBytes: 0, trashCount: 0 };
    let lastEnd = 0;
    this.walkRaw(0, true, (at) => {
      const bytes = alignUp(fileSize(at.header)) + HEADER_SIZE;
      lastEnd = at.offset + bytes;
      if (isDeleted(at.header)) {
        stats.trashBytes += bytes;
        stats.trashCount++;
      } else {
        stats.fileBytes += bytes;
        stats.fileCount++;
      }
      return true;
    });
    stats.freeBytes = this.end - lastEnd;
    return stats;
  }

  /**
   * jsfIsStorageValid(JSFSTT_NORMAL): the header chain must end in an all-0xFF
   * header, and an empty Storage must be erased throughout. A header left
   * half-programmed by a power cut fails this, and Espruino then prints
   * "Storage is corrupt." and erases everything at the next power-on.
   */
  isValid(): boolean {
    let offset: number | undefined = 0;
    let previous = 0;
    let header = this.headerAt(0);
    const firstValid = this.isHeaderValid(0, header);
    if (firstValid) {
      for (;;) {
        const next = this.nextHeader(offset as number, header, true);
        header = next.header;
        offset = next.offset;
        if (!next.valid) break;
        previous = offset as number;
      }
      if (offset === undefined) {
        // ran out of room for another header: fine if the last file ends near the end
        const after = alignUp(previous + fileSize(header) + HEADER_SIZE);
        if (after <= this.end && after + HEADER_SIZE > this.end) return true;
      }
    }
    const allFF = header.sizeWord === WORD_UNSET && header.nameBytes.every((b) => b === 0xff);
    if (allFF && !firstValid) return this.isErased(0, this.end);
    return allFF;
  }

  // ---------------------------------------------------------------- writing

  /**
   * jsfWriteFile (src/jsflash.c). With offset 0 a new file of `size` bytes
   * (default: the data's length) is created, replacing any file of that name;
   * later calls with an offset fill in the rest, which must still be erased.
   *
   * `offset` and `size` are JsVarInts, as the wrappers pass them (int32:
   * ./int-argument.ts turns any JS value into one). A negative one returns
   * false without an exception, as jsfWriteFile does; a size that cannot fit
   * (from 2^24 up the header could not even hold it) fails in jsfCreateFile
   * with "Unable to find or create file", after the file being replaced was
   * marked deleted — Espruino's order: erase, then create.
   */
  write(name: string, data: Uint8Array, offset = 0, size = 0, flags = 0): boolean {
    if (!isJsVarInt(offset) || !isJsVarInt(size)) throw new RangeError(`jsfWriteFile takes JsVarInts (int32), got offset ${offset}, size ${size}`);
    if (offset < 0 || size < 0) return false;
    if (size === 0) size = data.length;
    if (!size) throw new StorageError("Can't create zero length file");
    let file = this.find(name);
    if (
      (!file && offset === 0) ||
      (file && offset === 0 && (flags !== fileFlags(file.header) || size !== fileSize(file.header) || !this.isErased(file.dataOffset, size)))
    ) {
      if (
        file &&
        offset === 0 &&
        size === fileSize(file.header) &&
        flags === fileFlags(file.header) &&
        data.length === size &&
        this.isEqual(file.dataOffset, data)
      ) {
        return true; // identical contents: nothing to do
      }
      if (file) this.markDeleted(file.dataOffset - HEADER_SIZE);
      file = this.create(name, size, flags);
    }
    if (!file) throw new StorageError('Unable to find or create file');
    if (offset + data.length > fileSize(file.header)) throw new StorageError('Too much data for file size');
    const at = file.dataOffset + offset;
    if (!this.isErased(at, data.length)) throw new StorageError('File already written with different data');
    this.flash.program(at, data);
    return true;
  }

  /** jsfEraseFile: zero the first four name bytes. Returns false when there was no such file. */
  erase(name: string): boolean {
    const file = this.find(name);
    if (!file) return false;
    this.markDeleted(file.dataOffset - HEADER_SIZE);
    return true;
  }

  eraseAll(): void {
    this.flash.eraseAll();
  }

  /**
   * jsfCompact: live files are moved to the start of Storage in order, trash
   * disappears and the remaining pages are erased. (Espruino streams through a
   * RAM swap buffer page by page; the end state is the same packed layout.)
   */
  compact(): boolean {
    const stats = this.stats();
    if (!stats.trashBytes) return true;
    const live: Uint8Array[] = [];
    this.walkRaw(0, true, (at) => {
      if (!isDeleted(at.header)) live.push(this.flash.read(at.offset, HEADER_SIZE + alignUp(fileSize(at.header))));
      return true;
    });
    this.flash.eraseAll();
    let write = 0;
    for (const chunk of live) {
      this.flash.program(write, chunk);
      write += chunk.length;
    }
    return true;
  }

  // ---------------------------------------------------------------- internals

  /** jsfCreateFile: first hole big enough, compacting once if none. */
  private create(name: string, size: number, flags: number): FoundFile | undefined {
    const required = alignUp(size) + HEADER_SIZE;
    let compacted = false;
    for (;;) {
      const at = size <= MAX_FILE_SIZE ? this.findHole(required) : undefined;
      if (at !== undefined) {
        const headerBytes = encodeHeader(size, flags, encodeName(name));
        this.flash.program(at, headerBytes);
        return { dataOffset: at + HEADER_SIZE, header: decodeHeader(headerBytes) };
      }
      if (compacted) return undefined;
      compacted = true;
      this.compact();
    }
  }

  private findHole(required: number): number | undefined {
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      // follow the chain within this run of files until an empty header
      let header = this.headerAt(offset);
      if (this.isHeaderValid(offset, header)) {
        for (;;) {
          const next = this.nextHeader(offset, header, false);
          if (next.offset === undefined) return undefined; // storage exactly full
          offset = next.offset;
          header = next.header;
          if (!next.valid) break;
        }
      }
      if (this.spaceLeftInPage(offset) >= required) return offset;
      offset = this.nextPageStart(offset);
    }
    return undefined;
  }

  /** jsfGetSpaceLeftInPage: to the end of this page, or of Storage if the next page is empty. */
  private spaceLeftInPage(offset: number): number {
    let nextPage = offset - (offset % this.flash.pageSize) + this.flash.pageSize;
    if (nextPage < this.end && !this.isHeaderValid(nextPage, this.headerAt(nextPage))) nextPage = this.end;
    return Math.max(0, Math.min(nextPage, this.end) - offset);
  }

  private nextPageStart(offset: number): number | undefined {
    const next = offset - (offset % this.flash.pageSize) + this.flash.pageSize;
    return next < this.end ? next : undefined;
  }

  private markDeleted(headerOffset: number): void {
    this.flash.program(headerOffset + 4, new Uint8Array(4));
  }

  private forEachListed(filter: ListFilter, visit: (name: string, headerOffset: number) => void): void {
    this.walk(false, (at) => {
      const flags = fileFlags(at.header);
      if ((filter.notContaining ?? 0) & flags) return true;
      if (filter.containing && !(filter.containing & flags)) return true;
      let name = decodeName(at.header.nameBytes);
      if (flags & FLAG_STORAGEFILE) {
        // StorageFile chunks end in their chunk number; only chunk 1 is listed
        if (name.charCodeAt(name.length - 1) !== 1) return true;
        if ((filter.containing ?? 0) & FLAG_STORAGEFILE) name = name.slice(0, -1);
      }
      if (!filter.match || filter.match(name)) visit(name, at.offset);
      return true;
    });
  }

  /** Walks live files (or all, with includeDeleted) across pages. Return false from visit to stop. */
  private walk(includeDeleted: boolean, visit: (at: Located) => boolean): void {
    this.walkRaw(0, true, (at) => (includeDeleted || !isDeleted(at.header) ? visit(at) : true));
  }

  private walkRaw(start: number, allPages: boolean, visit: (at: Located) => boolean): void {
    let offset = start;
    let header = this.headerAt(offset);
    if (!this.isHeaderValid(offset, header)) return;
    for (;;) {
      if (!visit({ offset, header })) return;
      const next = this.nextHeader(offset, header, allPages);
      if (next.offset === undefined || !next.valid) return;
      offset = next.offset;
      header = next.header;
    }
  }

  /**
   * jsfGetNextFileHeader: the header after `header`. `offset` is undefined when
   * there is no room for another header (the header is then returned as given).
   */
  private nextHeader(offset: number, header: FileHeader, allPages: boolean): { offset: number | undefined; header: FileHeader; valid: boolean } {
    let next = alignUp(offset + fileSize(header) + HEADER_SIZE);
    if (next + HEADER_SIZE > this.end) return { offset: undefined, header, valid: false };
    let nextHeader = this.headerAt(next);
    let valid = this.isHeaderValid(next, nextHeader);
    if (allPages && !valid) {
      const page = this.nextPageStart(next);
      if (page === undefined) return { offset: undefined, header: nextHeader, valid: false };
      next = page;
      nextHeader = this.headerAt(next);
      valid = this.isHeaderValid(next, nextHeader);
    }
    return { offset: next, header: nextHeader, valid };
  }

  private headerAt(offset: number): FileHeader {
    if (offset + HEADER_SIZE > this.end) return { sizeWord: WORD_UNSET, nameBytes: new Uint8Array(28).fill(0xff) };
    return decodeHeader(this.flash.read(offset, HEADER_SIZE));
  }

  /** jsfGetFileHeader's validity test. */
  private isHeaderValid(offset: number, header: FileHeader): boolean {
    return header.sizeWord !== WORD_UNSET && header.sizeWord !== 0 && offset + HEADER_SIZE + fileSize(header) <= this.end;
  }

  private isErased(offset: number, length: number): boolean {
    if (length <= 0) return true;
    if (offset + length > this.end) return false;
    const bytes = this.flash.read(offset, length);
    for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0xff) return false;
    return true;
  }

  private isEqual(offset: number, data: Uint8Array): boolean {
    const bytes = this.flash.read(offset, data.length);
    for (let i = 0; i < data.length; i++) if (bytes[i] !== data[i]) return false;
    return true;
  }
}

/** An int32, what a JsVarInt holds. */
function isJsVarInt(n: number): boolean {
  return Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff;
}
