import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/virtual-clock';
import { printed, startBoard } from '../board-test-kit';
import { FlashMemory } from '../storage/flash-memory';

describe('boot from Storage', () => {
  it('prints the logo and a prompt when nothing is saved', () => {
    const t = startBoard();
    expect(t.output()).toContain('|_| espruino.com\r\n 2v29 ');
    expect(t.output().endsWith('\r\n\r\n>')).toBe(true);
  });

  it('runs .boot0-3, then .bootcde, then E.on("init") handlers and onInit(), and no logo', () => {
    const t = startBoard({ powerOn: false });
    t.board.writeFile('.bootcde', 'print("bootcde"); E.on("init", function(){ print("init") }); function onInit(){ print("onInit") }');
    t.board.writeFile('.boot1', 'print("boot1")');
    t.board.writeFile('.boot0', 'print("boot0")');
    t.board.powerOn();
    t.board.settle();
    expect(printed(t.output())).toEqual(['boot0', 'boot1', 'bootcde', 'init', 'Running onInit()...', 'onInit']);
    expect(t.output()).not.toContain('espruino.com');
  });

  it('boots the same code again after a power cycle, with Storage kept and RAM lost', () => {
    const clock = new VirtualClock();
    const flash = new FlashMemory();
    const t = startBoard({ clock, flash, powerOn: false });
    t.board.writeFile('.bootcde', 'var s = require("Storage"); var n = (parseInt(s.read("boots")) || 0) + 1; s.write("boots", String(n)); print("boot #" + n)');
    t.board.powerOn();
    t.value('var inRam = 1');
    t.board.powerCycle(500);
    t.board.run(1000);
    expect(printed(t.output())).toEqual(['boot #1', 'boot #2']);
    expect(t.value('typeof inRam')).toBe('undefined');
    // another board on the same flash chip
    const u = startBoard({ clock, flash });
    expect(printed(u.output())).toEqual(['boot #3']);
  });

  it('reset() clears RAM and does not run .bootcde; load() does', () => {
    const t = startBoard({ powerOn: false });
    t.board.writeFile('.bootcde', 'var fromBoot = 1');
    t.board.powerOn();
    t.value('var typed = 1; reset()');
    t.board.run(1);
    expect(t.value('typeof typed + typeof fromBoot')).toBe('undefinedundefined');
    expect(t.output()).toContain('espruino.com');
    t.value('load()');
    t.board.run(1);
    expect(t.value('fromBoot')).toBe(1);
  });

  it('reset() happens when the interpreter is idle, not in the middle of a line', () => {
    const t = startBoard();
    t.value('var a = 1; reset(); a = 2');
    expect(t.value('a')).toBe(2);
    t.board.run(1);
    expect(t.value('typeof a')).toBe('undefined');
  });

  it('save() keeps what was typed: after a power cycle it is back, then init runs', () => {
    const t = startBoard();
    t.type('var greeting = "hello"');
    t.type('E.on("init", function(){ print("init says " + greeting) })');
    const out = t.type('save()', 5);
    expect(out).toContain('Compressed');
    expect(printed(out)).toContain('init says hello');
    expect(t.board.readFile('.varimg')).toContain('ESPRUINO-SIM VARIMG 1');
    t.take();
    t.board.powerCycle(100);
    t.board.run(200);
    const boot = t.take();
    expect(boot).toContain('Loading ');
    expect(printed(boot)).toContain('init says hello');
    expect(t.value('greeting')).toBe('hello');
  });

  it('a truncated .bootcde runs its complete statements, prints the error and leaves the board at the prompt', () => {
    const t = startBoard({ powerOn: false });
    t.board.writeFile('.bootcde', 'print("first"); var ok = 1;\nfunction broken() { print("never"');
    t.board.powerOn();
    t.board.settle();
    const out = t.output();
    expect(printed(out)[0]).toBe('first');
    expect(out).toContain('Uncaught SyntaxError');
    expect(out.endsWith('>')).toBe(true);
    expect(t.type('ok + 1')).toContain('=2');
  });

  it('E.setBootCode writes .bootcde (or .bootrst) for the next boot', () => {
    const t = startBoard();
    t.value('E.setBootCode("var booted = 42")');
    expect(t.board.readFile('.bootcde')).toBe('var booted = 42');
    t.value('E.reboot()');
    t.board.run(1);
    expect(t.value('booted')).toBe(42);
  });

  it('a power cut during a Storage write reboots into the files that were complete', () => {
    const flash = new FlashMemory();
    const t = startBoard({ flash });
    t.value('require("Storage").write("keep", "safe")');
    flash.cutPowerAfterBytes(40);
    t.value('require("Storage").write("log", "0123456789012345678901234567890123456789")');
    expect(t.board.powered).toBe(false);
    t.board.powerOn();
    expect(t.value('require("Storage").read("keep")')).toBe('safe');
    expect(t.value('require("Storage").read("log").indexOf("\\xFF")')).toBe(8);
  });

  it('a first header whose size runs past the end of Storage makes the next boot print "Storage is corrupt." and erase it', () => {
    const flash = new FlashMemory();
    const t = startBoard({ flash });
    t.board.powerOff();
    flash.program(0, new Uint8Array([0x00, 0x00, 0x10, 0x00, 0x41])); // size 1 MiB, name "A"
    t.take();
    t.board.powerOn();
    expect(t.take()).toContain('Storage is corrupt.');
    expect(t.value('require("Storage").list().length')).toBe(0);
  });

  it('a power cut inside the first header leaves Storage valid: flash is programmed in whole words', () => {
    const flash = new FlashMemory();
    const t = startBoard({ flash });
    flash.cutPowerAfterBytes(2);
    t.value('require("Storage").write("first", "x")');
    t.take();
    t.board.powerOn();
    expect(t.take()).not.toContain('Storage is corrupt.');
  });
});

