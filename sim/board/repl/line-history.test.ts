import { describe, expect, it } from 'vitest';
import { LineHistory, historyLineBlocks } from './line-history';

describe('the console history (src/jsinteractive.c jsiHistoryAddLine, jsiFreeMoreMemory)', () => {
  it('moves a repeated line to the end and walks between neighbours', () => {
    const h = new LineHistory();
    for (const l of ['a', 'b', 'c', 'a']) h.add(l);
    expect(h.neighbour('', true)).toBe('a');
    expect(h.neighbour('a', true)).toBe('c');
    expect(h.neighbour('c', true)).toBe('b');
    expect(h.neighbour('b', true)).toBeUndefined();
    expect(h.neighbour('b', false)).toBe('c');
    expect(h.neighbour('a', false)).toBeUndefined();
    expect(h.neighbour('zz', false)).toBeUndefined();
  });

  it('keeps no empty line and no line over 500 characters', () => {
    const h = new LineHistory();
    h.add('');
    h.add('x'.repeat(501));
    h.add('x'.repeat(500));
    expect(h.size).toBe(1);
  });

  it('drops its oldest lines, as Espruino does when variables run short, to stay within its budget', () => {
    const line = (i: number) => `print(${String(i).padStart(20, '0')})`;
    const budget = 10 * historyLineBlocks(line(0));
    const h = new LineHistory(budget);
    for (let i = 0; i < 10_000; i++) h.add(line(i));
    expect(h.size).toBe(10);
    expect(h.has(line(9_990))).toBe(true);
    expect(h.has(line(9_989))).toBe(false);
    expect(h.neighbour('', true)).toBe(line(9_999));
  });

  it('is bounded by default (a busy day of distinct lines keeps a few hundred)', () => {
    const h = new LineHistory();
    for (let i = 0; i < 20_000; i++) h.add(`\x10rpc(${i},"status")`);
    expect(h.size).toBeGreaterThan(100);
    expect(h.size).toBeLessThan(2630);
  });
});
