import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';
import { FlashMemory } from '../storage/flash-memory';

describe('process', () => {
  it('env says what a Puck.js on 2v29 says', () => {
    const t = startBoard();
    expect(t.value('[process.env.VERSION, process.env.BOARD, process.env.CONSOLE, process.version, process.env.STORAGE].join()')).toBe(
      '2v29,PUCKJS,Serial1,2v29,40960',
    );
    expect(t.value('process.env.SERIAL')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}$/);
  });

  it('memory() counts blocks out of 2630 and grows with what firmware keeps', () => {
    const t = startBoard();
    const before = t.value('process.memory().usage') as number;
    expect(t.value('process.memory().total')).toBe(2630);
    t.value('var big = []; for (var i = 0; i < 200; i++) big.push({ n: i, s: "some text here" })');
    const after = t.value('process.memory().usage') as number;
    expect(after - before).toBeGreaterThan(400);
    expect(t.value('var m = process.memory(); m.free + m.usage === m.total')).toBe(true);
  });
});

describe("require('Storage') inside the board", () => {
  it('reads and writes strings, JSON and bytes', () => {
    const t = startBoard();
    t.value('var s = require("Storage"); s.writeJSON("cfg", {a: 1}); s.write("obj", {b: [1, 2]}); s.write("bin", [1, 2, 255])');
    expect(t.value('s.readJSON("cfg").a + s.read("obj")')).toBe('1{"b":[1,2]}');
    expect(t.value('Array.prototype.join.call(new Uint8Array(s.readArrayBuffer("bin")))')).toBe('1,2,255');
    expect(t.value('s.readJSON("missing")')).toBeUndefined();
    t.value('s.write("bad", "{nope")');
    expect(t.value('s.readJSON("bad", true)')).toBeUndefined();
    expect(() => t.value('s.readJSON("bad")')).toThrow();
    expect(t.value('s.list(/^c/).join()')).toBe('cfg');
    expect(t.value('typeof s.hash(/c/)')).toBe('number');
  });

  it("raises Espruino's error when full", () => {
    const t = startBoard({ flash: new FlashMemory({ pageCount: 1 }) });
    expect(() => t.value('require("Storage").write("big", new Uint8Array(5000))')).toThrow('Unable to find or create file');
    expect(t.value('var st = require("Storage").getStats(); st.totalBytes + "/" + st.fileCount')).toBe('4096/0');
  });

  it('require of a Storage file evaluates it as a module', () => {
    const t = startBoard();
    t.board.writeFile('greet', 'exports.hi = function (n) { return "hi " + n; };');
    expect(t.value('require("greet").hi("strap")')).toBe('hi strap');
    expect(() => t.value('require("nothing")')).toThrow('Module nothing not found');
  });
});
