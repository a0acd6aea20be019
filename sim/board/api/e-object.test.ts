import { crc32 } from '../../../protocols/crc32';
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';

describe('E', () => {
  it('hwRand gives signed 32-bit integers from the seeded generator', () => {
    const a = startBoard({ seed: 'x' });
    const b = startBoard({ seed: 'x' });
    const draw = (t: ReturnType<typeof startBoard>) => t.value('[E.hwRand(), E.hwRand(), E.hwRand()].join()');
    expect(draw(a)).toBe(draw(b));
    expect(a.value('var v = E.hwRand(); (v|0) === v')).toBe(true);
  });

  it('getTemperature reports the sim environment in 0.25 °C steps', () => {
    const t = startBoard({ environment: { temperatureC: 31.1 } });
    expect(t.value('E.getTemperature()')).toBe(31);
    t.board.environment.temperatureC = 18.4;
    expect(t.value('E.getTemperature()')).toBe(18.5);
  });

  it('CRC32 of a Storage file bigger than the free memory: it iterates and allocates nothing (jswrap_espruino_CRC32)', () => {
    const t = startBoard();
    t.board.writeFile('big', 'x'.repeat(36_000));
    expect(t.value('E.CRC32(require("Storage").read("big"))')).toBe(crc32(new TextEncoder().encode('x'.repeat(36_000))));
  });

  it('CRC32 is the IEEE CRC of the bytes', () => {
    const t = startBoard();
    expect(t.value('E.CRC32("123456789")')).toBe(0xcbf43926);
    expect(t.value('E.CRC32([49,50,51,52,53,54,55,56,57])')).toBe(0xcbf43926);
  });

  it('toUint8Array and toString flatten numbers, strings, arrays and {data,count}', () => {
    const t = startBoard();
    expect(t.value('Array.prototype.join.call(E.toUint8Array(1, "AB", [2, [3]], {data: 9, count: 2}, new Uint8Array([7])))')).toBe('1,65,66,2,3,9,9,7');
    expect(t.value('E.toString([72, 105])')).toBe('Hi');
  });

  it('getErrorFlags returns the flags and clears them', () => {
    const t = startBoard();
    t.board.raiseErrorFlag('FIFO_FULL');
    expect(t.value('E.getErrorFlags().join()')).toBe('FIFO_FULL');
    expect(t.value('E.getErrorFlags().length')).toBe(0);
  });

  it('E.on("kill") runs before reset(), E.on("init") after boot code', () => {
    const t = startBoard();
    t.board.writeFile('.bootrst', 'print("boot code"); E.on("init", function(){ print("init") }); E.on("kill", function(){ print("kill") });');
    t.value('reset()');
    t.board.run(1);
    t.take();
    t.value('reset()');
    t.board.run(1);
    const out = t.take();
    expect(out.indexOf('kill')).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('kill')).toBeLessThan(out.indexOf('boot code'));
    expect(out.indexOf('boot code')).toBeLessThan(out.indexOf('init'));
  });

  it('setConsole moves the REPL; Serial1 then carries data for on("data")', () => {
    const t = startBoard();
    let ble = '';
    t.board.link('Bluetooth').onOutput((b) => (ble += b));
    expect(t.type('E.setConsole("Bluetooth")')).toContain('-> Bluetooth\r\n');
    expect(ble).toContain('<- Serial1');
    t.board.link('Bluetooth').input('Serial1.on("data", function(d){ Serial1.write("got:" + d) }); print("hi")\n');
    t.board.run(1);
    expect(ble).toContain('hi');
    t.board.console.input('ping');
    t.board.run(1);
    expect(t.take()).toBe('got:ping');
    expect(t.value('E.getConsole()')).toBe('Bluetooth');
  });
});

describe('members the board does not model', () => {
  it.each(['NRF.setAdvertising([{}, {}])', 'Puck.mag()', 'NRF.setLowPowerConnection(true)', 'E.setTimeZone(1)', 'analogRead(D2)', 'new SPI()', 'require("crypto")'])(
    '%s throws "not modelled"',
    (code) => {
      const t = startBoard();
      expect(() => t.value(code)).toThrow(/^not modelled by the virtual board: /);
    },
  );

  it('keeps them visible as functions, like the real board', () => {
    const t = startBoard();
    expect(t.value('typeof NRF.setLowPowerConnection')).toBe('function');
  });

  it('leaves names Espruino does not have undefined', () => {
    const t = startBoard();
    expect(t.value('[typeof E.setLowPowerConnection, typeof NRF.noSuchThing, typeof Puck.fly].join()')).toBe('undefined,undefined,undefined');
  });
});
