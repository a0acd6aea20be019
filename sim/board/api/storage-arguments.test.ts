/**
 * require("Storage")'s arguments as Espruino 2v29 takes them
 * (src/jswrap_storage.c: write's offset/size and read's offset/length are
 * `int` parameters, read with jsvGetInteger into a 32-bit JsVarInt;
 * src/jsflash.c jsfWriteFile refuses negative ones with `false`), and the
 * boot's Storage check (src/jsinteractive.c jsiSemiInit: "Storage is
 * corrupt." erases everything) never firing after any of these calls.
 */
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';
import { FlashMemory } from '../storage/flash-memory';
import { PacketType } from '../../../protocols/espruino/packet';
import { encodePacket } from '../repl/packet-text';

function bootedAgain(t: ReturnType<typeof startBoard>): string {
  t.take();
  t.board.powerCycle(10);
  t.board.run(100);
  return t.take();
}

describe('Storage.write arguments', () => {
  it('write("f","hello",0,1e12) answers false and the next boot keeps every file (regression: =true, then "Storage is corrupt." and an empty Storage)', () => {
    const t = startBoard();
    t.board.writeFile('.bootcde', 'var firmware = 1;');
    t.board.writeFile('keep', 'precious');
    expect(t.type('require("Storage").write("f","hello",0,1e12)')).toContain('=false');
    expect(t.type('require("Storage").write("g","x")')).toContain('=true');
    const boot = bootedAgain(t);
    expect(boot).not.toContain('Storage is corrupt.');
    expect(t.board.readFile('keep')).toBe('precious');
    expect(t.board.readFile('.bootcde')).toBe('var firmware = 1;');
    expect(t.board.readFile('g')).toBe('x');
    expect(t.value('require("Storage").list().sort().join()')).toBe('.bootcde,g,keep');
  });

  it('sizes from 2147483645 up to 2^31-1 fail with "Unable to find or create file"; 2^31 and beyond wrap negative and answer false', () => {
    const t = startBoard();
    t.board.writeFile('keep', 'precious');
    for (const size of ['2147483645', '2147483647', '16777216', '41000']) {
      expect(t.type(`require("Storage").write("f","hello",0,${size})`), size).toContain('Uncaught Error: Unable to find or create file');
    }
    for (const size of ['2147483648', '4294967295', '-1', '1e12']) {
      expect(t.type(`require("Storage").write("f","hello",0,${size})`), size).toContain('=false');
    }
    expect(bootedAgain(t)).not.toContain('Storage is corrupt.');
    expect(t.board.readFile('keep')).toBe('precious');
  });

  it('offsets and sizes are read as Espruino reads an int: truncated, strings parsed, NaN and objects 0', () => {
    const t = startBoard();
    expect(t.value('require("Storage").write("a","Hello",0,"8.9")')).toBe(true); // size 8
    expect(t.value('require("Storage").write("a","!!!",5.99)')).toBe(true); // offset 5
    expect(t.value('require("Storage").read("a")')).toBe('Hello!!!');
    expect(t.value('require("Storage").write("b","xy",NaN,{})')).toBe(true); // 0, 0: the data's length
    expect(t.value('require("Storage").read("b")')).toBe('xy');
    expect(t.value('require("Storage").write("c","xy",[0],[4])')).toBe(true);
    expect(t.value('require("Storage").getStats().fileCount')).toBe(3);
    expect(t.value('require("Storage").read("a", 1e12, 2)')).toBe('He'); // offset wraps negative: from 0
    expect(t.value('require("Storage").read("a", 2, -5)')).toBe('llo!!!'); // length <= 0: to the end
  });

  it('offset + data beyond the declared size, an offset into a missing file, no data: Espruino\'s errors', () => {
    const t = startBoard();
    t.value('require("Storage").write("f","Hello",0,6)');
    expect(() => t.value('require("Storage").write("f","World",5)')).toThrow('Too much data for file size');
    expect(() => t.value('require("Storage").write("nothing","x",5)')).toThrow('Unable to find or create file');
    expect(() => t.value('require("Storage").write("f","")')).toThrow("Can't create zero length file");
    expect(() => t.value('require("Storage").write("f")')).toThrow("Can't get pointer to data to write");
    expect(() => t.value('require("Storage").writeJSON("f", undefined)')).toThrow("Can't get pointer to data to write");
    expect(bootedAgain(t)).not.toContain('Storage is corrupt.');
  });

  it('a full Storage: Espruino\'s error, every other file kept', () => {
    const t = startBoard({ flash: new FlashMemory({ pageCount: 2 }) });
    t.board.writeFile('keep', 'precious');
    expect(() => t.value('require("Storage").write("big", new Uint8Array(9000))')).toThrow('Unable to find or create file');
    expect(bootedAgain(t)).not.toContain('Storage is corrupt.');
    expect(t.board.readFile('keep')).toBe('precious');
  });
});

describe('FILE_SEND sizes', () => {
  function send(t: ReturnType<typeof startBoard>, bytes: string): string {
    t.take();
    t.board.console.input(bytes);
    t.board.run(1);
    return t.take();
  }

  it('FILE_SEND with s:1e12 is refused (NAK) and Storage is untouched (regression: the DATA after it left a header with 24 bits of the size)', () => {
    const t = startBoard();
    t.board.writeFile('keep', 'precious');
    expect(send(t, encodePacket(PacketType.FILE_SEND, '{"fn":"f","s":1e12}'))).toBe('\x15');
    expect(send(t, encodePacket(PacketType.DATA, 'hello')).startsWith('\x15')).toBe(true); // no transfer open
    expect(bootedAgain(t)).not.toContain('Storage is corrupt.');
    expect(t.value('require("Storage").list().join()')).toBe('keep');
  });

  it('FILE_SEND with a size Storage cannot hold: the first DATA is a NAK with "Unable to find or create file"', () => {
    const t = startBoard();
    t.board.writeFile('keep', 'precious');
    expect(send(t, encodePacket(PacketType.FILE_SEND, '{"fn":"f","s":2147483645}'))).toBe('\x06');
    const out = send(t, encodePacket(PacketType.DATA, 'hello'));
    expect(out.startsWith('\x15')).toBe(true);
    expect(out).toContain('Unable to find or create file');
    expect(bootedAgain(t)).not.toContain('Storage is corrupt.');
    expect(t.board.readFile('keep')).toBe('precious');
  });
});
