import { describe, expect, it } from 'vitest';
import { FlashMemory, PowerCut } from './flash-memory';

describe('flash memory semantics', () => {
  it('starts erased (0xFF), 10 pages of 4 KB by default', () => {
    const f = new FlashMemory();
    expect(f.sizeBytes).toBe(40 * 1024);
    expect(f.read(0, 4)).toEqual(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
  });

  it('programming can only clear bits', () => {
    const f = new FlashMemory();
    f.program(0, new Uint8Array([0b1010_1010]));
    f.program(0, new Uint8Array([0b1111_0000]));
    expect(f.readByte(0)).toBe(0b1010_0000);
  });

  it('a page erase sets the whole page back to 0xFF and nothing else', () => {
    const f = new FlashMemory({ pageSize: 16, pageCount: 2 });
    f.program(0, new Uint8Array(32));
    f.erasePage(5);
    expect([...f.read(0, 16)].every((b) => b === 0xff)).toBe(true);
    expect([...f.read(16, 16)].every((b) => b === 0)).toBe(true);
  });

  it('a power cut finishes the 32-bit word in progress (the NVMC writes whole words), then throws PowerCut and tells the owner', () => {
    const f = new FlashMemory();
    let told = 0;
    f.onPowerCut(() => told++);
    f.cutPowerAfterBytes(1); // byte 10 sits in the word 8..11
    expect(() => f.program(10, new Uint8Array([1, 2, 3, 4, 5]))).toThrow(PowerCut);
    expect([...f.read(10, 5)]).toEqual([1, 2, 0xff, 0xff, 0xff]);
    expect(told).toBe(1);
    f.program(20, new Uint8Array([9])); // disarmed after firing
  });

  it('a power cut never leaves half a word: every cut point gives whole words', () => {
    for (let n = 1; n <= 12; n++) {
      const f = new FlashMemory();
      f.cutPowerAfterBytes(n);
      expect(() => f.program(0, new Uint8Array(12).fill(0))).toThrow(PowerCut);
      const written = [...f.read(0, 12)].filter((b) => b === 0).length;
      expect(written % 4, `cut after ${n} bytes`).toBe(0);
      expect(written).toBe(Math.ceil(n / 4) * 4);
    }
  });
});
