/**
 * `npm run bench`: figures with their goals beside them. Nothing here asserts:
 * these machines are shared and noisy, so the numbers are for people to read.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildFirmware } from '../firmware/build/build';
import { runBleBench } from './ble';
import { runBusiestFlowBench } from './busiest-flow';
import { runBusyDayBench } from './busy-day';
import { runEnergyBench, type Figure } from './energy';
import { runFlashBench } from './flash';
import { runIdleDayBench } from './idle-day';
import { runManyBoardsBench } from './many-boards';
import { runPaymentBench } from './payment';
import { runRpcBench } from './rpc';
import { runTapBench } from './tap';
import { runWalletBench } from './wallet';
import { FlashMemory } from '../sim/board/storage/flash-memory';
import { createVirtualStrap } from '../sim/scenario/virtual-strap';
import { BUNDLE_FILE, BUNDLE_PATH } from '../firmware/build/outputs';

const figures: Figure[] = [];
const add = (name: string, value: string, goal: string, met: boolean) => figures.push({ name, value, goal, met });

const built = await buildFirmware({ write: true });
add(`${BUNDLE_FILE} size`, `${(built.bytes / 1024).toFixed(1)} KB`, `≤ ${built.budgetBytes / 1024} KB`, built.bytes <= built.budgetBytes);
const firmware = readFileSync(BUNDLE_PATH, 'latin1');

// Boot: power-on to banner, wall time (median of 20 boards).
const bootMs: number[] = [];
for (let i = 0; i < 20; i++) {
  const started = performance.now();
  const strap = createVirtualStrap({ firmware, seed: i, flash: new FlashMemory() });
  strap.board.settle();
  bootMs.push(performance.now() - started);
}
bootMs.sort((a, b) => a - b);
add('virtual boot, power-on to prompt (median)', `${bootMs[10]!.toFixed(1)} ms`, '≤ 50 ms', bootMs[10]! <= 50);

// A virtual idle day: heartbeats every minute, a press every 10 minutes (bench/idle-day.ts).
const idle = runIdleDayBench(firmware);
const day = idle.strap;
figures.push(...idle.figures);

// JS variables after boot and after a day, as the board estimates Espruino's blocks.
const memory = day.board.evaluate('process.memory()');
if (memory.ok) {
  const m = memory.value as { usage: number; total: number };
  add('JS variables after a day (process.memory(): what closures and built-ins keep included)', `${m.usage} of ${m.total}`, `≤ 50 % of ${m.total}`, m.usage <= m.total / 2);
}

// Console: lines evaluated per wall second through the REPL.
const repl = createVirtualStrap({ firmware, seed: 2 });
const lines = 2000;
const replStarted = performance.now();
for (let i = 0; i < lines; i++) {
  repl.board.console.input(`${i}+1\n`);
  repl.board.settle();
}
const perSecond = lines / ((performance.now() - replStarted) / 1000);
add('console lines evaluated per wall second', Math.round(perSecond).toLocaleString('en'), '≥ 1,000 (a 9600-baud UART carries ~100)', perSecond >= 1000);

/** One part's figures; a part that throws is a MISS line with its reason, and the other parts still print. */
async function part(name: string, run: () => Figure[] | Promise<Figure[]>): Promise<void> {
  try {
    figures.push(...(await run()));
  } catch (error) {
    figures.push({ name: `${name} bench`, value: 'failed', goal: error instanceof Error ? error.message : String(error), met: false });
  }
}

await part('busy day', () => runBusyDayBench(firmware));
await part('16 boards', () => runManyBoardsBench(firmware));
await part('tap', () => runTapBench(firmware));
await part('energy', () => runEnergyBench());
await part('flash', () => runFlashBench());
await part('rpc', () => runRpcBench());
await part('ble', () => runBleBench());
await part('wallet', () => runWalletBench());
await part('payment', () => runPaymentBench());
await part('busiest flow', () => runBusiestFlowBench());

const width = Math.max(...figures.map((f) => f.name.length));
for (const f of figures) {
  console.log(`${f.met ? 'ok  ' : 'MISS'} ${f.name.padEnd(width)}  ${f.value.padStart(12)}   goal ${f.goal}`);
}
