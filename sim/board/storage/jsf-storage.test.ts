import { describe, expect, it } from 'vitest';
import { FlashMemory, PowerCut } from './flash-memory';
import { JsfStorage } from './jsf-storage';

const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : String.fromCharCode(...b));

function fresh(pages = 10) {
  const flash = new FlashMemory({ pageCount: pages });
  return { flash, fs: new JsfStorage(flash) };
}

describe('Storage on flash, laid out as Espruino 2v29 jsflash.c', () => {
  it('writes a 32-byte header (size LE, 28-byte name) then the data', () => {
    const { flash, fs } = fresh();
    fs.write('hello.txt', text('abc'));
    const raw = flash.read(0, 36);
    expect([...raw.subarray(0, 4)]).toEqual([3, 0, 0, 0]);
    expect(str(raw.subarray(4, 13))).toBe('hello.txt');
    expect(raw[13]).toBe(0);
    expect(str(raw.subarray(32, 35))).toBe('abc');
    expect(raw[35]).toBe(0xff); // padding to 4-byte alignment stays erased
  });

  it('truncates names to 28 bytes', () => {
    const { fs } = fresh();
    const long = 'x'.repeat(40);
    fs.write(long, text('1'));
    expect(fs.list()).toEqual(['x'.repeat(28)]);
    expect(str(fs.read(long))).toBe('1');
  });

  it('reads with offset and length clipped to the file', () => {
    const { fs } = fresh();
    fs.write('f', text('0123456789'));
    expect(str(fs.read('f', 2, 3))).toBe('234');
    expect(str(fs.read('f', 8, 10))).toBe('89');
    expect(str(fs.read('f', 20))).toBe('');
    expect(fs.read('missing')).toBeUndefined();
  });

  it('takes chunked uploads the way the espruino CLI sends them', () => {
    const { fs } = fresh();
    const body = 'function onInit(){print("hi")}';
    fs.write('.bootcde', text(body.slice(0, 10)), 0, body.length);
    fs.write('.bootcde', text(body.slice(10, 20)), 10);
    fs.write('.bootcde', text(body.slice(20)), 20);
    expect(str(fs.read('.bootcde'))).toBe(body);
    expect(() => fs.write('.bootcde', text('zz'), 0 + body.length - 1)).toThrow('Too much data for file size');
    expect(() => fs.write('.bootcde', text('X'), 5)).toThrow('File already written with different data');
  });

  it('rewriting a file marks the old copy as trash; compact reclaims it', () => {
    const { fs } = fresh();
    fs.write('a', text('one'));
    fs.write('a', text('two!'));
    fs.write('a', text('two!')); // identical: nothing written
    expect(fs.stats()).toMatchObject({ fileCount: 1, trashCount: 1 });
    expect(fs.list()).toEqual(['a']);
    const freeBefore = fs.stats().freeBytes;
    fs.compact();
    expect(fs.stats()).toMatchObject({ fileCount: 1, trashCount: 0 });
    expect(fs.stats().freeBytes).toBeGreaterThan(freeBefore);
    expect(str(fs.read('a'))).toBe('two!');
  });

  it('is bounded: a file that cannot fit after compaction fails with Espruino’s error', () => {
    const { fs } = fresh(2);
    fs.write('big', new Uint8Array(5000).fill(65));
    expect(() => fs.write('huge', new Uint8Array(4000))).toThrow('Unable to find or create file');
    expect(str(fs.read('big'))?.length).toBe(5000);
    expect(() => fs.write('empty', new Uint8Array(0))).toThrow("Can't create zero length file");
  });

  it('compacts by itself when only trash is in the way', () => {
    const { fs } = fresh(2);
    fs.write('a', new Uint8Array(3000).fill(1));
    fs.erase('a');
    fs.write('b', new Uint8Array(6000).fill(2));
    expect(fs.stats()).toMatchObject({ fileCount: 1, trashCount: 0 });
  });

  it('lists with a filter and hashes names and positions', () => {
    const { fs } = fresh();
    fs.write('a.js', text('1'));
    fs.write('b.json', text('2'));
    fs.write('c.js', text('3'));
    expect(fs.list({ match: (n) => n.endsWith('.js') })).toEqual(['a.js', 'c.js']);
    const h1 = fs.hash({ match: (n) => n.endsWith('.js') });
    fs.write('a.js', text('9'));
    expect(fs.hash({ match: (n) => n.endsWith('.js') })).not.toBe(h1);
  });

  it('eraseAll leaves nothing and a valid, empty store', () => {
    const { fs } = fresh();
    fs.write('a', text('1'));
    fs.eraseAll();
    expect(fs.list()).toEqual([]);
    expect(fs.isValid()).toBe(true);
    expect(fs.stats().freeBytes).toBe(40 * 1024);
  });
});

describe('a power cut mid-write', () => {
  it('keeps the other files and leaves a partial file that can be detected', () => {
    const { flash, fs } = fresh();
    fs.write('keep', text('precious'));
    flash.cutPowerAfterBytes(32 + 5); // the header, then the word holding the 5th data byte
    expect(() => fs.write('log', text('0123456789'))).toThrow(PowerCut);
    const again = new JsfStorage(flash);
    expect(str(again.read('keep'))).toBe('precious');
    const partial = again.read('log')!;
    expect(partial.length).toBe(10);
    expect(str(partial.subarray(0, 8))).toBe('01234567');
    expect([...partial.subarray(8)].every((b) => b === 0xff)).toBe(true);
    expect(again.isValid()).toBe(true);
  });

  it('a cut inside the first header leaves a valid Storage: the size word is whole, the name still erased', () => {
    const { flash, fs } = fresh();
    flash.cutPowerAfterBytes(2);
    expect(() => fs.write('log', text('0123456789'))).toThrow(PowerCut);
    const again = new JsfStorage(flash);
    expect(again.isValid()).toBe(true);
    expect(again.list()).toEqual(['\xff'.repeat(28)]);
    expect(again.read('log')).toBeUndefined();
  });

  it('a cut inside a later header leaves the earlier files and a valid chain', () => {
    const { flash, fs } = fresh();
    fs.write('keep', text('precious'));
    flash.cutPowerAfterBytes(2);
    expect(() => fs.write('log', text('0123456789'))).toThrow(PowerCut);
    const again = new JsfStorage(flash);
    expect(again.isValid()).toBe(true);
    expect(again.list()).toEqual(['keep', '\xff'.repeat(28)]);
    expect(str(again.read('keep'))).toBe('precious');
  });
});
