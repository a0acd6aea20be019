import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../board-test-kit';
import { BUNDLE_PATH } from '../../../firmware/build/outputs';

const FIRMWARE = BUNDLE_PATH;

describe.skipIf(!existsSync(FIRMWARE))('the firmware bundle runs unmodified', () => {
  it('boots from .bootcde, reports presses and heartbeats, and counts boots across a power cycle', () => {
    const t = startBoard({ powerOn: false });
    t.board.writeFile('.bootcde', readFileSync(FIRMWARE, 'latin1'));
    t.board.powerOn();
    t.board.run(1000);
    t.board.pressButton(150);
    t.board.run(1000);
    t.board.pressButton(1500);
    t.board.run(60_000);
    t.board.powerCycle(1000);
    t.board.run(2000);
    const lines = printed(t.output());
    expect(lines[0]).toMatch(/^strap .* on PUCKJS \(Espruino 2v29\), boot #1$/);
    expect(lines.some((l) => /^\[btn\] press \d+ms$/.test(l))).toBe(true);
    expect(lines.some((l) => /^\[btn\] long-press \d+ms$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('[hb] up=60s'))).toBe(true);
    expect(lines[lines.length - 1]).toMatch(/boot #2$/);
    expect(t.board.readFile('strap.boots')).toBe('2');
  });
});
