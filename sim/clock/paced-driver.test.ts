import { describe, expect, it } from 'vitest';
import { PacedDriver, type WallTimers } from './paced-driver';
import { VirtualClock } from './virtual-clock';

function fakeWall(): WallTimers & { advance(ms: number): void } {
  let now = 1000;
  let pending: { at: number; run: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => now,
    setTimeout(run, ms) {
      const id = nextId++;
      pending.push({ at: now + ms, run, id });
      return id;
    },
    clearTimeout(handle) {
      pending = pending.filter((p) => p.id !== handle);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending[0];
        if (!next || next.at > end) break;
        pending.shift();
        now = next.at;
        next.run();
      }
      now = end;
    },
  };
}

describe('paced driver', () => {
  it('keeps virtual time in step with the wall clock and runs events on time', () => {
    const clock = new VirtualClock();
    const wall = fakeWall();
    const fired: number[] = [];
    clock.scheduleAt(250, () => fired.push(clock.nowMs()));
    const driver = new PacedDriver(clock, { timers: wall, maxSleepMs: 50 });
    driver.start();
    wall.advance(240);
    expect(fired).toEqual([]);
    wall.advance(20);
    expect(fired).toEqual([250]);
    expect(clock.nowMs()).toBeGreaterThanOrEqual(250);
    driver.stop();
    wall.advance(1000);
    expect(clock.nowMs()).toBeLessThan(300);
  });

  it('scales time and picks up events scheduled from outside with poke()', () => {
    const clock = new VirtualClock();
    const wall = fakeWall();
    const driver = new PacedDriver(clock, { timers: wall, scale: 10, maxSleepMs: 1000 });
    driver.start();
    wall.advance(100);
    driver.poke();
    expect(clock.nowMs()).toBe(1000);
    let ran = false;
    clock.scheduleIn(0, () => (ran = true));
    driver.poke();
    expect(ran).toBe(true);
    driver.stop();
  });
});
