import { describe, expect, it } from 'vitest';
import { PacedDriver, type WallTimers } from './paced-driver';
import { VirtualClock } from './virtual-clock';

function fakeWall(): WallTimers & { advance(ms: number): void; spend(ms: number): void; timerCalls: number } {
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
        now = Math.max(now, next.at);
        this.timerCalls++;
        next.run();
      }
      now = Math.max(now, end);
    },
    /** An event that takes wall time to run. */
    spend(ms) {
      now += ms;
    },
    timerCalls: 0,
  };
}

describe('paced driver', () => {
  it('runs no event while held (another driver runs the clock), then paces on from where it was left', () => {
    const clock = new VirtualClock();
    const wall = fakeWall();
    const fired: number[] = [];
    let held = false;
    clock.scheduleAt(100, () => (held = true));
    clock.scheduleAt(200, () => fired.push(clock.nowMs()));
    const driver = new PacedDriver(clock, { timers: wall, maxSleepMs: 50, hold: () => held });
    driver.start();
    wall.advance(500);
    expect([fired, clock.nowMs()]).toEqual([[], 100]);
    // the holder runs the clock on, then lets go
    clock.advanceTo(150);
    held = false;
    wall.advance(49);
    expect(fired).toEqual([]);
    wall.advance(10);
    expect(fired).toEqual([200]);
    driver.stop();
  });

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

  it('runs events for at most maxTickMs of wall time per tick, and slows virtual time down rather than fall behind', () => {
    const clock = new VirtualClock();
    const wall = fakeWall();
    // each event takes 1 wall ms for 0.1 virtual ms: the host cannot keep pace
    let sinceTimer = 0;
    let longestRun = 0;
    let timerCalls = 0;
    const step = () => {
      if (wall.timerCalls !== timerCalls) {
        timerCalls = wall.timerCalls;
        sinceTimer = 0;
      }
      longestRun = Math.max(longestRun, ++sinceTimer);
      wall.spend(1);
      clock.scheduleIn(0.1, step);
    };
    clock.scheduleAt(0, step);
    const driver = new PacedDriver(clock, { timers: wall, maxTickMs: 20 });
    driver.start();
    wall.advance(1000);
    expect(longestRun).toBeLessThanOrEqual(21);
    expect(clock.nowMs()).toBeGreaterThan(50);
    expect(driver.targetMs() - clock.nowMs()).toBeLessThan(50);
    driver.stop();
  });

  it('with onError, hears what an event threw and carries on', () => {
    const clock = new VirtualClock();
    const wall = fakeWall();
    const errors: string[] = [];
    const fired: number[] = [];
    clock.scheduleAt(10, () => {
      throw new Error('model bug');
    });
    clock.scheduleAt(20, () => fired.push(clock.nowMs()));
    const driver = new PacedDriver(clock, { timers: wall, onError: (e) => errors.push((e as Error).message) });
    driver.start();
    wall.advance(30);
    expect(errors).toEqual(['model bug']);
    expect(fired).toEqual([20]);
    driver.stop();
  });
});
