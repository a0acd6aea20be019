import { describe, expect, it } from 'vitest';
import { EventSequencer, type EventGap, type FirmwareEvent } from './event-sequencer';

function setup(replayed: (from: number) => FirmwareEvent[] = () => []) {
  const delivered: string[] = [];
  const gaps: EventGap[] = [];
  const replays: number[] = [];
  let release: () => void = () => undefined;
  const sequencer: EventSequencer = new EventSequencer({
    deliver: (e) => delivered.push(`${e.boots}.${e.seq}`),
    gap: (g) => gaps.push(g),
    replay: (from) => {
      replays.push(from);
      return new Promise<void>((resolve) => {
        release = () => {
          for (const e of replayed(from)) sequencer.accept(e);
          resolve();
        };
      });
    },
  });
  return { sequencer, delivered, gaps, replays, release: () => release() };
}

const ev = (seq: number, boots = 1): FirmwareEvent => ({ boots, seq, name: 'hb', data: {} });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('event sequencing and gap detection', () => {
  it('holds events until the subscription says where the stream starts, then delivers in order', () => {
    const s = setup();
    s.sequencer.accept(ev(1));
    expect(s.delivered).toEqual([]);
    s.sequencer.baseline(1, 0);
    s.sequencer.accept(ev(2));
    expect(s.delivered).toEqual(['1.1', '1.2']);
  });

  it('drops duplicates (replays, repeated lines)', () => {
    const s = setup();
    s.sequencer.baseline(1, 0);
    for (const n of [1, 2, 2, 1, 3]) s.sequencer.accept(ev(n));
    expect(s.delivered).toEqual(['1.1', '1.2', '1.3']);
    expect(s.gaps).toEqual([]);
  });

  it('recovers lost events from the strap replay and delivers everything in order, without a gap', async () => {
    const kept = [ev(2), ev(3)];
    const s = setup((from) => kept.filter((e) => e.seq >= from));
    s.sequencer.baseline(1, 0);
    s.sequencer.accept(ev(1));
    s.sequencer.accept(ev(4));
    expect(s.replays).toEqual([2]);
    expect(s.delivered).toEqual(['1.1']);
    s.release();
    await settle();
    expect(s.delivered).toEqual(['1.1', '1.2', '1.3', '1.4']);
    expect(s.gaps).toEqual([]);
  });

  it('reports what the replay could not bring back as a gap and goes on', async () => {
    const s = setup((from) => [ev(3)].filter((e) => e.seq >= from));
    s.sequencer.baseline(1, 0);
    s.sequencer.accept(ev(1));
    s.sequencer.accept(ev(4));
    s.sequencer.accept(ev(5));
    s.release();
    await settle();
    expect(s.delivered).toEqual(['1.1', '1.3', '1.4', '1.5']);
    expect(s.gaps).toEqual([{ boots: 1, fromSeq: 2, toSeq: 2, missed: 1 }]);
  });

  it('reports a gap when the replay fails', async () => {
    const sequencer: EventSequencer = new EventSequencer({
      deliver: (e) => delivered.push(e.seq),
      gap: (g) => gaps.push(g),
      replay: () => Promise.reject(new Error('timeout')),
    });
    const delivered: number[] = [];
    const gaps: EventGap[] = [];
    sequencer.baseline(2, 5);
    sequencer.accept(ev(9, 2));
    await settle();
    expect(delivered).toEqual([9]);
    expect(gaps).toEqual([{ boots: 2, fromSeq: 6, toSeq: 8, missed: 3 }]);
  });

  it('starts counting again at 1 when events come from a new boot', () => {
    const s = setup();
    s.sequencer.baseline(1, 0);
    s.sequencer.accept(ev(1));
    s.sequencer.accept(ev(1, 2));
    s.sequencer.accept(ev(2, 2));
    expect(s.delivered).toEqual(['1.1', '2.1', '2.2']);
  });

  it('after a reset waits for the new baseline and forgets older boots', () => {
    const s = setup();
    s.sequencer.baseline(1, 0);
    s.sequencer.accept(ev(1));
    s.sequencer.reset();
    s.sequencer.accept(ev(2));
    s.sequencer.accept(ev(1, 2));
    s.sequencer.baseline(2, 0);
    expect(s.delivered).toEqual(['1.1', '2.1']);
  });

  it('ignores a second baseline for the same boot (a repeated subscription)', () => {
    const s = setup();
    s.sequencer.baseline(1, 0);
    s.sequencer.accept(ev(1));
    s.sequencer.baseline(1, 0);
    s.sequencer.accept(ev(1));
    s.sequencer.accept(ev(2));
    expect(s.delivered).toEqual(['1.1', '1.2']);
  });
});
