/**
 * What jsfWriteFile (Espruino src/jsflash.c) refuses, and what no write and no
 * power cut during one may do: leave a Storage that the next boot's
 * jsfIsStorageValid calls corrupt (then "Storage is corrupt." erases every
 * file, the firmware with them).
 *
 * jsfWriteFile(name, data, flags, JsVarInt offset, JsVarInt size):
 *   offset < 0 || size < 0          → false, no exception
 *   size 0 and no data              → "Can't create zero length file"
 *   offset 0: an existing file of that name is marked deleted first, then
 *     jsfCreateFile; no hole even after jsfCompact → "Unable to find or create file"
 *   offset > 0 and no such file     → "Unable to find or create file"
 *   offset + data > declared size   → "Too much data for file size"
 *   bytes there already programmed  → "File already written with different data"
 */
import { describe, expect, it } from 'vitest';
import { FlashMemory, PowerCut } from './flash-memory';
import { JsfStorage } from './jsf-storage';

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : String.fromCharCode(...b));

function fresh(pages = 10) {
  const flash = new FlashMemory({ pageCount: pages });
  return { flash, fs: new JsfStorage(flash) };
}

describe('jsfWriteFile argument checks (src/jsflash.c)', () => {
  it('sizes the 24-bit header field cannot hold fail with "Unable to find or create file" and Storage stays valid (regression: 2147483645 was aligned negative and the header kept 24 bits of it)', () => {
    for (const size of [2 ** 24, 2 ** 24 + 5, 2147483645, 2147483646, 2147483647, 40 * 1024]) {
      const { fs } = fresh();
      fs.write('keep', text('precious'));
      expect(() => fs.write('f', text('hello'), 0, size), `size ${size}`).toThrow('Unable to find or create file');
      expect(fs.isValid(), `size ${size}`).toBe(true);
      expect(fs.list()).toEqual(['keep']);
      expect(str(fs.read('keep'))).toBe('precious');
      // and Storage still takes writes
      expect(fs.write('after', text('ok'))).toBe(true);
    }
  });

  it('a negative offset or size returns false and writes nothing', () => {
    const { flash, fs } = fresh();
    const before = flash.snapshot();
    expect(fs.write('f', text('hello'), -1)).toBe(false);
    expect(fs.write('f', text('hello'), 0, -727379968)).toBe(false); // what 1e12 becomes as a JsVarInt
    expect(flash.snapshot()).toEqual(before);
  });

  it('offsets and sizes must be JsVarInts (int32): anything else is refused before flash is touched', () => {
    const { flash, fs } = fresh();
    const before = flash.snapshot();
    for (const [offset, size] of [[0, 1e12], [0, 1.5], [0, NaN], [0, Infinity], [2 ** 31, 0], [0.5, 0]]) {
      expect(() => fs.write('f', text('hello'), offset, size), `${offset}, ${size}`).toThrow(RangeError);
    }
    expect(flash.snapshot()).toEqual(before);
  });

  it('data past the declared size: "Too much data for file size"', () => {
    const { fs } = fresh();
    fs.write('f', text('Hello'), 0, 8);
    expect(() => fs.write('f', text('World'), 5)).toThrow('Too much data for file size');
    expect(() => fs.write('g', text('hello'), 0, 3)).toThrow('Too much data for file size');
    expect(fs.isValid()).toBe(true);
  });

  it('an offset into a file that is not being written: "Unable to find or create file"', () => {
    const { fs } = fresh();
    expect(() => fs.write('nothing', text('x'), 5)).toThrow('Unable to find or create file');
    expect(fs.list()).toEqual([]);
  });

  it('an offset into a file already written: "File already written with different data"', () => {
    const { fs } = fresh();
    fs.write('f', text('done'));
    expect(() => fs.write('f', text('x'), 1)).toThrow('File already written with different data');
    expect(str(fs.read('f'))).toBe('done');
  });

  it('no data and no size: "Can\'t create zero length file"', () => {
    const { fs } = fresh();
    expect(() => fs.write('f', new Uint8Array(0))).toThrow("Can't create zero length file");
    expect(fs.list()).toEqual([]);
  });

  it('names: the first 28 bytes count (jsfNameFromVar); an empty name is an all-zero name, which Storage files as deleted, and stays valid', () => {
    const { fs } = fresh();
    fs.write('y'.repeat(29), text('long'));
    expect(str(fs.read('y'.repeat(28)))).toBe('long');
    expect(fs.write('', text('nameless'))).toBe(true);
    expect(fs.list()).toEqual(['y'.repeat(28)]);
    expect(fs.stats()).toMatchObject({ fileCount: 1, trashCount: 1 });
    expect(fs.isValid()).toBe(true);
  });
});

