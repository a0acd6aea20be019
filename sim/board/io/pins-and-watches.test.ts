import { describe, expect, it } from 'vitest';
import type { PinChange } from '../board-events';
import { startBoard } from '../board-test-kit';

describe('pins', () => {
  it('has the Puck.js names: LED1=D5 red, LED2=D4 green, LED3=D3 blue, BTN=BTN1=D0', () => {
    const t = startBoard();
    expect(t.value('[LED1, LED2, LED3, BTN, BTN1].map(String).join()')).toBe('D5,D4,D3,D0,D0');
    expect(t.value('LED1 == 5 && D31 instanceof Pin && BTN === BTN1')).toBe(true);
  });

  it('digitalWrite and Pin methods drive the level the sim observes, with virtual timestamps', () => {
    const t = startBoard();
    const changes: PinChange[] = [];
    t.board.onPinChange((c) => changes.push(c));
    t.board.run(100);
    t.value('LED1.set(); digitalWrite(LED2, 1); LED3.write(true)');
    t.board.run(50);
    t.value('LED1.reset(); LED2.toggle()');
    expect(changes.map((c) => `${c.pin}:${c.level ? 1 : 0}@${c.timeMs}`)).toEqual(['5:1@100', '4:1@100', '3:1@100', '5:0@150', '4:0@150']);
    expect(t.board.pinLevel(3)).toBe(true);
    expect(t.value('getPinMode(LED3)')).toBe('output');
  });

  it('digitalRead makes an automatic output an input again; pinMode makes a mode stick', () => {
    const t = startBoard();
    t.value('D7.set()');
    expect(t.value('D7.read()')).toBe(false);
    expect(t.value('D7.getMode()')).toBe('input');
    t.value('pinMode(D8, "input_pullup")');
    expect(t.value('digitalRead(D8)')).toBe(1);
    t.value('pinMode(D9, "output"); D9.set()');
    expect(t.value('D9.read() && D9.getMode() === "output"')).toBe(true);
  });

  it('the button reads 1 while pressed (input_pulldown)', () => {
    const t = startBoard();
    expect(t.value('getPinMode(BTN) + BTN.read()')).toBe('input_pulldownfalse');
    t.board.setButton(true);
    expect(t.value('BTN.read()')).toBe(true);
  });

  it('digitalPulse toggles on virtual time and ends at !value', () => {
    const t = startBoard();
    const changes: string[] = [];
    t.board.onPinChange((c) => changes.push(`${c.level ? 1 : 0}@${c.timeMs}`));
    t.value('digitalPulse(D2, 1, [10, 5, 20])');
    t.board.run(100);
    expect(changes).toEqual(['1@0', '0@10', '1@15', '0@35']);
  });

  it('a pin name is only an own name of the board: "constructor" is no pin (regression: digitalPulse("constructor", …) threw out of board.run; fuzz hostile-js seed 4097965250)', () => {
    const t = startBoard();
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => t.value(`digitalPulse("${name}", 1, 5)`), name).toThrow('Invalid pin!');
      expect(() => t.value(`digitalWrite("${name}", 1)`), name).toThrow('Invalid pin!');
    }
    t.board.run(50);
    expect(t.type('print(1+1)')).toContain('\r\n2\r\n');
  });

  it('digitalPulse refuses a time below 0 or not a number, skips such times in a train, as src/jswrap_io.c (regression: a NaN time froze the board\'s clock; fuzz hostile-js seed 2541226649)', () => {
    const t = startBoard();
    expect(() => t.value('digitalPulse(D2, 1, -1)')).toThrow('Pulse Time given for digitalPulse is less than 0, or not a number');
    expect(() => t.value('digitalPulse(D2, 1, NaN)')).toThrow('Pulse Time given for digitalPulse is less than 0, or not a number');
    expect(() => t.value('digitalPulse(D2, 1)')).toThrow('Expecting a number or array, got undefined');
    const changes: string[] = [];
    const start = t.board.clock.nowMs();
    t.board.onPinChange((c) => changes.push(`${c.level ? 1 : 0}@${c.timeMs - start}`));
    // 10 at 1, NaN skipped (then 0), "x" skipped (then 1), 4 at 0; a string of non-digits pulses nothing
    t.value('digitalPulse(D2, 1, [10, NaN, "x", 4]); digitalPulse(LED1, 256, "\\xff\\x00")');
    t.board.run(100);
    expect(changes).toEqual(['1@0', '0@10', '1@14']);
    expect(t.type('print(1+1)')).toContain('\r\n2\r\n');
  });
});

