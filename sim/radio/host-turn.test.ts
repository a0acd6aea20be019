// The air waiting for a host outside the simulation: held from a packet handed to the host until its answer or
// until the event loop has turned a given number of times; what the paced driver does with that hold.
import { describe, expect, it } from 'vitest';
import { PacedDriver, type WallTimers } from '../clock/paced-driver';
import { VirtualClock } from '../clock/virtual-clock';
import { HostTurn } from './host-turn';

/** Event loop turns run by hand. */
function manualLoop() {
  let queue: (() => void)[] = [];
  return {
    nextTurn: (run: () => void) => void queue.push(run),
    turn: () => {
      const due = queue;
      queue = [];
      for (const run of due) run();
    },
  };
}

describe('HostTurn', () => {
  it('holds from a packet handed to the host until the host sends one', () => {
    const loop = manualLoop();
    const turn = new HostTurn(4, loop.nextTurn);
    expect(turn.holds()).toBe(false);
    turn.handed();
    expect(turn.holds()).toBe(true);
    loop.turn();
    expect(turn.holds()).toBe(true);
    turn.answered();
    expect(turn.holds()).toBe(false);
  });

  it('lets go after that many turns of the event loop without an answer, and says so once', () => {
    const loop = manualLoop();
    const turn = new HostTurn(3, loop.nextTurn);
    let lapses = 0;
    turn.onLapse = () => lapses++;
    turn.handed();
    turn.handed(); // a second packet in the same turn does not start another
    loop.turn();
    loop.turn();
    expect([turn.holds(), lapses]).toEqual([true, 0]);
    loop.turn();
    expect([turn.holds(), lapses]).toEqual([false, 1]);
    loop.turn();
    expect(lapses).toBe(1);
  });

  it('a turn answered and a new one handed: the old count does not cut the new one short', () => {
    const loop = manualLoop();
    const turn = new HostTurn(2, loop.nextTurn);
    turn.handed();
    loop.turn();
    turn.answered();
    turn.handed();
    loop.turn(); // the first turn's last step: it is over, the new one has had one turn
    expect(turn.holds()).toBe(true);
    loop.turn();
    expect(turn.holds()).toBe(false);
  });

  it('as a paced driver\'s hold: no board time passes while the host owes its answer, and pacing goes on from its answer', () => {
    let wallMs = 0;
    const timers: WallTimers = { now: () => wallMs, setTimeout: () => 0, clearTimeout: () => undefined };
    const loop = manualLoop();
    const turn = new HostTurn(4, loop.nextTurn);
    const clock = new VirtualClock();
    const ran: number[] = [];
    for (let t = 10; t <= 100; t += 10) clock.scheduleAt(t, () => ran.push(t), 'tick');
    const driver = new PacedDriver(clock, { scale: 10, timers, hold: turn.holds });
    turn.onLapse = () => driver.poke();
    driver.start();
    wallMs = 2;
    driver.poke();
    expect(clock.nowMs()).toBe(20);
    turn.handed();
    wallMs = 7; // the host takes 5 ms of wall time, 50 ms of board time at this pace
    driver.poke();
    expect([clock.nowMs(), ran.length]).toEqual([20, 2]);
    turn.answered();
    driver.poke();
    expect(clock.nowMs()).toBe(20);
    wallMs = 8;
    driver.poke();
    expect(clock.nowMs()).toBe(30);
    driver.stop();
  });
});