describe('a full Storage', () => {
  it('a new file that does not fit fails with "Unable to find or create file" after compacting; every other file is kept', () => {
    const { fs } = fresh(2);
    fs.write('a', new Uint8Array(3000).fill(65));
    fs.write('b', new Uint8Array(3000).fill(66));
    fs.erase('a');
    expect(() => fs.write('c', new Uint8Array(6000).fill(67))).toThrow('Unable to find or create file');
    expect(fs.list()).toEqual(['b']);
    expect(fs.read('b')!.every((x) => x === 66)).toBe(true);
    expect(fs.isValid()).toBe(true);
  });

  it('replacing a file with one that cannot fit loses the old copy, as jsfWriteFile marks it deleted before jsfCreateFile; the rest stays', () => {
    const { fs } = fresh(2);
    fs.write('keep', text('precious'));
    fs.write('f', text('old'));
    expect(() => fs.write('f', new Uint8Array(9000))).toThrow('Unable to find or create file');
    expect(fs.read('f')).toBeUndefined();
    expect(str(fs.read('keep'))).toBe('precious');
    expect(fs.isValid()).toBe(true);
  });
});

describe('a power cut at any point of a write', () => {
  /**
   * Storage with three files; `b` is then rewritten (deleted mark, new header,
   * data). With `firstFileBytes` 3968 the three fill page 0 exactly, so the
   * new header starts page 1, where a torn size word would end the chain.
   */
  function setUp(pages = 10, firstFileBytes = 10) {
    const { flash, fs } = fresh(pages);
    fs.write('a', new Uint8Array(firstFileBytes).fill(0x61));
    fs.write('b', text('old contents of b'));
    fs.write('c', text('third file'));
    return { flash, fs };
  }
  const NEW_B = 'new contents of b, somewhat longer than before';

  function bytesProgrammedBy(write: (fs: JsfStorage) => void, pages = 10, firstFileBytes = 10): number {
    const { flash, fs } = setUp(pages, firstFileBytes);
    const before = flash.programmedBytes;
    write(fs);
    return flash.programmedBytes - before;
  }

  it.each([
    ['in the middle of a page', 10],
    ['at the start of a page', 3968],
  ])('leaves a valid Storage, every other file, and the file old, absent or a prefix of the new one (erased after it): new header %s', (_where, firstFileBytes) => {
    const rewrite = (fs: JsfStorage) => fs.write('b', text(NEW_B));
    const total = bytesProgrammedBy(rewrite, 10, firstFileBytes);
    expect(total).toBe(4 + 32 + NEW_B.length);
    if (firstFileBytes === 3968) {
      const probe = setUp(10, firstFileBytes);
      rewrite(probe.fs);
      expect(probe.fs.find('b')!.dataOffset).toBe(4096 + 32);
    }
    for (let n = 1; n <= total; n++) {
      const { flash, fs } = setUp(10, firstFileBytes);
      flash.cutPowerAfterBytes(n);
      try {
        rewrite(fs);
      } catch (error) {
        if (!(error instanceof PowerCut)) throw error;
      }
      const after = new JsfStorage(flash); // the next boot
      expect(after.isValid(), `cut after ${n} bytes`).toBe(true);
      expect(after.read('a')!.length).toBe(firstFileBytes);
      expect(str(after.read('c'))).toBe('third file');
      const b = str(after.read('b'));
      if (b !== undefined && b !== 'old contents of b') {
        const written = b.replace(/\xff+$/, '');
        expect(NEW_B.startsWith(written), `cut after ${n} bytes: ${JSON.stringify(b)}`).toBe(true);
        expect(b.length).toBe(NEW_B.length);
      }
    }
  });

  it('during the compaction a write starts when Storage is full, Storage is never left corrupt', () => {
    // 2 pages: 'b' is rewritten until the trash forces jsfCreateFile to compact
    const fill = (fs: JsfStorage) => {
      for (let i = 0; i < 24; i++) fs.write('b', new Uint8Array(600).fill(i + 1));
    };
    const total = bytesProgrammedBy(fill, 2);
    const probe = setUp(2);
    fill(probe.fs);
    expect(probe.flash.pageErases).toBeGreaterThan(0); // it did compact
    for (let n = 1; n <= total; n += 7) {
      const { flash, fs } = setUp(2);
      flash.cutPowerAfterBytes(n);
      try {
        fill(fs);
      } catch (error) {
        if (!(error instanceof PowerCut)) throw error;
      }
      expect(new JsfStorage(flash).isValid(), `cut after ${n} bytes`).toBe(true);
    }
  });
});
