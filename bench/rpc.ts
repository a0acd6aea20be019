/**
 * Console RPC round-trip time: `ping` calls through the host bridge's
 * console and RPC clients to the strap firmware on a virtual board, over TCP
 * (hil/rigs/virtual/virtual-board-on-tcp.ts: the board paced in this process) and over a
 * real pseudo-terminal through serialport (the pty rig: the board in its own
 * process behind socat). Median and 95th percentile of 200 calls each.
 *
 * Goals: a ping is ~60 bytes out (the echo-off `strap.rpc("…")` line) and
 * ~70 back (the RS reply frame). TCP on loopback has no line time, so
 * ≤ 20 ms is the board's own turn-around with room for a loaded machine. A
 * bench UART at 115200 baud carries ~11.5 bytes/ms, so those 130 bytes
 * alone take ~11 ms; ≤ 50 ms leaves the rest for USB CDC frames, the idle
 * loop and the host. The pty has no line rate: it shows the software path.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { connectConsole } from '../host-bridge/console/index';
import { RpcClient } from '../host-bridge/rpc/rpc-client';
import { PtyProcessRig } from '../hil/rigs/pty-process/pty-process-rig';
import { startVirtualBoardOnTcp } from '../hil/rigs/virtual/virtual-board-on-tcp';
import { findSocat } from '../sim/board/console/links/socat-binary';
import type { Figure } from './energy';
import { BUNDLE_PATH } from '../firmware/build/outputs';

const CALLS = 200;
const WARM_UP = 10;

export async function runRpcBench(): Promise<Figure[]> {
  const figures = [...(await overTcp())];
  if (findSocat()) figures.push(...(await overPty()));
  else figures.push({ name: 'RPC ping over a pseudo-terminal', value: 'not run', goal: 'needs socat', met: false });
  return figures;
}

async function overTcp(): Promise<Figure[]> {
  const board = await startVirtualBoardOnTcp();
  try {
    board.board.writeFile('.bootcde', readFileSync(BUNDLE_PATH, 'latin1'));
    board.board.hardReset();
    await board.waitForOutput(/boot #1/);
    const console = await connectConsole(board.tcp.url);
    const rpc = new RpcClient(console);
    try {
      return figuresFor('TCP (virtual board, paced)', await roundTrips(rpc), 20);
    } finally {
      rpc.close();
      await console.close();
    }
  } finally {
    await board.stop();
  }
}

async function overPty(): Promise<Figure[]> {
  const rig = await PtyProcessRig.open();
  try {
    await rig.prepare();
    return figuresFor('a pseudo-terminal via serialport (board process)', await roundTrips(rig.rpc), 50);
  } finally {
    await rig.close();
  }
}

async function roundTrips(rpc: RpcClient): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await rpc.ping(i);
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await rpc.ping(i);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b);
}

function figuresFor(link: string, sortedMs: number[], goalMs: number): Figure[] {
  const at = (q: number) => sortedMs[Math.min(sortedMs.length - 1, Math.floor(q * sortedMs.length))]!;
  const median = at(0.5);
  const p95 = at(0.95);
  return [
    { name: `RPC ping round trip over ${link}, median of ${CALLS}`, value: `${median.toFixed(2)} ms`, goal: `≤ ${goalMs} ms`, met: median <= goalMs },
    { name: `RPC ping round trip over ${link}, 95th percentile`, value: `${p95.toFixed(2)} ms`, goal: `≤ ${goalMs} ms`, met: p95 <= goalMs },
  ];
}

// `tsx bench/rpc.ts` prints the figures on their own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runRpcBench();
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const f of figures) console.log(`${f.met ? 'ok  ' : 'MISS'} ${f.name.padEnd(width)}  ${f.value.padStart(10)}   goal ${f.goal}`);
  process.exit(0);
}
