/**
 * Flash upload throughput through the host bridge (host-bridge/flash): the
 * real bundle into a virtual board paced to the wall clock, over a
 * pseudo-terminal paced like a UART at 9600 and 115200 baud (8N1: baud / 10
 * bytes a second is the line's limit) and over TCP (no line limit: absolute).
 *
 * Goal on a UART: ≥ 80 % of the line. The 2v25+ packet upload costs 4 header
 * bytes per DATA packet (≤ 1 KB, ≤ ½ s of line time) plus one ACK round trip;
 * that is a few per cent, so less than 80 % means the flasher leaves the line
 * idle (waiting on timers, tiny writes), not that the line is full.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectConsole } from '../host-bridge/console/index';
import { flashFirmware, type FlashResult } from '../host-bridge/flash/index';
import { startVirtualBoardOnTcp } from '../hil/rigs/virtual/virtual-board-on-tcp';
import { startPtyConsole } from '../sim/board/console/links/pty-console';
import { findSocat } from '../sim/board/console/links/socat-binary';
import type { Figure } from './energy';
import { BUNDLE_PATH } from '../firmware/build/outputs';

const LINE_GOAL = 0.8;
const TCP_GOAL_BYTES_PER_S = 50_000;

export async function runFlashBench(): Promise<Figure[]> {
  const bundle = readFileSync(BUNDLE_PATH, 'latin1');
  const figures: Figure[] = [];
  if (findSocat()) {
    for (const baudRate of [9600, 115_200]) {
      const result = await flashOverPty(bundle, baudRate);
      const lineBytesPerS = baudRate / 10;
      const ratio = result.uploadBytesPerSecond / lineBytesPerS;
      figures.push({
        name: `flash upload over a pty at ${baudRate} baud (${(bundle.length / 1024).toFixed(1)} KB)`,
        value: `${Math.round(result.uploadBytesPerSecond)} B/s = ${(ratio * 100).toFixed(0)} % of the line; whole flash ${(result.elapsedMs / 1000).toFixed(1)} s`,
        goal: `≥ ${LINE_GOAL * 100} % of ${lineBytesPerS} B/s`,
        met: ratio >= LINE_GOAL,
      });
    }
  } else {
    figures.push({ name: 'flash upload over a pty', value: 'skipped: socat not installed', goal: `≥ ${LINE_GOAL * 100} % of the line`, met: false });
  }
  const tcp = await flashOverTcp(bundle);
  figures.push({
    name: `flash upload over TCP (${(bundle.length / 1024).toFixed(1)} KB)`,
    value: `${Math.round(tcp.uploadBytesPerSecond / 1000)} KB/s; whole flash ${Math.round(tcp.elapsedMs)} ms`,
    goal: `≥ ${TCP_GOAL_BYTES_PER_S / 1000} KB/s`,
    met: tcp.uploadBytesPerSecond >= TCP_GOAL_BYTES_PER_S,
  });
  return figures;
}

async function flashOverPty(bundle: string, baudRate: number): Promise<FlashResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'strap-flash-bench-'));
  const rig = await startVirtualBoardOnTcp();
  rig.board.writeFile('.bootcde', bundle);
  rig.board.hardReset();
  const link = await startPtyConsole({
    console: rig.console,
    linkPath: path.join(dir, 'ttyStrap0'),
    baudRate,
  });
  const client = await connectConsole(link.linkPath, { baudRate, timeoutMs: 10_000 });
  try {
    return await flashFirmware(client, { bundle, bannerTimeoutMs: 30_000 });
  } finally {
    await client.close().catch(() => undefined);
    await link.close();
    await rig.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function flashOverTcp(bundle: string): Promise<FlashResult> {
  const rig = await startVirtualBoardOnTcp();
  rig.board.writeFile('.bootcde', bundle);
  rig.board.hardReset();
  const client = await connectConsole(rig.tcp.url);
  try {
    return await flashFirmware(client, { bundle });
  } finally {
    await client.close().catch(() => undefined);
    await rig.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await runFlashBench()) console.log(`${f.met ? 'ok ' : 'MISS'} ${f.name}: ${f.value} (goal ${f.goal})`);
}