describe('watchdog', () => {
  it('a manual watchdog that is not kicked resets the board (RAM lost, boot from Storage)', () => {
    const t = startBoard({ powerOn: false });
    t.board.writeFile('.bootcde', 'print("booted")');
    const boots: string[] = [];
    t.board.on('boot', (e) => boots.push(e.reason));
    t.board.powerOn();
    t.value('var kicks = setInterval(function(){ E.kickWatchdog() }, 500); E.enableWatchdog(2, false)');
    t.board.run(10_000);
    expect(boots).toEqual(['power-on']);
    t.value('clearInterval(kicks)');
    t.board.run(2500);
    expect(boots).toEqual(['power-on', 'watchdog']);
    expect(printed(t.output()).filter((l) => l === 'booted').length).toBe(2);
    expect(t.value('typeof kicks')).toBe('undefined');
  });

  it('an auto-kicked watchdog only fires when JS never returns (a busy loop)', () => {
    const t = startBoard({ busyLoopLimitMs: 100 });
    const boots: string[] = [];
    t.board.on('boot', (e) => boots.push(e.reason));
    t.value('E.enableWatchdog(5)');
    t.board.run(60_000);
    expect(boots).toEqual([]);
    t.value('setTimeout(function(){ while (true) {} }, 10)');
    t.board.run(100);
    expect(boots).toEqual(['watchdog']);
  });

  it('without a watchdog a busy loop is interrupted and the board keeps running', () => {
    const t = startBoard({ busyLoopLimitMs: 100 });
    t.value('var after = 0; setTimeout(function(){ while (true) {} }, 10); setTimeout(function(){ after = 1 }, 50)');
    t.take();
    t.board.run(100);
    expect(t.take()).toContain('Execution Interrupted');
    expect(t.value('after')).toBe(1);
  });

  it('a busy loop typed at the console prints "Execution Interrupted", not an Uncaught error', () => {
    const t = startBoard({ busyLoopLimitMs: 100 });
    const out = t.type('while (true) {}');
    expect(out).toContain('Execution Interrupted\r\n');
    expect(out).not.toContain('Uncaught');
    expect(t.type('1+1')).toContain('=2');
  });
});

describe('boot code Espruino cannot parse', () => {
  it('runs the statements before a destructuring, then prints the SyntaxError and stays at the prompt', () => {
    const t = startBoard({ powerOn: false });
    t.board.writeFile('.bootcde', 'var before = 1;\nvar {a} = {a: 2};\nvar after = 3;\n');
    t.board.powerOn();
    t.board.run(10);
    expect(t.output()).toMatch(/Uncaught SyntaxError: Destructuring is not supported by Espruino 2v29\r\n/);
    expect(t.value('before')).toBe(1);
    expect(t.value('typeof after')).toBe('undefined');
    expect(t.type('1+1')).toContain('=2');
  });
});
