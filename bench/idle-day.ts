/**
 * An idle simulated day (issue 9 part 3): one strap living a day on its own,
 * its heartbeats and sync windows, a press every 10 minutes and nothing else.
 * The figure is simulated seconds per wall second, boot excluded.
 *
 * `tsx bench/idle-day.ts [days]` prints that figure for that many idle days
 * (default 1).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createVirtualStrap, type VirtualStrap } from '../sim/scenario/virtual-strap';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import type { Figure } from './energy';

const DAY_MS = 86_400_000;
const PRESS_EVERY_MS = 600_000;
export const IDLE_DAY_GOAL = 1_000_000;

/** Wall milliseconds for a fresh strap (seed 1) to live `days` idle days, and the strap afterwards. */
export function playIdleDays(firmware: string, days = 1): { wallMs: number; strap: VirtualStrap } {
  const strap = createVirtualStrap({ firmware, seed: 1 });
  for (let t = PRESS_EVERY_MS; t < days * DAY_MS; t += PRESS_EVERY_MS) strap.clock.scheduleAt(t, () => strap.board.pressButton(150));
  const started = performance.now();
  strap.clock.advanceBy(days * DAY_MS);
  return { wallMs: performance.now() - started, strap };
}

export function idleDayFigure(wallMs: number, days = 1): Figure {
  const perWall = (days * 86_400) / (wallMs / 1000);
  return {
    name: 'simulated seconds per wall second (idle day)',
    value: Math.round(perWall).toLocaleString('en'),
    goal: `≥ ${IDLE_DAY_GOAL.toLocaleString('en')} (issue 9)`,
    met: perWall >= IDLE_DAY_GOAL,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const days = Number(process.argv[2] ?? 1);
  const { wallMs } = playIdleDays(readFileSync(BUNDLE_PATH, 'latin1'), days);
  const figure = idleDayFigure(wallMs, days);
  console.log(`idle days: ${days}, wall ${(wallMs / 1000).toFixed(2)} s, ${figure.value} simulated s per wall s (goal ${figure.goal})`);
}
