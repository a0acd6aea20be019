// The strap firmware (dist/strap.js, unmodified) on the virtual board: what an
// engineer sees on the console at boot, on the button, on the heartbeat, and
// when Storage holds something the firmware cannot use.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printed } from '../board/board-test-kit';
import { FlashMemory } from '../board/storage/flash-memory';
import { createVirtualStrap } from './virtual-strap';
import { BUNDLE_PATH } from '../../firmware/build/outputs';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');

function boot(flash = new FlashMemory(), seed = 1) {
  const strap = createVirtualStrap({ firmware: FIRMWARE, flash, seed, powerOn: false });
  let out = '';
  strap.board.console.onOutput((bytes) => (out += bytes));
  strap.board.powerOn();
  strap.board.run(10);
  const type = (line: string) => {
    const mark = out.length;
    strap.board.console.input(line + '\n');
    strap.board.run(10);
    return out.slice(mark);
  };
  const value = (expression: string) => {
    const outcome = strap.board.evaluate(expression);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
  return { ...strap, flash, lines: () => printed(out), output: () => out, type, value };
}

const VALID_CONFIG = () => {
  const strap = boot();
  return strap.board.readFile('strap.cfg')!;
};

describe('strap firmware on the virtual board', () => {
  it('prints its banner on first boot and stores default settings', () => {
    const strap = boot();
    expect(strap.lines()[0]).toBe('strap 0.1.0 on PUCKJS (Espruino 2v29), boot #1');
    expect(JSON.parse(strap.board.readFile('strap.cfg')!)).toMatchObject({ v: 1, settings: { heartbeatS: 60, longPressMs: 1000 } });
    expect(strap.value('strap.status().mode')).toBe('normal');
  });

  it('reports short and long presses and lights the LEDs while it does', () => {
    const strap = boot();
    const red: boolean[] = [];
    strap.board.onPinChange((c) => c.pin === 5 && red.push(c.level));
    strap.board.pressButton(200);
    strap.board.run(1000);
    strap.board.pressButton(1500);
    strap.board.run(2000);
    const presses = strap.lines().filter((l) => l.startsWith('[btn]'));
    expect(presses).toHaveLength(2);
    expect(presses[0]).toMatch(/^\[btn\] press (19\d|20\d)ms$/);
    expect(presses[1]).toMatch(/^\[btn\] long-press 1[45]\d\dms$/);
    expect(red).toEqual([true, false]); // LED1 flashes once, for the long press only
    expect(strap.value('strap.status().presses')).toBe(2);
  });

  it('beats every minute with the battery it measures, following the cell down', () => {
    const strap = boot();
    strap.board.run(60_000);
    strap.board.cell.setPercent(15);
    strap.board.run(60_000);
    const beats = strap.lines().filter((l) => l.startsWith('[hb]'));
    expect(beats[0]).toBe('[hb] up=60s batt=100% 4.20V mode=normal');
    expect(beats[1]).toMatch(/^\[hb\] up=120s batt=1[4-7]% 3\.7\dV mode=normal$/);
  });

  it('answers strap.status() on the console with its state', () => {
    const strap = boot();
    strap.board.run(5_000);
    const status = strap.value('strap.status()') as Record<string, unknown>;
    expect(status).toMatchObject({ fw: 'strap 0.1.0', espruino: '2v29', board: 'PUCKJS', mode: 'normal', upS: 5, boots: 1, battPct: 100 });
    expect(strap.type('strap.status().boots')).toContain('=1\r\n');
  });

  it('boots again from Storage after a power cycle and counts the boot', () => {
    const strap = boot();
    strap.board.powerCycle(1000);
    strap.board.run(2000);
    expect(strap.lines().filter((l) => l.startsWith('strap '))).toEqual([
      'strap 0.1.0 on PUCKJS (Espruino 2v29), boot #1',
      'strap 0.1.0 on PUCKJS (Espruino 2v29), boot #2',
    ]);
  });

  it('keeps its heartbeat after an exception in firmware code, printed as Espruino prints it', () => {
    const strap = boot();
    strap.type('setTimeout(function () { strap.status().nothing.here = 1; }, 100)');
    strap.board.run(60_000);
    const text = strap.output();
    // src/jsparse.c jspeFactorMember (sim/board/repl/error-words.ts)
    expect(text).toContain("Uncaught Error: Cannot read property 'here' of undefined\r\n");
    expect(strap.lines().some((l) => l.startsWith('[hb] up=60s'))).toBe(true);
  });
});

describe('strap firmware with settings it cannot use', () => {
  const cases: Array<[string, (valid: string) => string, RegExp]> = [
    ['garbage', () => '\x00\xff{{not json', /does not parse/],
    ['truncated', (valid) => valid.slice(0, Math.floor(valid.length / 2)), /does not parse/],
    ['a CRC that does not match', (valid) => valid.replace('"heartbeatS":60', '"heartbeatS":61'), /fails its CRC/],
    ['an unknown layout', () => JSON.stringify({ v: 9, crc: 0, settings: {} }), /unknown layout/],
  ];

  it.each(cases)('boots in safe mode on %s, says why, and leaves the file as it was', (_name, corrupt, reason) => {
    const flash = new FlashMemory();
    const bad = corrupt(VALID_CONFIG());
    const first = boot(flash);
    first.board.writeFile('strap.cfg', bad);
    first.board.hardReset();
    first.board.run(10);
    const safeLine = first.lines().find((l) => l.startsWith('SAFE MODE'));
    expect(safeLine).toMatch(reason);
    expect(safeLine).toContain('stored data kept');
    expect(first.board.readFile('strap.cfg')).toBe(bad);
    expect(first.value('strap.status().mode')).toBe('safe');
    // Still a working strap: the button and heartbeat run on defaults.
    first.board.pressButton(150);
    first.board.run(61_000);
    expect(first.lines().some((l) => /^\[btn\] press/.test(l))).toBe(true);
    expect(first.lines().some((l) => /^\[hb\] .* mode=safe$/.test(l))).toBe(true);
  });

  it('leaves safe mode after strap.restoreDefaults() and a reboot', () => {
    const strap = boot();
    strap.board.writeFile('strap.cfg', 'oops');
    strap.board.hardReset();
    strap.board.run(10);
    expect(strap.value('strap.status().mode')).toBe('safe');
    expect(strap.value('strap.restoreDefaults()')).toBe(true);
    strap.board.hardReset();
    strap.board.run(10);
    expect(strap.value('strap.status().mode')).toBe('normal');
  });

  it('after a power cut while the settings were first written, boots in safe mode with the other files intact', () => {
    const flash = new FlashMemory();
    const strap = createVirtualStrap({ firmware: FIRMWARE, flash, powerOn: false });
    // .bootcde is in; the first boot writes strap.cfg (header then data): cut 40 bytes into it.
    flash.cutPowerAfterBytes(40);
    strap.board.powerOn();
    expect(strap.board.powered).toBe(false);
    const again = boot(flash);
    expect(again.board.readFile('.bootcde')).toBe(FIRMWARE);
    expect(again.lines().find((l) => l.startsWith('SAFE MODE'))).toMatch(/strap\.cfg does not parse/);
  });
});