describe('setWatch', () => {
  it('reports both edges with state, time and lastTime in seconds', () => {
    const t = startBoard({ buttonBounce: false });
    t.value('var ev=[]; setWatch(function(e){ ev.push([e.state, e.time, e.lastTime]) }, BTN, {edge:"both", repeat:true, debounce:0})');
    t.board.run(1000);
    t.board.pressButton(250);
    t.board.run(1000);
    expect(t.value('JSON.stringify(ev)')).toBe('[[true,1,null],[false,1.25,1]]');
  });

  it('built-in buttons default to edge rising and 25 ms debounce', () => {
    const t = startBoard();
    t.value('var n=0, last; setWatch(function(e){ n++; last = e.state }, BTN, {repeat:true})');
    for (let i = 0; i < 5; i++) {
      t.board.pressButton(100);
      t.board.run(400);
    }
    expect(t.value('n')).toBe(5);
    expect(t.value('last')).toBe(true);
  });

  it('debounce swallows contact bounce; the time is the last edge of the burst', () => {
    const t = startBoard({ seed: 7, buttonBounce: { maxBounces: 3, minIntervalMs: 0.5, maxIntervalMs: 2 } });
    const edges: number[] = [];
    t.board.onPinChange((c) => c.pin === 0 && edges.push(c.timeMs));
    t.value('var ev=[]; setWatch(function(e){ ev.push(e.state + "@" + e.time) }, BTN, {edge:"both", repeat:true, debounce:25})');
    t.board.pressButton(300);
    t.board.run(1000);
    const pressEdges = edges.filter((ms) => ms < 300);
    const releaseEdges = edges.filter((ms) => ms >= 300);
    expect(t.value('ev.length')).toBe(2);
    expect(t.value('ev[0]')).toBe(`true@${pressEdges[pressEdges.length - 1]! / 1000}`);
    expect(t.value('ev[1]')).toBe(`false@${releaseEdges[releaseEdges.length - 1]! / 1000}`);
  });

  it('without debounce every bounce edge is seen', () => {
    const t = startBoard({ seed: 3, buttonBounce: { maxBounces: 2, minIntervalMs: 0.5, maxIntervalMs: 1 } });
    let edges = 0;
    t.board.onPinChange((c) => c.pin === 0 && edges++);
    t.value('var n=0; setWatch(function(){ n++ }, D0, {edge:"both", repeat:true, debounce:0})');
    t.board.pressButton(100);
    t.board.run(500);
    expect(t.value('n')).toBe(edges);
  });

  it('a watch without repeat goes after its first call; clearWatch removes; unknown ids are errors', () => {
    const t = startBoard({ buttonBounce: false });
    t.value('var n=0; var id = setWatch(function(){ n++ }, BTN, {edge:"rising"})');
    expect(t.value('id')).toBe(1);
    t.board.pressButton(50);
    t.board.run(200);
    t.board.pressButton(50);
    t.board.run(200);
    expect(t.value('n')).toBe(1);
    expect(t.board.stats().watches).toBe(0);
    t.value('var id2 = setWatch(function(){ n++ }, D1, {repeat:true})');
    t.value('clearWatch(id2)');
    expect(() => t.value('clearWatch(99)')).toThrow('Unknown Watch');
  });
});
