/**
 * Sixteen boards in one process (issue 9 part 3): sixteen straps on one
 * virtual clock, each through an idle day (its heartbeats, a press every 10
 * minutes, the presses of different boards apart), as a fleet or a HIL farm
 * simulates them. The figure is the aggregate: simulated seconds of all
 * boards per wall second.
 *
 * `tsx bench/many-boards.ts [boards]` prints the figure for that many boards
 * (default 16).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { VirtualClock } from '../sim/clock/virtual-clock';
import { createVirtualStrap } from '../sim/scenario/virtual-strap';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import type { Figure } from './energy';

const DAY_MS = 86_400_000;
const PRESS_EVERY_MS = 600_000;

/**
 * The aggregate when issue 9 was filed (every firmware callback under `vm`'s
 * timeout, a sorted-array clock queue, that day's firmware): this file run on
 * that source, paired with runs on today's in one session on a shared 2-core
 * machine, median of eight over two sessions (sim/board/README.md, "Speed").
 */
export const AGGREGATE_WHEN_FILED = 165_000;

/** Wall milliseconds for `boards` straps to live one idle day on one clock (boot excluded). */
export function runManyBoards(firmware: string, boards: number): number {
  const clock = new VirtualClock();
  const straps = [];
  for (let i = 0; i < boards; i++) {
    const strap = createVirtualStrap({ firmware, seed: 100 + i, clock });
    strap.board.settle();
    straps.push(strap);
  }
  straps.forEach((strap, i) => {
    const offset = Math.floor((PRESS_EVERY_MS * i) / boards);
    for (let t = PRESS_EVERY_MS + offset; t < DAY_MS; t += PRESS_EVERY_MS) clock.scheduleAt(clock.nowMs() + t, () => strap.board.pressButton(150));
  });
  const started = performance.now();
  clock.advanceBy(DAY_MS);
  return performance.now() - started;
}

export function runManyBoardsBench(firmware: string): Figure[] {
  const boards = 16;
  const wallS = runManyBoards(firmware, boards) / 1000;
  const aggregate = (boards * 86_400) / wallS;
  const goal = 5 * AGGREGATE_WHEN_FILED;
  return [
    {
      name: `simulated seconds per wall second, ${boards} boards in one process (aggregate, idle day)`,
      value: Math.round(aggregate).toLocaleString('en'),
      goal: `≥ ${goal.toLocaleString('en')} (5 × ${AGGREGATE_WHEN_FILED.toLocaleString('en')} when issue 9 was filed)`,
      met: aggregate >= goal,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const boards = Number(process.argv[2] ?? 16);
  const wallMs = runManyBoards(readFileSync(BUNDLE_PATH, 'latin1'), boards);
  console.log(`boards: ${boards}, wall ${(wallMs / 1000).toFixed(2)} s, ${Math.round((boards * 86_400) / (wallMs / 1000)).toLocaleString('en')} simulated s per wall s (aggregate)`);
}
