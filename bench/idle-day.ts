/**
 * An idle simulated day (issue 9 part 3): one strap living a day on its own,
 * its heartbeats and the firmware's other timers, a press every 10 minutes
 * and nothing else (no radio model is attached: sim/softdevice is not part of
 * createVirtualStrap). The figure is simulated seconds per wall second; the
 * strap boots before the clock is timed.
 *
 * `npm run bench` times the first strap's day and then three more
 * (runIdleDayBench): the first pays for V8 compiling the board's code.
 * `tsx bench/idle-day.ts [days]` prints the figure for that many idle days
 * (default 1), and the CPU time the days took: the main thread's (where the
 * simulation runs; Linux only) and the whole process's (V8's optimizing
 * compiler works on other threads: on a fresh process it is most of a first
 * day's CPU, sim/board/README.md "Speed: what an idle day costs").
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createVirtualStrap, type VirtualStrap } from '../sim/scenario/virtual-strap';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import type { Figure } from './energy';

const DAY_MS = 86_400_000;
const PRESS_EVERY_MS = 600_000;
export const IDLE_DAY_GOAL = 1_000_000;

export interface IdleDays {
  wallMs: number;
  /** CPU ms of the whole process (every thread). */
  processCpuMs: number;
  /** CPU ms of the main thread, where it can be read (Linux). */
  mainThreadCpuMs: number | undefined;
  strap: VirtualStrap;
}

/** A fresh strap (seed 1) lives `days` idle days: wall and CPU time, and the strap afterwards. */
export function playIdleDays(firmware: string, days = 1): IdleDays {
  const strap = createVirtualStrap({ firmware, seed: 1 });
  for (let t = PRESS_EVERY_MS; t < days * DAY_MS; t += PRESS_EVERY_MS) strap.clock.scheduleAt(t, () => strap.board.pressButton(150));
  const thread = mainThreadCpuMs();
  const cpu = process.cpuUsage();
  const started = performance.now();
  strap.clock.advanceBy(days * DAY_MS);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const threadAfter = mainThreadCpuMs();
  return {
    wallMs,
    processCpuMs: (used.user + used.system) / 1000,
    mainThreadCpuMs: thread === undefined || threadAfter === undefined ? undefined : threadAfter - thread,
    strap,
  };
}

export function idleDayFigure(wallMs: number, days = 1, name = 'simulated seconds per wall second (idle day)'): Figure {
  const perWall = (days * 86_400) / (wallMs / 1000);
  return { name, value: Math.round(perWall).toLocaleString('en'), goal: `≥ ${IDLE_DAY_GOAL.toLocaleString('en')} (issue 9)`, met: perWall >= IDLE_DAY_GOAL };
}

/** Straps timed after the first: a simulation's days once V8 has compiled the board's code. */
const TIMED_STRAPS = 3;

/**
 * The idle day's figures: the first strap's day (V8 still compiling the
 * board's code on other threads, which on 2 cores takes the main thread's
 * place), then the median of TIMED_STRAPS fresh straps' days, each from its
 * boot: what a simulation's days cost. Returns the last strap too.
 */
export function runIdleDayBench(firmware: string): { figures: Figure[]; strap: VirtualStrap } {
  const first = playIdleDays(firmware);
  const runs = Array.from({ length: TIMED_STRAPS }, () => playIdleDays(firmware));
  const wall = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const firstFigure = idleDayFigure(first.wallMs, 1, 'simulated seconds per wall second (idle day, the first in this process)');
  return {
    figures: [
      idleDayFigure(wall[Math.floor(TIMED_STRAPS / 2)]!, 1, `simulated seconds per wall second (idle day, median of ${TIMED_STRAPS} straps after the first)`),
      { ...firstFigure, goal: 'for information', met: true },
    ],
    strap: runs[runs.length - 1]!.strap,
  };
}

/** The calling thread's time on a CPU (Linux's per-thread schedstat, in ns), or undefined elsewhere. */
function mainThreadCpuMs(): number | undefined {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const days = Number(process.argv[2] ?? 1);
  const run = playIdleDays(readFileSync(BUNDLE_PATH, 'latin1'), days);
  const figure = idleDayFigure(run.wallMs, days);
  const thread = run.mainThreadCpuMs === undefined ? '' : `main thread ${run.mainThreadCpuMs.toFixed(0)} ms, `;
  console.log(
    `idle days: ${days}, wall ${(run.wallMs / 1000).toFixed(2)} s, ${figure.value} simulated s per wall s (goal ${figure.goal}); ` +
      `CPU: ${thread}whole process ${run.processCpuMs.toFixed(0)} ms`,
  );
}
